//! `getter-setter-methods` (no Ruff or Pylint peer). Java-style `get_x(self)` that only returns
//! `self._x` (and `set_x(self, v)` that only assigns it): Python code reads and writes attributes
//! directly and switches to a `property` when logic is needed, without changing callers.
//!
//! Always a hint: nothing breaks, the code is only unidiomatic, and the message says so.
//!
//! Not reported, because the name is someone else's API or the method is a hook:
//! - the class has a base that this module does not define (other than `object`, builtins such
//!   as `Exception`, and `Generic`): the base may declare `get_x` (Django's class-based views,
//!   `asyncio` transports, `logging.Handler`), so the method may be an override; likewise when a
//!   base defined here defines `get_x`, or any base of a base defined here comes from elsewhere;
//! - the attribute it returns is a class attribute of the class or of a base defined here
//!   (`model = None` ... `def get_model(self): return self.model`), or declared there for
//!   subclasses to assign (`id: str`), or a method there (`return self.test_func`): a hook that
//!   subclasses override, by attribute or by method (dataclass fields are instance data, not
//!   hooks);
//! - the accessors are already wired up as a property (`x = property(get_x, set_x)`) or the
//!   method is otherwise used as a value in the class body;
//! - a related class of this module (a subclass, a base, a sibling under a base defined here)
//!   implements the same name with logic: one polymorphic API (`OptionParser.get_description`
//!   overrides `OptionContainer.get_description`);
//! - `Protocol` and ABC classes (interfaces), methods with decorators or extra parameters;
//! - names of duck-typed protocols that library code calls: the request interface `http.cookiejar`
//!   uses (`get_full_url`, `get_host`, `get_type`, `get_origin_req_host`, `get_header`,
//!   `get_method`), and scikit-learn's `get_params`/`set_params`;
//! - test doubles (`Mock*`, `Fake*`, `Stub*`, `Dummy*` classes), which imitate someone else's API;
//!   otherwise test code is treated as any other code.
//!
//! The fix needs the whole module (every `obj.get_x()` call becomes `obj.x`), so the rule runs
//! once at the end of the module, over the model's nodes.

use std::collections::{HashMap, HashSet};

use ruff_python_ast::{Expr, ExprAttribute, ExprCall, Stmt, StmtClassDef, StmtFunctionDef};
use ruff_text_size::{Ranged, TextRange};

use crate::analysis::checker::{Checker, MAX_DEPTH, NodeRef};
use crate::analysis::finding::{Edit, Finding, Fix, Severity};
use crate::analysis::helpers;
use crate::analysis::rule::Rule;
use crate::analysis::semantic::{BindingKind, ScopeKind, SemanticModel, qualified};

/// Duck-typed protocols that library code calls by these names: the request interface
/// `http.cookiejar` uses, and scikit-learn's estimator parameters. A class implementing two or
/// more names of one of them implements the protocol.
const PROTOCOLS: &[&[&str]] = &[
    &[
        "get_full_url",
        "get_header",
        "get_host",
        "get_method",
        "get_new_headers",
        "get_origin_req_host",
        "get_type",
        "has_header",
        "header_items",
        "is_unverifiable",
    ],
    &["get_params", "set_params"],
];

/// Is `name` part of a protocol that `class` implements?
fn implements_protocol(class: &StmtClassDef, name: &str) -> bool {
    PROTOCOLS.iter().any(|protocol| {
        protocol.contains(&name) && methods(class).filter(|m| protocol.contains(&m.name.as_str())).count() >= 2
    })
}

/// Classes, accessor calls and accessor definitions of the whole module.
#[derive(Default)]
struct State<'a> {
    candidates: Vec<Candidate<'a>>,
    calls: Vec<CallSite<'a>>,
    /// How many classes in the module define a method of each `get_*`/`set_*` name: when more
    /// than one does, `obj.get_x()` cannot be told apart and is not rewritten.
    defined: HashMap<&'a str, usize>,
    /// The classes of the module that implement a method name with logic of their own.
    implemented: HashMap<&'a str, Vec<&'a StmtClassDef>>,
    /// Accessor names used other than as the callee of a call: `obj.get_x` passed around
    /// uncalled, or named in a string (`getattr(o, "get_x")`). Such uses cannot be rewritten.
    uncalled: HashSet<&'a str>,
}

struct Candidate<'a> {
    class: &'a StmtClassDef,
    getter: &'a StmtFunctionDef,
    setter: Setter<'a>,
    /// `x` in `get_x`.
    property: &'a str,
    /// The attribute read: `x`, `_x` or `__x`.
    attr: &'a str,
    /// The class is defined inside a function: nothing outside this file can call its methods.
    local: bool,
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
    let model = checker.semantic();
    // Only a `get_*` method can be reported; most modules have none, and the scan below reads
    // every node.
    let has_getter = model.scopes().any(|(_, scope)| {
        matches!(scope.kind, ScopeKind::Class(class) if methods(class).any(|m| m.name.starts_with("get_")))
    });
    if !has_getter {
        return;
    }
    let mut state = State::default();
    let mut classes = Vec::new();
    let mut callees: HashSet<*const ExprAttribute> = HashSet::new();
    let mut attributes = Vec::new();
    for (id, node) in model.nodes.iter() {
        match node {
            NodeRef::Stmt(Stmt::ClassDef(class)) => {
                let local = model.ancestors(id).any(|n| matches!(n, NodeRef::Stmt(Stmt::FunctionDef(_))));
                classes.push((class, local));
            }
            NodeRef::Expr(expr @ Expr::Call(call)) => {
                let is_statement = matches!(
                    model.parent_id(id).map(|p| model.node(p)),
                    Some(NodeRef::Stmt(Stmt::Expr(s))) if std::ptr::eq(&*s.value, expr)
                );
                if let Some(site) = record_call(call, is_statement) {
                    callees.insert(site.func);
                    state.calls.push(site);
                }
            }
            NodeRef::Expr(Expr::Attribute(attr)) if is_accessor(attr.attr.as_str()) => attributes.push(attr),
            NodeRef::Expr(Expr::StringLiteral(s)) if is_accessor(s.value.to_str()) => {
                state.uncalled.insert(s.value.to_str());
            }
            _ => {}
        }
    }
    for attr in attributes {
        if !callees.contains(&(attr as *const ExprAttribute)) {
            state.uncalled.insert(attr.attr.as_str());
        }
    }
    for (class, _) in &classes {
        for method in methods(class) {
            let name = method.name.as_str();
            if is_accessor(name) {
                *state.defined.entry(name).or_default() += 1;
            }
            if trivial_getter(method).is_none() && !is_trivial_setter_shape(method) {
                state.implemented.entry(name).or_default().push(class);
            }
        }
    }
    for (class, local) in classes {
        collect_class(checker, &mut state, class, local);
    }
    finish(checker, state);
}

fn is_accessor(name: &str) -> bool {
    name.starts_with("get_") || name.starts_with("set_")
}

fn methods(class: &StmtClassDef) -> impl Iterator<Item = &StmtFunctionDef> {
    class.body.iter().filter_map(|stmt| match stmt {
        Stmt::FunctionDef(f) => Some(f),
        _ => None,
    })
}

fn collect_class<'a>(checker: &Checker<'a>, state: &mut State<'a>, class: &'a StmtClassDef, local: bool) {
    if is_interface(checker, class) || is_test_double(class) || has_foreign_base(checker, class, &mut HashSet::new()) {
        return;
    }
    let model = checker.semantic();
    for getter in methods(class) {
        let Some((property, attr)) = trivial_getter(getter) else { continue };
        let name = getter.name.as_str();
        let setter_name = format!("set_{property}");
        if implements_protocol(class, name)
            || base_defines(checker, class, name, &mut HashSet::new())
            || is_class_attribute(checker, class, attr, &mut HashSet::new())
            || state.implemented.get(name).is_some_and(|others| others.iter().any(|o| related(checker, class, o)))
            || used_as_value(model, class, getter)
        {
            continue;
        }
        let setter = match methods(class).find(|m| m.name.as_str() == setter_name) {
            None => Setter::Absent,
            Some(s) if trivial_setter(s, attr) => Setter::Trivial(s),
            Some(_) => Setter::Other,
        };
        if let Setter::Trivial(s) = setter
            && used_as_value(model, class, s)
        {
            continue;
        }
        state.candidates.push(Candidate { class, getter, setter, property, attr, local });
    }
}

fn record_call(call: &ExprCall, is_statement: bool) -> Option<CallSite<'_>> {
    let Expr::Attribute(func) = &*call.func else { return None };
    is_accessor(func.attr.as_str()).then_some(CallSite { call, func, is_statement })
}

fn finish(checker: &mut Checker, state: State) {
    if state.candidates.is_empty() {
        return;
    }
    let mut calls: HashMap<&str, Vec<&CallSite>> = HashMap::new();
    for site in &state.calls {
        calls.entry(site.func.attr.as_str()).or_default().push(site);
    }
    let mut findings = Vec::new();
    for candidate in &state.candidates {
        let fix = property_fix(checker, &state, &calls, candidate);
        let getter = candidate.getter.name.as_str();
        let (property, attr) = (candidate.property, candidate.attr);
        let message = match candidate.setter {
            Setter::Trivial(setter) => format!(
                "`{getter}()` and `{}()` only read and write `self.{attr}`: Java-style accessors; nothing breaks, but \
                 Python code uses the attribute `{property}` directly and makes it a `@property` when it needs \
                 logic, without changing callers",
                setter.name.as_str()
            ),
            _ => format!(
                "`{getter}()` only returns `self.{attr}`: a Java-style getter; nothing breaks, but Python code reads \
                 `obj.{property}` directly and makes it a `@property` when it needs logic, without changing callers"
            ),
        };
        let finding = Finding::new(Rule::GetterSetterMethods, candidate.getter.name.range(), message)
            .with_severity(Severity::Hint);
        findings.push(finding.with_fix(fix));
    }
    for finding in findings {
        checker.report(finding);
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

fn is_test_double(class: &StmtClassDef) -> bool {
    let name = class.name.as_str().trim_start_matches('_');
    ["Mock", "Fake", "Stub", "Dummy"].iter().any(|word| name.starts_with(word) || name.ends_with(word))
}

/// The class and its bases defined in this module, transitively.
fn local_ancestry<'a>(checker: &Checker<'a>, class: &'a StmtClassDef) -> Vec<*const StmtClassDef> {
    let mut out: Vec<*const StmtClassDef> = Vec::new();
    let mut stack = vec![class];
    while let Some(c) = stack.pop() {
        if out.len() >= MAX_DEPTH || out.contains(&(c as *const _)) {
            continue;
        }
        out.push(c);
        stack.extend(c.bases().iter().filter_map(|b| local_base(checker, b)));
    }
    out
}

/// Do two classes of this module share an ancestor defined here (one derives from the other, or
/// both from a common base)? Then a method name they both define is one polymorphic API.
fn related<'a>(checker: &Checker<'a>, a: &'a StmtClassDef, b: &'a StmtClassDef) -> bool {
    let ours = local_ancestry(checker, a);
    local_ancestry(checker, b).iter().any(|c| ours.contains(c))
}

/// A base defined in this module, as its class statement.
fn local_base<'a>(checker: &Checker<'a>, base: &Expr) -> Option<&'a StmtClassDef> {
    let Expr::Name(name) = base else { return None };
    match checker.binding_of(name).map(|b| &b.kind) {
        Some(BindingKind::ClassDef(parent)) => Some(parent),
        _ => None,
    }
}

/// Does the class, or a base defined here, have a base from elsewhere that could declare the
/// accessor? `object`, the builtins (their methods are known: none is `get_*`) and `Generic` are
/// not such bases.
fn has_foreign_base<'a>(
    checker: &Checker<'a>,
    class: &'a StmtClassDef,
    seen: &mut HashSet<*const StmtClassDef>,
) -> bool {
    // `seen` stops cycles; its size bounds the recursion on very long hierarchies.
    if seen.len() >= MAX_DEPTH || !seen.insert(class) {
        return false;
    }
    class.bases().iter().any(|base| {
        let base = match base {
            Expr::Subscript(sub) => &*sub.value,
            other => other,
        };
        if let Some(parent) = local_base(checker, base) {
            return has_foreign_base(checker, parent, seen);
        }
        let known = checker.resolve(base).is_some_and(|q| {
            qualified::in_module(&q, "builtins")
                || qualified::which(&q, &["typing.Generic", "typing_extensions.Generic"]).is_some()
        });
        !known
    })
}

/// Does a base class defined in this module (or one of its bases) define `name`?
fn base_defines<'a>(
    checker: &Checker<'a>,
    class: &'a StmtClassDef,
    name: &str,
    seen: &mut HashSet<*const StmtClassDef>,
) -> bool {
    if seen.len() >= MAX_DEPTH || !seen.insert(class) {
        return false;
    }
    class
        .bases()
        .iter()
        .filter_map(|base| local_base(checker, base))
        .any(|parent| methods(parent).any(|f| f.name.as_str() == name) || base_defines(checker, parent, name, seen))
}

/// Is `attr` assigned in the body of the class or of a base defined here: a class attribute the
/// getter exposes as an overridable hook? Dataclass fields are instance data, not hooks.
fn is_class_attribute<'a>(
    checker: &Checker<'a>,
    class: &'a StmtClassDef,
    attr: &str,
    seen: &mut HashSet<*const StmtClassDef>,
) -> bool {
    if seen.len() >= MAX_DEPTH || !seen.insert(class) {
        return false;
    }
    let dataclass = class.decorator_list.iter().any(|d| {
        let callee = match &d.expression {
            Expr::Call(call) => &*call.func,
            other => other,
        };
        checker.resolves_to(callee, "dataclasses.dataclass")
    });
    // `id: str` alone declares what subclasses assign (`id = "ar"`): the getter reads their value.
    // `def test_func(self)` ... `def get_test_func(self): return self.test_func`: the getter hands
    // out a method, a hook to choose which one.
    let here = class.body.iter().any(|stmt| match stmt {
        Stmt::Assign(a) => !dataclass && a.targets.iter().any(|t| is_name(t, attr)),
        Stmt::AnnAssign(a) => !dataclass && is_name(&a.target, attr),
        Stmt::FunctionDef(f) => f.name.as_str() == attr,
        _ => false,
    });
    here || class
        .bases()
        .iter()
        .filter_map(|base| local_base(checker, base))
        .any(|parent| is_class_attribute(checker, parent, attr, seen))
}

/// The statement of method `method` in the class body.
fn statement_of<'a>(class: &'a StmtClassDef, method: &StmtFunctionDef) -> Option<&'a Stmt> {
    class.body.iter().find(|s| matches!(s, Stmt::FunctionDef(f) if std::ptr::eq(f, method)))
}

/// Is the method read as a value anywhere (`x = property(get_x, set_x)` in the class body,
/// `aliases = [get_x]`)? Then it is wired up on purpose.
fn used_as_value(model: &SemanticModel, class: &StmtClassDef, method: &StmtFunctionDef) -> bool {
    statement_of(class, method)
        .and_then(|stmt| model.stmt_id(stmt))
        .and_then(|node| model.definition_binding(node))
        .is_some_and(|binding| model.is_used(binding))
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

/// A `set_*` whose body only assigns its argument to an attribute of `self` (any attribute).
fn is_trivial_setter_shape(setter: &StmtFunctionDef) -> bool {
    match body_without_docstring(setter) {
        [Stmt::Assign(assign)] => {
            setter.name.as_str().starts_with("set_")
                && matches!(assign.targets.as_slice(), [Expr::Attribute(_)])
                && plain_parameters(setter, 2).is_some()
        }
        _ => false,
    }
}

fn is_name(expr: &Expr, name: &str) -> bool {
    matches!(expr, Expr::Name(n) if n.id.as_str() == name)
}

fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_alphabetic() || c == '_')
        && chars.all(|c| c.is_alphanumeric() || c == '_')
        // Soft keywords are fine attribute names (`obj.type`).
        && (!helpers::is_keyword(name) || matches!(name, "match" | "case" | "type"))
}

// ---- the fix -----------------------------------------------------------------------------------------

/// `@property def x(self)` (+ `@x.setter def x(self, v)`, placed after the getter), and every call
/// site of this module rewritten. Display-only when the class is reachable from other modules:
/// callers there, subclasses overriding the accessors and `getattr(o, "get_x")` break, so the
/// user decides. Unsafe for a class local to a function (only this file can reach it).
fn property_fix(
    checker: &Checker,
    state: &State,
    calls: &HashMap<&str, Vec<&CallSite>>,
    candidate: &Candidate,
) -> Option<Fix> {
    let property = candidate.property;
    let getter = candidate.getter;
    // `return self.x` under a property named `x` would call itself forever.
    if candidate.attr == property || matches!(candidate.setter, Setter::Other) {
        return None;
    }
    let setter = match candidate.setter {
        Setter::Trivial(s) => Some(s),
        _ => None,
    };
    let names: Vec<&str> = std::iter::once(getter.name.as_str()).chain(setter.map(|s| s.name.as_str())).collect();
    if names.iter().any(|n| state.defined.get(n).copied().unwrap_or(0) > 1)
        || class_uses_name(checker.semantic(), candidate.class, property)
        || names.iter().any(|n| state.uncalled.contains(n))
    {
        return None;
    }
    let nl = checker.source.line_ending();
    let mut edits = Vec::new();
    let indent = checker.source.indentation_at(getter.start())?;
    edits.push(Edit::insert(getter.start(), format!("@property{nl}{indent}")));
    edits.push(Edit::replace(getter.name.range(), property));
    if let Some(setter) = setter {
        let indent = checker.source.indentation_at(setter.start())?;
        if setter.start() > getter.start() {
            edits.push(Edit::insert(setter.start(), format!("@{property}.setter{nl}{indent}")));
            edits.push(Edit::replace(setter.name.range(), property));
        } else {
            // `@x.setter` needs the property `x` to exist: move the setter after the getter.
            edits.extend(move_after(checker, setter, getter, property)?);
        }
    }
    let sites = call_site_edits(checker, calls, candidate, setter.is_some())?;
    let count = sites.len();
    edits.extend(sites);
    let accessors = names.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join("/");
    let title = match count {
        0 => format!("Convert {accessors} to a property `{property}`"),
        1 => format!("Convert {accessors} to a property `{property}` and rewrite 1 call"),
        n => format!("Convert {accessors} to a property `{property}` and rewrite {n} calls"),
    };
    if candidate.local { Fix::unsafe_(title, edits) } else { Fix::display_only(title, edits) }
}

/// Deletes the setter's lines and puts them, renamed and decorated with `@x.setter`, right after
/// the getter.
fn move_after(
    checker: &Checker,
    setter: &StmtFunctionDef,
    getter: &StmtFunctionDef,
    property: &str,
) -> Option<Vec<Edit>> {
    let source = &checker.source;
    let nl = source.line_ending();
    let block = TextRange::new(source.line_start(setter.start()), source.full_line_end(setter.end()));
    // The setter's own lines must hold nothing else (no code sharing its first or last line).
    if source.slice(&TextRange::new(block.start(), setter.start())).trim() != ""
        || !source.nothing_after_on_line(setter.end())
    {
        return None;
    }
    let name_at = setter.name.start() - block.start();
    let text = source.slice(&block);
    let (head, tail) = text.split_at(name_at.to_usize());
    let renamed = format!("{head}{property}{}", &tail[setter.name.range().len().to_usize()..]);
    let indent = source.indentation_at(setter.start())?;
    let at = source.full_line_end(getter.end());
    let before = if source.text()[..at.to_usize()].ends_with(['\n', '\r']) { "" } else { nl };
    let renamed = if renamed.ends_with(['\n', '\r']) { renamed } else { format!("{renamed}{nl}") };
    Some(vec![Edit::delete(block), Edit::insert(at, format!("{before}{indent}@{property}.setter{nl}{renamed}"))])
}

/// Is `name` already a member of the class (def, class attribute) or an attribute set or read on
/// `self` anywhere in it? The property would clash with it.
fn class_uses_name(model: &SemanticModel, class: &StmtClassDef, name: &str) -> bool {
    let range = class.range();
    let used = model.nodes.iter().any(|(_, node)| {
        range.contains_range(node.range())
            && match node {
                NodeRef::Stmt(Stmt::FunctionDef(f)) => f.name.as_str() == name,
                NodeRef::Stmt(Stmt::ClassDef(c)) => c.name.as_str() == name,
                NodeRef::Expr(Expr::Attribute(a)) => a.attr.as_str() == name && is_name(&a.value, "self"),
                _ => false,
            }
    });
    let class_level = class.body.iter().any(|stmt| match stmt {
        Stmt::Assign(a) => a.targets.iter().any(|t| is_name(t, name)),
        Stmt::AnnAssign(a) => is_name(&a.target, name),
        _ => false,
    });
    used || class_level
}

/// `obj.get_x()` -> `obj.x`; `obj.set_x(v)` as a statement -> `obj.x = v`. `None` when a call
/// cannot be rewritten (arguments where none belong, a setter call used as a value).
fn call_site_edits(
    checker: &Checker,
    calls: &HashMap<&str, Vec<&CallSite>>,
    candidate: &Candidate,
    with_setter: bool,
) -> Option<Vec<Edit>> {
    let property = candidate.property;
    let setter_name = format!("set_{property}");
    let sites_of = |name: &str| calls.get(name).map_or(&[][..], Vec::as_slice);
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
    use crate::analysis::finding::{Applicability, Severity};
    use crate::analysis::rule::Rule::GetterSetterMethods as R;

    const ACCOUNT: &str = "class Account:\n    def __init__(self, owner):\n        self._owner = owner\n\n    def get_owner(self):\n        return self._owner\n\n    def set_owner(self, owner):\n        self._owner = owner\n\nacct = Account(\"ada\")\nacct.set_owner(\"grace\")\nprint(acct.get_owner())\n";

    #[test]
    fn hints_at_trivial_getters_with_or_without_setters() {
        for src in [
            ACCOUNT,
            "class A:\n    def get_x(self):\n        \"\"\"Doc.\"\"\"\n        return self.__x\n",
            "class A:\n    def get_x(this):\n        return this.x\n",
            "class A(object):\n    def get_x(self):\n        return self._x\n",
            "class NannyNag(Exception):\n    def get_lineno(self):\n        return self.lineno\n",
            "from typing import Generic, TypeVar\nT = TypeVar('T')\nclass Box(Generic[T]):\n    def get_item(self):\n        return self._item\n",
            "class A:\n    def get_type(self):\n        return self._type\n",
        ] {
            let found = findings(src, R);
            assert_eq!(found.len(), 1, "{src}");
            assert_eq!(found[0].severity, Severity::Hint);
        }
        // `get_type` is the cookiejar request protocol only in a class that implements more of it.
        assert_clean(
            "class Request:\n    def get_type(self):\n        return self.type\n    def get_host(self):\n        return self.host\n",
            R,
        );
    }

    #[test]
    fn anchors_on_the_getter_name_with_a_specific_message() {
        let found = findings(ACCOUNT, R);
        assert_eq!(&ACCOUNT[found[0].range.start().to_usize()..found[0].range.end().to_usize()], "get_owner");
        assert_eq!(
            found[0].message,
            "`get_owner()` and `set_owner()` only read and write `self._owner`: Java-style accessors; nothing breaks, \
             but Python code uses the attribute `owner` directly and makes it a `@property` when it needs logic, \
             without changing callers"
        );
    }

    #[test]
    fn ignores_logic_extra_parameters_decorators_and_other_attributes() {
        for src in [
            "class A:\n    def get_x(self):\n        return self._x + 1\n",
            "class A:\n    def get_x(self, default=None):\n        return self._x\n",
            "from typing import override\nclass A:\n    @override\n    def get_x(self):\n        return self._x\n",
            "class A:\n    def get_x(self):\n        return self.y\n",
            "class A:\n    def get_x(self):\n        return other._x\n",
            "class A:\n    def get_class(self):\n        return self._class\n",
            "def get_x(self):\n    return self._x\n",
        ] {
            assert_clean(src, R);
        }
    }

    #[test]
    fn ignores_overrides_of_a_base_from_elsewhere() {
        for src in [
            // Django's class-based views, asyncio transports, logging handlers: the base declares it.
            "from django.views.generic import View\nclass V(View):\n    def get_template_name(self):\n        return self._template_name\n",
            "import logging\nclass H(logging.Handler):\n    def get_name(self):\n        return self._name\n",
            // Through a base of this module whose own base comes from elsewhere.
            "from lib import Base\nclass M(Base):\n    pass\nclass C(M):\n    def get_x(self):\n        return self._x\n",
            // A base defined here defines it.
            "class B:\n    def get_x(self):\n        return compute()\nclass C(B):\n    def get_x(self):\n        return self._x\n",
            "class B:\n    def get_x(self):\n        return compute()\nclass M(B):\n    pass\nclass C(M):\n    def get_x(self):\n        return self._x\n",
        ] {
            assert_clean(src, R);
        }
    }

    #[test]
    fn ignores_hooks_wired_accessors_shared_apis_and_interfaces() {
        for src in [
            // A hook returning a class attribute that subclasses override.
            "class YearMixin:\n    year_format = '%Y'\n    def get_year_format(self):\n        return self.year_format\n",
            "class Base:\n    model = None\nclass ListMixin(Base):\n    def get_model(self):\n        return self.model\n",
            "class StaticLinker:\n    id: str\n    def get_id(self):\n        return self.id\n",
            "class Mixin:\n    def test_func(self):\n        raise NotImplementedError\n    def get_test_func(self):\n        return self.test_func\n",
            // Already a property.
            "class P:\n    def get_v(self):\n        return self._v\n    def set_v(self, v):\n        self._v = v\n    v = property(get_v, set_v)\n",
            // A related class computes the same name: a polymorphic API.
            "class T:\n    pass\nclass A(T):\n    def get_deps(self):\n        return self.deps\nclass B(T):\n    def get_deps(self):\n        return [d for d in self.items if d]\n",
            "class A:\n    def get_description(self):\n        return self.description\nclass B(A):\n    def get_description(self):\n        return self.description.replace('%prog', 'x')\n",
            // Interfaces and test doubles.
            "from typing import Protocol\nclass P(Protocol):\n    def get_x(self):\n        return self._x\n",
            "import abc\nclass P(abc.ABC):\n    def get_x(self):\n        return self._x\n",
            "from abc import ABCMeta\nclass P(metaclass=ABCMeta):\n    def get_x(self):\n        return self._x\n",
            "class FakeRequest:\n    def get_new_headers(self):\n        return self._new_headers\n",
            // Protocol names library code calls.
            "class Req:\n    def get_full_url(self):\n        return self._url\n    def has_header(self, h):\n        return False\n",
        ] {
            assert_clean(src, R);
        }
        // An unrelated class with a method of the same name does not make it an API.
        let src = "class Symbol:\n    def get_name(self):\n        return self.__name\nclass Table:\n    def get_name(self):\n        return self._table.name\n";
        assert_count(src, R, 1);
        // A dataclass field with a default is instance data, not a hook.
        let src = "from dataclasses import dataclass\n@dataclass\nclass D:\n    curdir: str = '.'\n    def get_curdir(self):\n        return self.curdir\n";
        assert_count(src, R, 1);
    }

    #[test]
    fn fix_converts_accessors_and_call_sites() {
        assert_eq!(
            fixed(ACCOUNT, R),
            "class Account:\n    def __init__(self, owner):\n        self._owner = owner\n\n    @property\n    def owner(self):\n        return self._owner\n\n    @owner.setter\n    def owner(self, owner):\n        self._owner = owner\n\nacct = Account(\"ada\")\nacct.owner = \"grace\"\nprint(acct.owner)\n"
        );
        // Public accessors: callers in other modules break, so the user decides.
        assert_eq!(findings(ACCOUNT, R)[0].fix.as_ref().map(|f| f.applicability), Some(Applicability::DisplayOnly));
        assert_fix_keeps_output(ACCOUNT, R, "");
    }

    #[test]
    fn fix_puts_the_property_before_its_setter() {
        let src = "class Account:\n    def __init__(self, owner):\n        self._owner = owner\n\n    def set_owner(self, owner):\n        self._owner = owner\n\n    def get_owner(self):\n        return self._owner\n\nacct = Account(\"ada\")\nacct.set_owner(\"grace\")\nprint(acct.get_owner())\n";
        let fixed_text = assert_fix_keeps_output(src, R, "");
        assert_eq!(
            fixed_text,
            "class Account:\n    def __init__(self, owner):\n        self._owner = owner\n\n\n    @property\n    def owner(self):\n        return self._owner\n    @owner.setter\n    def owner(self, owner):\n        self._owner = owner\n\nacct = Account(\"ada\")\nacct.owner = \"grace\"\nprint(acct.owner)\n"
        );
        // At the end of a file without a final newline.
        let src =
            "class A:\n    def set_x(self, v):\n        self._x = v\n    def get_x(self):\n        return self._x";
        let fixed_text = fixed(src, R);
        assert!(!fixed_text.lines().any(|l| !l.is_empty() && l.trim().is_empty()), "{fixed_text:?}");
        let (ok, out, err) = run_python(&format!("{fixed_text}\na = A()\na.x = 3\nprint(a.x)\n"));
        assert!(ok, "{fixed_text}\n{err}");
        assert_eq!(out, "3\n");
    }

    #[test]
    fn fix_is_unsafe_for_a_class_local_to_a_function() {
        let src = "def make():\n    class A:\n        def get_x(self):\n            return self._x\n    a = A()\n    a._x = 1\n    return a.get_x()\nprint(make())\n";
        assert_eq!(findings(src, R)[0].fix.as_ref().map(|f| f.applicability), Some(Applicability::Unsafe));
        assert_fix_keeps_output(src, R, "");
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
            "class A:\n    def get_x(self):\n        return self._x\n    def show(self):\n        return self.x\n",
            // A setter with logic.
            "class A:\n    def get_x(self):\n        return self._x\n    def set_x(self, v):\n        self._x = v.strip()\n",
            // A setter call used as a value, a getter passed uncalled or named in a string.
            "class A:\n    def get_x(self):\n        return self._x\n    def set_x(self, v):\n        self._x = v\nr = a.set_x(1)\n",
            "class A:\n    def get_x(self):\n        return self._x\ncb = a.get_x\n",
            "class A:\n    def get_x(self):\n        return self._x\nv = getattr(a, 'get_x')()\n",
            // Another class has a trivial method of the same name: its callers cannot be told apart.
            "class A:\n    def get_x(self):\n        return self._x\nclass B:\n    def get_x(self):\n        return self.__x\n",
        ];
        for src in no_fix {
            let found = findings(src, R);
            assert!(!found.is_empty(), "{src}");
            assert!(found[0].fix.is_none(), "{src}");
        }
    }

    #[test]
    fn card_example() {
        assert_card_examples(R);
    }

    #[test]
    fn half_typed_code_does_not_panic() {
        for src in [
            "class A:\n    def get_(self):\n        return self._\n",
            "class :\n    def get_x(self):\n        return self.\n",
            "a.get_x(\n",
            "class A:\n    def set_x(self, v):\n        self._x = v\n    def get_x(self):\n",
        ] {
            let _ = findings(src, R);
        }
    }
}
