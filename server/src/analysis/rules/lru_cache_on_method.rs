//! `lru-cache-on-method` (peers: Ruff B019; Pylint method-cache-max-size-none W1518, unbounded
//! caches only). `functools.lru_cache` / `functools.cache` on an instance method wraps the function
//! once, in the class body: one cache for every instance, with `self` in each key, so every
//! instance it is called on stays alive until its entries are evicted (never, with `maxsize=None`
//! or `cache`), and instances share the `maxsize` slots.
//!
//! What the harm needs is many instances over the program's life; a cache on a long-lived object
//! (a build backend, a compiler, a dialect, a registry) keeps alive what lives anyway. So, decided on
//! the finished model:
//! - warning, when this code shows the harm: the instances are unhashable, so every call raises
//!   `TypeError` (the class defines `__eq__` without `__hash__`, or is a plain `@dataclass`); or the
//!   cache is unbounded and this module makes an instance on every iteration of a loop and drops
//!   it there (`Report(rows).total()`): only the cache keeps those alive. The message names the
//!   line. (Instances a loop stores or hands on live on anyway: a hint.)
//! - hint, otherwise: the shape interviewers ask about; the message says it is harmless while the
//!   instances live as long as the program, and how much a bounded cache can hold.
//! - nothing: static and class methods (explicit, `cls` as the first parameter, `__new__`,
//!   `__init_subclass__`, `__class_getitem__`, a method rebound as `f = classmethod(f)`), methods of
//!   metaclasses and of `Enum` subclasses (members are singletons, as in B019), and a bounded cache
//!   on a value class, hashed by value (`__hash__` defined, a `NamedTuple`, a frozen or
//!   `unsafe_hash` dataclass): equal instances share entries by design and at most `maxsize` are
//!   kept.
//!
//! Test code gets no special treatment: a test class with a cached method is the same shape.
//! Anchored, as Ruff does, on the decorator.
//!
//! Fix (display-only: `obj.name()` must become `obj.name` at every call site, and `cached_property`
//! needs an instance `__dict__`): `@functools.cached_property` for a method taking only `self`, a
//! per-instance cache that dies with the instance.

use std::collections::HashSet;

use ruff_python_ast::helpers::map_callable;
use ruff_python_ast::{Decorator, Expr, Stmt, StmtClassDef, StmtFunctionDef};
use ruff_text_size::Ranged;

use crate::analysis::checker::{Checker, MAX_DEPTH, NodeRef};
use crate::analysis::finding::{Edit, Finding, Fix, Severity};
use crate::analysis::helpers;
use crate::analysis::rule::Rule;
use crate::analysis::semantic::{BindingKind, ScopeId, ScopeKind, SemanticModel, Use};

const ENUM_BASES: &[&str] =
    &["enum.Enum", "enum.IntEnum", "enum.StrEnum", "enum.Flag", "enum.IntFlag", "enum.ReprEnum"];
const METACLASS_BASES: &[&str] = &["builtins.type", "abc.ABCMeta", "enum.EnumMeta", "enum.EnumType"];

/// Runs once per function scope, after the walk: the method's class and its uses are known.
pub(crate) fn check_scope(checker: &mut Checker, scope: ScopeId) {
    let model = checker.semantic();
    let ScopeKind::Function(function) = model.scope(scope).kind else { return };
    let Some(class_scope) = model.scope(scope).parent else { return };
    let ScopeKind::Class(class) = model.scope(class_scope).kind else { return };
    if !is_instance_method(checker, class_scope, class, function) {
        return;
    }
    let caches: Vec<(&Decorator, CacheKind)> =
        function.decorator_list.iter().filter_map(|d| Some((d, cache_kind(checker, &d.expression)?))).collect();
    if caches.is_empty() || is_enum(checker, class, &mut HashSet::new()) {
        return;
    }
    let value_class = is_value_class(checker, class);
    let mut findings = Vec::new();
    for (decorator, kind) in caches {
        if value_class && matches!(kind, CacheKind::Bounded(_)) {
            continue;
        }
        let (severity, message) = message(checker, class_scope, class, function, decorator, kind);
        let fix = cached_property_fix(checker, class, function, decorator);
        let finding = Finding::new(Rule::LruCacheOnMethod, decorator.range(), message).with_severity(severity);
        findings.push(finding.with_fix(fix));
    }
    for finding in findings {
        checker.report(finding);
    }
}

/// Not static, not a class method (explicitly, implicitly or by rebinding), not in a metaclass.
fn is_instance_method(
    checker: &Checker,
    class_scope: ScopeId,
    class: &StmtClassDef,
    function: &StmtFunctionDef,
) -> bool {
    let name = function.name.as_str();
    if matches!(name, "__new__" | "__init_subclass__" | "__class_getitem__") {
        return false;
    }
    const CLASS_LEVEL: &[&str] =
        &["builtins.staticmethod", "builtins.classmethod", "abc.abstractstaticmethod", "abc.abstractclassmethod"];
    let special = function
        .decorator_list
        .iter()
        .any(|d| checker.resolves_to_any(map_callable(&d.expression), CLASS_LEVEL).is_some());
    // `def f(cls)` under a class-level descriptor such as Django's `@classproperty`.
    let first = function.parameters.posonlyargs.iter().chain(&function.parameters.args).next();
    let takes_class = first.is_some_and(|p| matches!(p.parameter.name.as_str(), "cls" | "mcs" | "mcls" | "metacls"));
    // `get_lookups = classmethod(get_lookups)` later in the class body.
    let model = checker.semantic();
    let rebound = model.bindings_of(class_scope, name).any(|b| {
        model.references(b).any(|r| {
            matches!(model.use_of(r), Use::Argument { call } if checker.resolves_to_any(&call.func, CLASS_LEVEL).is_some())
        })
    });
    let metaclass = class.bases().iter().any(|b| checker.resolves_to_any(map_callable(b), METACLASS_BASES).is_some());
    !special && !takes_class && !rebound && !metaclass
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum CacheKind {
    /// `cache`, `lru_cache(maxsize=None)`, `lru_cache(None)`.
    Unbounded,
    /// The `maxsize`, when it is written as a number (128 when not given).
    Bounded(Option<u64>),
}

fn cache_kind(checker: &Checker, decorator: &Expr) -> Option<CacheKind> {
    match checker.resolve(map_callable(decorator))?.segments() {
        ["functools", "cache"] => Some(CacheKind::Unbounded),
        ["functools", "lru_cache"] => {
            let maxsize = match decorator {
                Expr::Call(call) => call
                    .arguments
                    .find_argument_value("maxsize", 0)
                    .filter(|_| !call.arguments.args.first().is_some_and(is_function_like)),
                _ => None,
            };
            Some(match maxsize {
                Some(size) if size.is_none_literal_expr() => CacheKind::Unbounded,
                Some(Expr::NumberLiteral(n)) => CacheKind::Bounded(n.value.as_int().and_then(|i| i.as_u64())),
                Some(_) => CacheKind::Bounded(None),
                None => CacheKind::Bounded(Some(128)),
            })
        }
        _ => None,
    }
}

/// `lru_cache(user_function)` is the decorator applied directly; not a size.
fn is_function_like(expr: &Expr) -> bool {
    matches!(expr, Expr::Name(_) | Expr::Attribute(_) | Expr::Lambda(_))
}

/// Does the class derive (directly, or through classes of this module) from an `Enum`?
fn is_enum<'a>(checker: &Checker<'a>, class: &'a StmtClassDef, seen: &mut HashSet<*const StmtClassDef>) -> bool {
    // `seen` stops cycles; its size bounds the recursion on very long hierarchies.
    if seen.len() >= MAX_DEPTH || !seen.insert(class) {
        return false;
    }
    class.bases().iter().any(|base| {
        let base = match base {
            Expr::Subscript(sub) => &*sub.value,
            other => other,
        };
        if checker.resolves_to_any(base, ENUM_BASES).is_some() {
            return true;
        }
        match base {
            Expr::Name(name) => match checker.binding_of(name).map(|b| &b.kind) {
                Some(BindingKind::ClassDef(parent)) => is_enum(checker, parent, seen),
                _ => false,
            },
            _ => false,
        }
    })
}

fn defines<'c>(class: &'c StmtClassDef, name: &str) -> Option<&'c Stmt> {
    class.body.iter().find(|stmt| match stmt {
        Stmt::FunctionDef(f) => f.name.as_str() == name,
        Stmt::Assign(a) => a.targets.iter().any(|t| matches!(t, Expr::Name(n) if n.id.as_str() == name)),
        Stmt::AnnAssign(a) => matches!(&*a.target, Expr::Name(n) if n.id.as_str() == name),
        _ => false,
    })
}

/// The `@dataclass` decorator of the class and whether it hashes instances (`frozen=True` or
/// `unsafe_hash=True`; `eq=False` keeps identity hashing).
fn dataclass(checker: &Checker, class: &StmtClassDef) -> Option<(bool, bool)> {
    class.decorator_list.iter().find_map(|d| {
        if !checker.resolves_to(map_callable(&d.expression), "dataclasses.dataclass") {
            return None;
        }
        let flag = |name: &str| match &d.expression {
            Expr::Call(call) => {
                call.arguments.find_keyword(name).map(|k| matches!(&k.value, Expr::BooleanLiteral(b) if b.value))
            }
            _ => None,
        };
        let hashed = flag("frozen") == Some(true) || flag("unsafe_hash") == Some(true);
        let eq = flag("eq") != Some(false);
        Some((hashed, eq))
    })
}

/// Instances hash by value: equal ones share cache entries on purpose.
fn is_value_class(checker: &Checker, class: &StmtClassDef) -> bool {
    let named_tuple = class.bases().iter().any(|b| {
        checker.resolves_to(map_callable(b), "typing.NamedTuple")
            || matches!(b, Expr::Call(call) if checker.resolves_to(&call.func, "collections.namedtuple"))
    });
    named_tuple || defines(class, "__hash__").is_some() || dataclass(checker, class).is_some_and(|(hashed, _)| hashed)
}

/// Why calls raise `TypeError: unhashable type`, when they do: `__eq__` without `__hash__` sets
/// `__hash__` to `None`, and so does a plain `@dataclass`.
fn unhashable(checker: &Checker, class: &StmtClassDef) -> Option<String> {
    if defines(class, "__hash__").is_some() {
        return None;
    }
    if let Some(eq) = defines(class, "__eq__") {
        let line = checker.source.line_number(eq.start());
        return Some(format!("`__eq__` (line {line}) without `__hash__` makes instances unhashable"));
    }
    match dataclass(checker, class) {
        Some((false, true)) => Some("a `@dataclass` that is not frozen has `__hash__ = None`".to_string()),
        _ => None,
    }
}

/// A call of the class on every iteration of a loop (or comprehension) in this module, whose
/// instance is used and dropped there (`Report(rows).total()`, or a local name that does not
/// escape): only the cache keeps it alive. An instance stored or handed on lives on anyway.
fn made_in_a_loop(model: &SemanticModel, class_scope: ScopeId) -> Option<ruff_text_size::TextSize> {
    let node = model.scope(class_scope).node?;
    let binding = model.definition_binding(node)?;
    model.references(binding).find_map(|r| {
        let Use::Called(call) = model.use_of(r) else { return None };
        let call_node = model.parent_id(r.node)?;
        let temporary = match model.use_of_node(call_node) {
            Use::MethodCall { .. } | Use::AttributeLoad(_) => true,
            Use::Stored { target: target @ Expr::Name(_) } => model
                .expr_id(target)
                .and_then(|id| model.nodes.binding(id))
                .is_some_and(|instance| model.first_escape(instance).is_none()),
            _ => false,
        };
        if !temporary {
            return None;
        }
        let in_loop = model.ancestors(r.node).take_while(|n| !is_scope_boundary(n)).any(|n| match n {
            NodeRef::Stmt(Stmt::For(f)) => f.body.iter().any(|s| s.range().contains_range(call.range())),
            NodeRef::Stmt(Stmt::While(w)) => w.body.iter().any(|s| s.range().contains_range(call.range())),
            NodeRef::Expr(Expr::ListComp(_) | Expr::SetComp(_) | Expr::DictComp(_) | Expr::Generator(_)) => true,
            _ => false,
        });
        in_loop.then_some(call.start())
    })
}

fn is_scope_boundary(node: &NodeRef) -> bool {
    matches!(node, NodeRef::Stmt(Stmt::FunctionDef(_) | Stmt::ClassDef(_)) | NodeRef::Expr(Expr::Lambda(_)))
}

fn message(
    checker: &Checker,
    class_scope: ScopeId,
    class: &StmtClassDef,
    function: &StmtFunctionDef,
    decorator: &Decorator,
    kind: CacheKind,
) -> (Severity, String) {
    let text = checker.source.slice(&decorator.expression);
    let shown = if text.len() > 40 || text.contains(['\n', '\r']) { "the cache decorator" } else { text };
    let name = function.name.as_str();
    let class_name = class.name.as_str();
    let head = format!("`@{shown}` on method `{name}` keeps one cache for all instances, with `self` in every key");
    if let Some(why) = unhashable(checker, class) {
        return (
            Severity::Warning,
            format!("{head}, and {why}: every call of `{name}` raises `TypeError: unhashable type: '{class_name}'`"),
        );
    }
    if kind == CacheKind::Unbounded
        && let Some(at) = made_in_a_loop(checker.semantic(), class_scope)
    {
        let line = checker.source.line_number(at);
        return (
            Severity::Warning,
            format!(
                "{head}: `{class_name}(...)` (line {line}) makes a new instance on every iteration, and each one \
                 `{name}` is called on stays alive for the life of the program"
            ),
        );
    }
    let text = match kind {
        CacheKind::Unbounded => format!(
            "{head}: every instance it is called on stays alive for the life of the program; harmless while instances \
             live that long anyway, a leak when many are made"
        ),
        CacheKind::Bounded(size) => {
            let size = size.map_or_else(|| "`maxsize`".to_string(), |n| n.to_string());
            format!(
                "{head}: up to {size} entries keep their instances alive until evicted, and all instances share those \
                 slots; harmless for a few long-lived instances"
            )
        }
    };
    (Severity::Hint, text)
}

/// `@functools.cached_property` for a method taking only `self`: a per-instance cache that dies
/// with the instance. Display-only: `obj.{name}()` must become `obj.{name}` at every call site,
/// and `cached_property` needs an instance `__dict__` (no `__slots__`).
fn cached_property_fix(
    checker: &Checker,
    class: &StmtClassDef,
    function: &StmtFunctionDef,
    decorator: &Decorator,
) -> Option<Fix> {
    let parameters = &function.parameters;
    let only_self =
        parameters.len() == 1 && parameters.args.first().is_some_and(|p| p.parameter.name.as_str() == "self");
    if !only_self || function.is_async || function.decorator_list.len() != 1 || defines(class, "__slots__").is_some() {
        return None;
    }
    let (cached_property, import) = helpers::import_member(checker, "functools", "cached_property");
    let mut edits = vec![Edit::replace(decorator.expression.range(), cached_property.clone())];
    edits.extend(import);
    Fix::display_only(
        format!("Use `@{cached_property}` (callers then read `.{}` without calling it)", function.name.as_str()),
        edits,
    )
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use crate::analysis::finding::{Applicability, Severity};
    use crate::analysis::rule::Rule::LruCacheOnMethod as R;

    #[track_caller]
    fn one(src: &str, severity: Severity, evidence: &str) {
        assert_tier(src, R, severity, evidence);
    }

    #[test]
    fn flags_every_import_form() {
        for src in [
            "import functools\nclass A:\n    @functools.lru_cache(maxsize=None)\n    def f(self, x):\n        return x\n",
            "import functools as ft\nclass A:\n    @ft.cache\n    def f(self):\n        return 1\n",
            "from functools import lru_cache as lc\nclass A:\n    @lc\n    def f(self):\n        return 1\n",
            "from functools import lru_cache\nclass A:\n    @property\n    @lru_cache()\n    def f(self):\n        return 1\n",
        ] {
            assert_count(src, R, 1);
        }
    }

    #[test]
    fn warns_when_calls_raise_because_instances_are_unhashable() {
        let src = "import functools\nclass P:\n    def __eq__(self, other):\n        return True\n    @functools.cache\n    def f(self):\n        return 1\n";
        one(
            src,
            Severity::Warning,
            "`__eq__` (line 3) without `__hash__` makes instances unhashable: every call of `f` raises `TypeError: unhashable type: 'P'`",
        );
        let src = "import functools\nfrom dataclasses import dataclass\n@dataclass\nclass P:\n    x: int\n    @functools.lru_cache(maxsize=32)\n    def f(self):\n        return self.x\n";
        one(src, Severity::Warning, "a `@dataclass` that is not frozen has `__hash__ = None`");
        // The message is true: the call fails.
        let (ok, _, err) = run_python(&format!("{src}\nP(1).f()\n"));
        assert!(!ok && err.contains("unhashable type: 'P'"), "{err}");
    }

    #[test]
    fn warns_when_an_unbounded_cache_meets_an_instance_per_iteration() {
        let src = "import functools\nclass Report:\n    def __init__(self, rows):\n        self.rows = rows\n    @functools.cache\n    def total(self):\n        return sum(self.rows)\nfor rows in batches:\n    print(Report(rows).total())\n";
        one(src, Severity::Warning, "`Report(...)` (line 9) makes a new instance on every iteration");
        let src = "import functools\nclass R:\n    @functools.cache\n    def total(self):\n        return 1\ndef run(xs):\n    return [R().total() for x in xs]\n";
        one(src, Severity::Warning, "`R(...)` (line 7)");
        let src = "import functools\nclass R:\n    @functools.cache\n    def total(self):\n        return 1\nfor x in xs:\n    r = R()\n    print(r.total())\n";
        one(src, Severity::Warning, "`R(...)` (line 7)");
        // Instances the loop keeps live on anyway: a hint.
        let src = "import functools\nclass R:\n    @functools.cache\n    def total(self):\n        return 1\nfor x in xs:\n    targets.append(R())\n";
        one(src, Severity::Hint, "for the life of the program");
    }

    #[test]
    fn hint_when_nothing_shows_many_instances() {
        let src = "import functools\nclass Report:\n    @functools.lru_cache(maxsize=None)\n    def total(self):\n        return 1\nreport = Report()\n";
        one(
            src,
            Severity::Hint,
            "every instance it is called on stays alive for the life of the program; harmless while instances live that long anyway",
        );
        let bounded =
            "import functools\nclass R:\n    @functools.lru_cache(32)\n    def total(self):\n        return 1\n";
        one(bounded, Severity::Hint, "up to 32 entries keep their instances alive until evicted");
        let default =
            "import functools\nclass R:\n    @functools.lru_cache()\n    def total(self):\n        return 1\n";
        one(default, Severity::Hint, "up to 128 entries");
        // A bounded cache is a hint even when instances are made in a loop.
        let looped = "import functools\nclass R:\n    @functools.lru_cache(maxsize=8)\n    def total(self):\n        return 1\nfor x in xs:\n    R().total()\n";
        one(looped, Severity::Hint, "up to 8 entries");
    }

    #[test]
    fn anchors_on_the_decorator() {
        let src = "import functools\nclass Report:\n    @functools.lru_cache(maxsize=None)\n    def total(self):\n        return 1\n";
        let found = findings(src, R);
        assert_eq!(
            &src[found[0].range.start().to_usize()..found[0].range.end().to_usize()],
            "@functools.lru_cache(maxsize=None)"
        );
        assert!(
            found[0].message.contains("`@functools.lru_cache(maxsize=None)` on method `total`"),
            "{}",
            found[0].message
        );
    }

    #[test]
    fn ignores_static_class_and_implicit_class_methods() {
        for src in [
            "import functools\nclass A:\n    @staticmethod\n    @functools.cache\n    def f(x):\n        return x\n",
            "import functools\nclass A:\n    @functools.cache\n    @classmethod\n    def f(cls):\n        return 1\n",
            "import functools\nclass A:\n    @functools.cache\n    def __class_getitem__(cls, item):\n        return 1\n",
            "import functools\nclass Meta(type):\n    @functools.cache\n    def f(cls):\n        return 1\n",
            // A class-level descriptor: the first parameter is the class.
            "import functools\nclass A:\n    @classproperty\n    @functools.lru_cache(maxsize=128)\n    def sig(cls):\n        return 1\n",
            // Rebound as a class method later in the body.
            "import functools\nclass A:\n    @functools.cache\n    def lookups(cls):\n        return 1\n    lookups = classmethod(lookups)\n",
            "import functools\nclass A:\n    @functools.cache\n    def lookups(self):\n        return 1\n    lookups = classmethod(lookups)\n",
        ] {
            assert_clean(src, R);
        }
    }

    #[test]
    fn ignores_bounded_caches_on_value_classes() {
        for src in [
            "import functools\nclass Style:\n    def __hash__(self):\n        return 1\n    def __eq__(self, o):\n        return True\n    @functools.lru_cache(maxsize=1024)\n    def add(self, other):\n        return other\n",
            "import functools\nfrom typing import NamedTuple\nclass Color(NamedTuple):\n    r: int\n    @functools.lru_cache(maxsize=1024)\n    def codes(self):\n        return (self.r,)\n",
            "import functools\nfrom dataclasses import dataclass\n@dataclass(frozen=True)\nclass P:\n    x: int\n    @functools.lru_cache(maxsize=64)\n    def f(self):\n        return self.x\n",
        ] {
            assert_clean(src, R);
        }
        // Unbounded, a value class still grows with every distinct value: a hint.
        let src = "import functools\nclass S:\n    def __hash__(self):\n        return 1\n    @functools.cache\n    def f(self):\n        return 1\n";
        one(src, Severity::Hint, "for the life of the program");
    }

    #[test]
    fn ignores_functions_enums_and_other_decorators() {
        for src in [
            "import functools\n@functools.cache\ndef f(x):\n    return x\n",
            "import functools\nclass A:\n    def m(self):\n        @functools.cache\n        def g(x):\n            return x\n",
            "import enum, functools\nclass Color(enum.Enum):\n    RED = 1\n    @functools.cache\n    def f(self):\n        return 1\n",
            "from enum import IntEnum\nimport functools\nclass Base(IntEnum):\n    pass\nclass C(Base):\n    @functools.cache\n    def f(self):\n        return 1\n",
            "class A:\n    @lru_cache\n    def f(self):\n        return 1\n",
            "import functools\nclass A:\n    @functools.wraps(f)\n    def f(self):\n        return 1\n",
        ] {
            assert_clean(src, R);
        }
    }

    #[test]
    fn card_example() {
        assert_card_examples(R);
        // The flagged example shows the harm: a warning.
        let bank = crate::cards::Bank::builtin();
        let flagged = bank.get("lru-cache-on-method").and_then(|c| c.example.flagged.clone()).unwrap_or_default();
        assert!(findings(&flagged, R).iter().any(|f| f.severity == Severity::Warning), "{flagged}");
    }

    #[test]
    fn fix_offers_cached_property_display_only() {
        let src = "import functools\n\nclass Report:\n    @functools.lru_cache(maxsize=None)\n    def total(self):\n        return 1\n";
        let found = findings(src, R);
        assert_eq!(found[0].fix.as_ref().map(|f| f.applicability), Some(Applicability::DisplayOnly));
        assert_eq!(
            fixed(src, R),
            "import functools\n\nclass Report:\n    @functools.cached_property\n    def total(self):\n        return 1\n"
        );
        // The new call sites read the attribute: the fixed module runs with them.
        assert_eq!(fixed_output(src, R, "r = Report()\nprint(r.total, vars(r))\n"), "1 {'total': 1}\n");
        let alias = "from functools import cache, cached_property as cp\nclass A:\n    @cache\n    def f(self):\n        return 1\n";
        assert_eq!(
            fixed(alias, R),
            "from functools import cache, cached_property as cp\nclass A:\n    @cp\n    def f(self):\n        return 1\n"
        );
        let import = "from functools import cache\nclass A:\n    @cache\n    def f(self):\n        return 1\n";
        assert_eq!(
            fixed(import, R),
            "from functools import cache\nimport functools\nclass A:\n    @functools.cached_property\n    def f(self):\n        return 1\n"
        );
    }

    #[test]
    fn no_fix_with_arguments_slots_or_other_decorators() {
        for src in [
            "import functools\nclass A:\n    @functools.cache\n    def f(self, x):\n        return x\n",
            "import functools\nclass A:\n    __slots__ = ('a',)\n    @functools.cache\n    def f(self):\n        return 1\n",
            "import functools\nclass A:\n    @property\n    @functools.cache\n    def f(self):\n        return 1\n",
        ] {
            let found = findings(src, R);
            assert_eq!(found.len(), 1, "{src}");
            assert!(found[0].fix.is_none(), "{src}");
        }
    }
}
