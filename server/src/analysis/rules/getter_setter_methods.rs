//! `getter-setter-methods` (no Ruff or Pylint peer). Java-style `get_x(self)` that only returns
//! `self._x` (and `set_x(self, v)` that only assigns it): Python code reads and writes attributes
//! directly and switches to a `property` when logic is needed, without changing callers.
//!
//! Not flagged: overrides (a base class in this module defines `get_x`, or any decorator such as
//! `@override`), interfaces (`Protocol`, `ABC`, `metaclass=ABCMeta`), accessors with extra
//! parameters. The fix needs the whole module (every `obj.get_x()` call becomes `obj.x`), so the
//! rule runs once at the end of the module, over the model's nodes.

use std::collections::{HashMap, HashSet};

use ruff_python_ast::{Expr, ExprAttribute, ExprCall, Stmt, StmtClassDef, StmtFunctionDef};
use ruff_text_size::{Ranged, TextRange};

use crate::analysis::checker::{Checker, MAX_DEPTH, NodeRef};
use crate::analysis::finding::{Edit, Finding, Fix};
use crate::analysis::helpers::{self, NodeVisit};
use crate::analysis::rule::Rule;
use crate::analysis::semantic::BindingKind;

/// Classes, accessor calls and accessor definitions of the whole module.
#[derive(Default)]
struct State<'a> {
    candidates: Vec<Candidate<'a>>,
    calls: Vec<CallSite<'a>>,
    /// How many classes in the module define a method of each `get_*`/`set_*` name: when more
    /// than one does, `obj.get_x()` cannot be told apart and is not rewritten.
    defined: HashMap<&'a str, usize>,
}

struct Candidate<'a> {
    class: &'a StmtClassDef,
    getter: &'a StmtFunctionDef,
    setter: Setter<'a>,
    /// `x` in `get_x`.
    property: &'a str,
    /// The attribute read: `x`, `_x` or `__x`.
    attr: &'a str,
}

enum Setter<'a> {
    Absent,
    Trivial(&'a StmtFunctionDef),
    /// A `set_x` with logic of its own: the pair cannot become a plain property mechanically.
    Other,
}

struct CallSite<'a> {
    call: &'a ExprCall,
    func: &'a ExprAttribute,
    /// The call is a whole expression statement (`obj.set_x(v)` can become `obj.x = v`).
    is_statement: bool,
}

pub(crate) fn check_module(checker: &mut Checker) {
    let mut state = State::default();
    let model = checker.semantic();
    for (id, node) in model.nodes.iter() {
        match node {
            NodeRef::Stmt(Stmt::ClassDef(class)) => collect_class(checker, &mut state, class),
            NodeRef::Expr(expr @ Expr::Call(call)) => {
                let is_statement = matches!(
                    model.parent_id(id).map(|p| model.node(p)),
                    Some(NodeRef::Stmt(Stmt::Expr(s))) if std::ptr::eq(&*s.value, expr)
                );
                record_call(&mut state, call, is_statement);
            }
            _ => {}
        }
    }
    finish(checker, state);
}

fn collect_class<'a>(checker: &Checker<'a>, state: &mut State<'a>, class: &'a StmtClassDef) {
    let methods: Vec<&'a StmtFunctionDef> = class
        .body
        .iter()
        .filter_map(|stmt| match stmt {
            Stmt::FunctionDef(f) => Some(f),
            _ => None,
        })
        .collect();
    for method in &methods {
        let name = method.name.as_str();
        if name.starts_with("get_") || name.starts_with("set_") {
            *state.defined.entry(name).or_default() += 1;
        }
    }
    if is_interface(checker, class) {
        return;
    }
    for getter in &methods {
        let Some((property, attr)) = trivial_getter(getter) else { continue };
        if base_defines(checker, class, getter.name.as_str(), &mut HashSet::new()) {
            continue;
        }
        let setter_name = format!("set_{property}");
        let setter = match methods.iter().find(|m| m.name.as_str() == setter_name) {
            None => Setter::Absent,
            Some(s) if trivial_setter(s, attr) => Setter::Trivial(s),
            Some(_) => Setter::Other,
        };
        state.candidates.push(Candidate { class, getter, setter, property, attr });
    }
}

fn record_call<'a>(state: &mut State<'a>, call: &'a ExprCall, is_statement: bool) {
    let Expr::Attribute(func) = &*call.func else { return };
    let attr = func.attr.as_str();
    if attr.starts_with("get_") || attr.starts_with("set_") {
        state.calls.push(CallSite { call, func, is_statement });
    }
}

fn finish(checker: &mut Checker, state: State) {
    if state.candidates.is_empty() {
        return;
    }
    let mut calls: HashMap<&str, Vec<&CallSite>> = HashMap::new();
    for site in &state.calls {
        calls.entry(site.func.attr.as_str()).or_default().push(site);
    }
    let module = ModuleUses { uncalled: referenced_without_call(checker.module_body(), &state), calls };
    for candidate in &state.candidates {
        let fix = property_fix(checker, &state, &module, candidate);
        let getter = candidate.getter.name.as_str();
        let (property, attr) = (candidate.property, candidate.attr);
        let message = match candidate.setter {
            Setter::Trivial(setter) => format!(
                "`{getter}()` and `{}()` only read and write `self.{attr}`: Java-style accessors; in Python expose \
                 `{property}` as an attribute, or a `@property` when it needs logic",
                setter.name.as_str()
            ),
            _ => format!(
                "`{getter}()` only returns `self.{attr}`: a Java-style getter; in Python read `obj.{property}` \
                 directly, through a `@property` when it needs logic"
            ),
        };
        checker.report(Finding::new(Rule::GetterSetterMethods, candidate.getter.name.range(), message).with_fix(fix));
    }
}

// ---- detection -------------------------------------------------------------------------------------

/// `Protocol` and ABC classes declare accessors as an interface for others to implement.
fn is_interface(checker: &Checker, class: &StmtClassDef) -> bool {
    let base_is_interface = class.bases().iter().any(|base| {
        let base = match base {
            Expr::Subscript(sub) => &*sub.value,
            other => other,
        };
        checker.resolves_to_any(base, &["typing.Protocol", "typing_extensions.Protocol", "abc.ABC"]).is_some()
    });
    let abc_metaclass = class.keywords().iter().any(|k| {
        k.arg.as_ref().is_some_and(|a| a.as_str() == "metaclass") && checker.resolves_to(&k.value, "abc.ABCMeta")
    });
    base_is_interface || abc_metaclass
}

/// Does a base class defined in this module (or one of its bases) define `name`?
fn base_defines<'a>(
    checker: &Checker<'a>,
    class: &'a StmtClassDef,
    name: &str,
    seen: &mut HashSet<*const StmtClassDef>,
) -> bool {
    // `seen` stops cycles; its size bounds the recursion on very long hierarchies.
    if seen.len() >= MAX_DEPTH || !seen.insert(class) {
        return false;
    }
    class.bases().iter().any(|base| {
        let Expr::Name(base) = base else { return false };
        let Some(BindingKind::ClassDef(parent)) = checker.binding_of(base).map(|b| &b.kind) else { return false };
        let parent: &'a StmtClassDef = parent;
        parent.body.iter().any(|s| matches!(s, Stmt::FunctionDef(f) if f.name.as_str() == name))
            || base_defines(checker, parent, name, seen)
    })
}

/// The statements after an optional docstring.
fn body_without_docstring(function: &StmtFunctionDef) -> &[Stmt] {
    match function.body.split_first() {
        Some((first, rest)) if helpers::is_docstring(first) => rest,
        _ => &function.body,
    }
}

/// The positional parameter names, when the method has exactly `count` of them and nothing else
/// (no decorators either: `@override`, `@abstractmethod`, `@property`... all change the story).
fn plain_parameters(function: &StmtFunctionDef, count: usize) -> Option<Vec<&str>> {
    let p = &function.parameters;
    let plain = function.decorator_list.is_empty()
        && !function.is_async
        && p.posonlyargs.is_empty()
        && p.vararg.is_none()
        && p.kwonlyargs.is_empty()
        && p.kwarg.is_none()
        && p.args.len() == count
        && p.args.iter().all(|a| a.default.is_none());
    plain.then(|| p.args.iter().map(|a| a.parameter.name.as_str()).collect())
}

/// `def get_x(self): return self.<x|_x|__x>` -> `(x, attr)`.
fn trivial_getter(getter: &StmtFunctionDef) -> Option<(&str, &str)> {
    let property = getter.name.as_str().strip_prefix("get_")?;
    if !is_identifier(property) {
        return None;
    }
    let params = plain_parameters(getter, 1)?;
    let [Stmt::Return(ret)] = body_without_docstring(getter) else { return None };
    let Some(Expr::Attribute(attr)) = ret.value.as_deref() else { return None };
    let read = attr.attr.as_str();
    let matches_property = read.trim_start_matches('_') == property && read.len() - property.len() <= 2;
    (is_name(&attr.value, params[0]) && matches_property).then_some((property, read))
}

/// `def set_x(self, v): self.<attr> = v`.
fn trivial_setter(setter: &StmtFunctionDef, attr: &str) -> bool {
    let Some(params) = plain_parameters(setter, 2) else { return false };
    let [Stmt::Assign(assign)] = body_without_docstring(setter) else { return false };
    let [Expr::Attribute(target)] = assign.targets.as_slice() else { return false };
    is_name(&target.value, params[0]) && target.attr.as_str() == attr && is_name(&assign.value, params[1])
}

fn is_name(expr: &Expr, name: &str) -> bool {
    matches!(expr, Expr::Name(n) if n.id.as_str() == name)
}

fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_alphabetic() || c == '_')
        && chars.all(|c| c.is_alphanumeric() || c == '_')
        && !KEYWORDS.contains(&name)
}

const KEYWORDS: &[&str] = &[
    "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue", "def", "del",
    "elif", "else", "except", "finally", "for", "from", "global", "if", "import", "in", "is", "lambda", "nonlocal",
    "not", "or", "pass", "raise", "return", "try", "while", "with", "yield",
];

// ---- the fix -----------------------------------------------------------------------------------------

/// `@property def x(self)` (+ `@x.setter def x(self, v)`), and every call site rewritten. Unsafe:
/// callers in other modules, subclasses overriding the accessors and `getattr(o, "get_x")` break.
/// How the module uses accessor names, gathered once for all candidates.
struct ModuleUses<'s, 'a> {
    uncalled: HashSet<&'a str>,
    calls: HashMap<&'a str, Vec<&'s CallSite<'a>>>,
}

fn property_fix(checker: &Checker, state: &State, module: &ModuleUses, candidate: &Candidate) -> Option<Fix> {
    let property = candidate.property;
    let getter_name = candidate.getter.name.as_str();
    // `return self.x` under a property named `x` would call itself forever.
    if candidate.attr == property || matches!(candidate.setter, Setter::Other) {
        return None;
    }
    let setter = match candidate.setter {
        Setter::Trivial(s) => Some(s),
        _ => None,
    };
    let names: Vec<&str> = std::iter::once(getter_name).chain(setter.map(|s| s.name.as_str())).collect();
    if names.iter().any(|n| state.defined.get(n).copied().unwrap_or(0) > 1)
        || class_uses_name(candidate.class, property)
        || names.iter().any(|n| module.uncalled.contains(n))
    {
        return None;
    }
    let nl = checker.source.line_ending();
    let mut edits = Vec::new();
    let indent = checker.source.indentation_at(candidate.getter.start())?;
    edits.push(Edit::insert(candidate.getter.start(), format!("@property{nl}{indent}")));
    edits.push(Edit::replace(candidate.getter.name.range(), property));
    if let Some(setter) = setter {
        let indent = checker.source.indentation_at(setter.start())?;
        edits.push(Edit::insert(setter.start(), format!("@{property}.setter{nl}{indent}")));
        edits.push(Edit::replace(setter.name.range(), property));
    }
    let sites = call_site_edits(checker, module, candidate, setter.is_some())?;
    let count = sites.len();
    edits.extend(sites);
    let accessors = names.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join("/");
    let title = match count {
        0 => format!("Convert {accessors} to a property `{property}`"),
        1 => format!("Convert {accessors} to a property `{property}` and rewrite 1 call"),
        n => format!("Convert {accessors} to a property `{property}` and rewrite {n} calls"),
    };
    Fix::unsafe_(title, edits)
}

/// Is `name` already a member of the class (def, class attribute) or an attribute set or read on
/// `self` anywhere in it? The property would clash with it.
fn class_uses_name(class: &StmtClassDef, name: &str) -> bool {
    let mut used = false;
    helpers::for_each_node(&class.body, &mut |node| match node {
        NodeVisit::Stmt(Stmt::FunctionDef(f)) => used |= f.name.as_str() == name,
        NodeVisit::Stmt(Stmt::ClassDef(c)) => used |= c.name.as_str() == name,
        NodeVisit::Expr(Expr::Attribute(a)) => used |= a.attr.as_str() == name && is_name(&a.value, "self"),
        _ => {}
    });
    let class_level = class.body.iter().any(|stmt| match stmt {
        Stmt::Assign(a) => a.targets.iter().any(|t| is_name(t, name)),
        Stmt::AnnAssign(a) => is_name(&a.target, name),
        _ => false,
    });
    used || class_level
}

/// Accessor names used other than as the callee of a recorded call: `obj.get_x` passed around
/// uncalled, or named in a string (`getattr(o, "get_x")`). Such uses cannot be rewritten.
fn referenced_without_call<'a>(module: &'a [Stmt], state: &State) -> HashSet<&'a str> {
    let called: HashSet<*const ExprAttribute> = state.calls.iter().map(|c| c.func as *const _).collect();
    let is_accessor = |name: &str| name.starts_with("get_") || name.starts_with("set_");
    let mut found = HashSet::new();
    helpers::for_each_node(module, &mut |node| match node {
        NodeVisit::Expr(Expr::Attribute(a))
            if is_accessor(a.attr.as_str()) && !called.contains(&(a as *const ExprAttribute)) =>
        {
            found.insert(a.attr.as_str());
        }
        NodeVisit::Expr(Expr::StringLiteral(s)) if is_accessor(s.value.to_str()) => {
            found.insert(s.value.to_str());
        }
        _ => {}
    });
    found
}

/// `obj.get_x()` -> `obj.x`; `obj.set_x(v)` as a statement -> `obj.x = v`. `None` when a call
/// cannot be rewritten (arguments where none belong, a setter call used as a value).
fn call_site_edits(
    checker: &Checker,
    module: &ModuleUses,
    candidate: &Candidate,
    with_setter: bool,
) -> Option<Vec<Edit>> {
    let property = candidate.property;
    let setter_name = format!("set_{property}");
    let sites_of = |name: &str| module.calls.get(name).map_or(&[][..], Vec::as_slice);
    let mut getters = Vec::new();
    for site in sites_of(candidate.getter.name.as_str()) {
        if !site.call.arguments.is_empty() {
            return None;
        }
        getters.push(Edit::replace(TextRange::new(site.func.attr.start(), site.call.end()), property));
    }
    let mut setters = Vec::new();
    for site in sites_of(&setter_name).iter().filter(|_| with_setter) {
        let args = &site.call.arguments;
        let [value] = &*args.args else { return None };
        if !site.is_statement || !args.keywords.is_empty() || value.is_starred_expr() {
            return None;
        }
        setters.push((TextRange::new(site.func.attr.start(), site.call.end()), value));
    }
    // A getter call inside a setter's argument (`a.set_x(b.get_x())`) is rewritten inside the
    // setter's new text, so that no two edits overlap.
    let mut edits = Vec::new();
    for (range, value) in setters {
        let (inner, _): (Vec<&Edit>, Vec<&Edit>) = getters.iter().partition(|g| value.range().contains_range(g.range));
        let text = value_text(checker, value, &inner);
        getters.retain(|g| !value.range().contains_range(g.range));
        edits.push(Edit::replace(range, format!("{property} = {text}")));
    }
    edits.extend(getters);
    Some(edits)
}

/// The setter argument's text with nested getter rewrites applied, parenthesised when it could
/// not stand on the right of `=` as it is.
fn value_text(checker: &Checker, value: &Expr, inner: &[&Edit]) -> String {
    let range = value.range();
    let mut sorted: Vec<&Edit> = inner.to_vec();
    sorted.sort_by_key(|e| e.range.start());
    let mut text = String::new();
    let mut at = range.start();
    for edit in sorted {
        text.push_str(checker.source.slice(&TextRange::new(at, edit.range.start())));
        text.push_str(&edit.content);
        at = edit.range.end();
    }
    text.push_str(checker.source.slice(&TextRange::new(at, range.end())));
    let wrap = text.contains(['\n', '\r'])
        || match value {
            Expr::Named(_) | Expr::Yield(_) | Expr::YieldFrom(_) => true,
            Expr::Generator(g) => !g.parenthesized,
            _ => false,
        };
    if wrap { format!("({text})") } else { text }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use crate::analysis::rule::Rule::GetterSetterMethods as R;

    const ACCOUNT: &str = "class Account:\n    def __init__(self, owner):\n        self._owner = owner\n\n    def get_owner(self):\n        return self._owner\n\n    def set_owner(self, owner):\n        self._owner = owner\n\nacct = Account(\"ada\")\nacct.set_owner(\"grace\")\nprint(acct.get_owner())\n";

    #[test]
    fn flags_trivial_getters_with_or_without_setters() {
        assert_count(ACCOUNT, R, 1);
        assert_count("class A:\n    def get_x(self):\n        \"\"\"Doc.\"\"\"\n        return self.__x\n", R, 1);
        assert_count("class A:\n    def get_x(this):\n        return this.x\n", R, 1);
    }

    #[test]
    fn anchors_on_the_getter_name_with_a_specific_message() {
        let found = findings(ACCOUNT, R);
        assert_eq!(&ACCOUNT[found[0].range.start().to_usize()..found[0].range.end().to_usize()], "get_owner");
        let msg = message(ACCOUNT, R);
        assert!(
            msg.contains("`get_owner()`") && msg.contains("`set_owner()`") && msg.contains("`self._owner`"),
            "{msg}"
        );
    }

    #[test]
    fn ignores_logic_extra_parameters_decorators_and_other_attributes() {
        assert_clean("class A:\n    def get_x(self):\n        return self._x + 1\n", R);
        assert_clean("class A:\n    def get_x(self, default=None):\n        return self._x\n", R);
        assert_clean(
            "from typing import override\nclass A(B):\n    @override\n    def get_x(self):\n        return self._x\n",
            R,
        );
        assert_clean("class A:\n    def get_x(self):\n        return self.y\n", R);
        assert_clean("class A:\n    def get_x(self):\n        return other._x\n", R);
        assert_clean("class A:\n    def get_class(self):\n        return self._class\n", R);
        assert_clean("def get_x(self):\n    return self._x\n", R);
    }

    #[test]
    fn ignores_overrides_and_interfaces() {
        assert_clean(
            "class B:\n    def get_x(self):\n        return compute()\nclass C(B):\n    def get_x(self):\n        return self._x\n",
            R,
        );
        let grand = "class B:\n    def get_x(self):\n        return compute()\nclass M(B):\n    pass\nclass C(M):\n    def get_x(self):\n        return self._x\n";
        assert_clean(grand, R);
        assert_clean(
            "from typing import Protocol\nclass P(Protocol):\n    def get_x(self):\n        return self._x\n",
            R,
        );
        assert_clean("import abc\nclass P(abc.ABC):\n    def get_x(self):\n        return self._x\n", R);
        assert_clean(
            "from abc import ABCMeta\nclass P(metaclass=ABCMeta):\n    def get_x(self):\n        return self._x\n",
            R,
        );
    }

    #[test]
    fn fix_converts_accessors_and_call_sites() {
        assert_eq!(
            fixed(ACCOUNT, R),
            "class Account:\n    def __init__(self, owner):\n        self._owner = owner\n\n    @property\n    def owner(self):\n        return self._owner\n\n    @owner.setter\n    def owner(self, owner):\n        self._owner = owner\n\nacct = Account(\"ada\")\nacct.owner = \"grace\"\nprint(acct.owner)\n"
        );
    }

    #[test]
    fn fix_nests_getter_calls_inside_setter_calls() {
        let src = "class A:\r\n\tdef get_x(self):\r\n\t\treturn self._x\r\n\tdef set_x(self, v):\r\n\t\tself._x = v\r\n\r\na.set_x(b.get_x() +\r\n  1)\r\n";
        assert_eq!(
            fixed(src, R),
            "class A:\r\n\t@property\r\n\tdef x(self):\r\n\t\treturn self._x\r\n\t@x.setter\r\n\tdef x(self, v):\r\n\t\tself._x = v\r\n\r\na.x = (b.x +\r\n  1)\r\n"
        );
    }

    #[test]
    fn no_fix_when_it_would_recurse_clash_or_miss_a_use() {
        let no_fix = [
            // `return self.x` inside a property `x` would recurse.
            "class A:\n    def get_x(self):\n        return self.x\n",
            // A member `x` already exists.
            "class A:\n    x = 1\n    def get_x(self):\n        return self._x\n",
            "class A:\n    def get_x(self):\n        return self._x\n    def show(self):\n        return self.x\n",
            // A setter with logic.
            "class A:\n    def get_x(self):\n        return self._x\n    def set_x(self, v):\n        self._x = v.strip()\n",
            // A setter call used as a value, a getter passed uncalled or named in a string.
            "class A:\n    def get_x(self):\n        return self._x\n    def set_x(self, v):\n        self._x = v\nr = a.set_x(1)\n",
            "class A:\n    def get_x(self):\n        return self._x\ncb = a.get_x\n",
            "class A:\n    def get_x(self):\n        return self._x\nv = getattr(a, 'get_x')()\n",
            // Another class has a method of the same name: its callers cannot be told apart.
            "class A:\n    def get_x(self):\n        return self._x\nclass B:\n    def get_x(self):\n        return 2\n",
        ];
        for src in no_fix {
            let found = findings(src, R);
            assert_eq!(found.len(), 1, "{src}");
            assert!(found[0].fix.is_none(), "{src}");
        }
    }

    #[test]
    fn half_typed_code_does_not_panic() {
        for src in [
            "class A:\n    def get_(self):\n        return self._\n",
            "class :\n    def get_x(self):\n        return self.\n",
            "a.get_x(\n",
        ] {
            let _ = findings(src, R);
        }
    }
}
