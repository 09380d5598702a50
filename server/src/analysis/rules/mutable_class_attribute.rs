//! `mutable-class-attribute` (peer: Ruff RUF012, which asks for a `ClassVar` annotation on every
//! mutable class attribute). A list, dict or set assigned in a class body is one object, stored on
//! the class; every instance that reads `self.items` without having its own gets that same object,
//! so `self.items.append(x)` in one instance shows up in all of them.
//!
//! Detection: a direct child `x = <value>` / `x: T = <value>` of a class body whose value is a
//! mutable display, comprehension or constructor call (the family's `is_mutable_value`).
//!
//! Tier: hints only. A finding needs a method of the class that changes the object in place
//! through the instance (`self.items.append(x)`, `self.items[k] = v`, `self.items += [x]`) with
//! no `__init__`, `__post_init__` or `setUp` giving the instance its own object first; the message
//! names the change and says both ways out (`__init__` for per-instance state, `ClassVar` for
//! deliberate sharing). It is not a warning because whether the sharing is a bug depends on how
//! many instances exist and what they expect, which the class does not show: on the corpus most
//! such attributes were deliberate caches, singletons' state or test doubles made once. The
//! message says why the sharing looks deliberate when the change stores the instance itself
//! (`self.instances.append(self)`, `self.members[k] = self`: a registry, better said with
//! `type(self).instances`) or the name says cache, registry or pool; that the sharing lasts only
//! until another method rebinds `self.<name>`; and, for a class defined inside a function, that
//! each call makes a new class and a new object (mostly one-off test doubles). Nothing when no method changes it through the
//! instance: read-only lists in class bodies are mostly declarations (Django `Meta.ordering`,
//! `ModelAdmin.list_display`, parser tables) that a reviewer would not point at; and nothing when
//! the code also uses it through the class (`Cls.items` anywhere, `cls.items` in a classmethod,
//! `__new__` or `__init_subclass__`, `type(self).items`): that code shares it on purpose, as test
//! doubles that record calls for the test to read (`FakeRunner.calls`) do.
//!
//! Exclusions: `ClassVar[...]` / `Final[...]` annotations (sharing declared); `__slots__`,
//! `__all__`, `__match_args__`; classes whose machinery builds per-instance state or constants
//! from the body (dataclasses and attrs, which `mutable-dataclass-default` covers, `NamedTuple`,
//! `TypedDict`, enums, pydantic, msgspec); attributes an initialiser rebinds on the instance.
//! Only methods defined in the same class body are searched: a subclass changing the attribute is
//! not seen, and a class with a base but no `__init__` of its own is skipped (the base's
//! initialiser, out of sight, may give each instance its own copy). Test code is treated like any other: test-case attributes leak between tests too.
//!
//! Fix (unsafe: `Cls.items` stops existing, and code that shares the list on purpose breaks):
//! move the value into `__init__` as `self.<name> = <value>` (at the top of an existing `__init__`,
//! or a new `def __init__(self):` in place of the attribute when the class has no bases and no
//! initialiser), when the value reads no name the class body or `__init__` binds.

use ruff_python_ast::{Expr, Stmt, StmtClassDef, StmtFunctionDef};
use ruff_text_size::Ranged;

use super::helpers::defaults::is_mutable_value;
use super::helpers::mutability::{
    AttributeEvent, attribute_events, builds_fields_from_body, class_level_use, instance_methods,
};
use crate::analysis::checker::Checker;
use crate::analysis::finding::{Edit, Finding, Fix, Severity};
use crate::analysis::helpers;
use crate::analysis::rule::Rule;
use crate::analysis::semantic::{ScopeId, ScopeKind};

/// Methods that run before any other method sees the instance: a rebinding there gives every
/// instance its own object.
const INITIALISERS: &[&str] = &["__init__", "__new__", "__post_init__", "setUp", "setup_method", "__attrs_post_init__"];

struct Candidate<'a> {
    stmt: &'a Stmt,
    name: &'a str,
    value: &'a Expr,
}

/// Runs once per class scope, after the walk.
pub(crate) fn check_scope(checker: &mut Checker, scope: ScopeId) {
    let ScopeKind::Class(class) = checker.semantic().scope(scope).kind else { return };
    // Cheap syntactic prefilter before any resolution: a direct `name = <display or call>`.
    let candidates: Vec<Candidate> = class.body.iter().filter_map(|stmt| candidate(checker, stmt)).collect();
    if candidates.is_empty() || builds_fields_from_body(checker, class) {
        return;
    }
    // With a base class and no `__init__` of its own, the instance is initialised by code not in
    // this class, which may give it its own copy (numpy's `FCompiler.__init__` copies
    // `self.executables`): nothing here says whether the object stays shared.
    let own_init = class.body.iter().any(|s| matches!(s, Stmt::FunctionDef(f) if f.name.as_str() == "__init__"));
    let has_base = class.bases().iter().any(|b| !matches!(b, Expr::Name(n) if n.id.as_str() == "object"));
    if has_base && !own_init {
        return;
    }
    let model = checker.semantic();
    // A class statement inside a function runs, with its body, on every call of that function.
    let local = model.scope_chain(scope).skip(1).any(|s| model.scope(s).kind.is_function_like());
    let mut reports = Vec::new();
    for candidate in &candidates {
        if !is_mutable_value(checker, candidate.value) {
            continue;
        }
        let events = attribute_events(checker, instance_methods(checker, class), candidate.name);
        let Some(mut verdict) = verdict(candidate.name, &events) else { continue };
        if local {
            verdict.1 = format!(
                "{}; the class is defined inside a function, so each run of that function makes a new class and a \
                 new {}, shared only by the instances of that run",
                verdict.1,
                kind_of(candidate.value)
            );
        }
        // Used through the class too: the code treats it as shared on purpose.
        if class_level_use(checker, scope, class, candidate.name).is_none() {
            reports.push((candidate, verdict));
        }
    }
    let new_init_allowed = reports.len() == 1;
    for (candidate, (severity, evidence)) in reports {
        let kind = kind_of(candidate.value);
        let shown = checker.source.slice(candidate.value);
        let shown = if shown.len() <= 30 && !shown.contains(['\n', '\r']) {
            format!("`{} = {shown}`", candidate.name)
        } else {
            format!("`{}`", candidate.name)
        };
        let head =
            format!("{shown} in the class body is one {kind} shared by every instance of `{}`", class.name.as_str());
        let message = format!("{head}, and {evidence}");
        let fix = move_to_init(checker, scope, class, candidate, new_init_allowed);
        checker.report(
            Finding::new(Rule::MutableClassAttribute, candidate.value.range(), message)
                .with_severity(severity)
                .with_fix(fix),
        );
    }
}

fn candidate<'a>(checker: &Checker, stmt: &'a Stmt) -> Option<Candidate<'a>> {
    let (target, value) = match stmt {
        Stmt::Assign(assign) => match assign.targets.as_slice() {
            [target] => (target, &*assign.value),
            _ => return None,
        },
        Stmt::AnnAssign(assign) => {
            if is_class_var_or_final(checker, &assign.annotation) {
                return None;
            }
            (&*assign.target, assign.value.as_deref()?)
        }
        _ => return None,
    };
    let Expr::Name(name) = target else { return None };
    let name = name.id.as_str();
    if matches!(name, "__slots__" | "__all__" | "__match_args__") {
        return None;
    }
    matches!(
        value,
        Expr::List(_)
            | Expr::Dict(_)
            | Expr::Set(_)
            | Expr::ListComp(_)
            | Expr::DictComp(_)
            | Expr::SetComp(_)
            | Expr::Call(_)
    )
    .then_some(Candidate { stmt, name, value })
}

/// `ClassVar[...]`, `Final[...]`, bare `ClassVar` / `Final`, also as strings' base names.
fn is_class_var_or_final(checker: &Checker, annotation: &Expr) -> bool {
    let base = match annotation {
        Expr::Subscript(sub) => &*sub.value,
        other => other,
    };
    if let Expr::StringLiteral(s) = base {
        let text = s.value.to_str();
        return ["ClassVar", "Final", "typing.ClassVar", "typing.Final"].iter().any(|p| text.starts_with(p));
    }
    checker
        .resolve(base)
        .is_some_and(|name| matches!(name.segments(), ["typing" | "typing_extensions", "ClassVar" | "Final"]))
}

/// The tier and the evidence, from what the methods do to `self.<name>`; `None` for nothing.
fn verdict(name: &str, events: &[AttributeEvent]) -> Option<(Severity, String)> {
    if events
        .iter()
        .any(|e| matches!(e, AttributeEvent::Rebound { method, .. } if INITIALISERS.contains(&method.as_str())))
    {
        return None;
    }
    let change = events.iter().find_map(|e| match e {
        AttributeEvent::Changed { text, method, line, argument_is_owner, .. } => {
            Some((text, method, line, *argument_is_owner))
        }
        AttributeEvent::Rebound { .. } => None,
    })?;
    let (text, method, line, registry) = change;
    if registry {
        return Some((
            Severity::Hint,
            format!(
                "{text} in `{method}` (line {line}) records each instance in it, which looks deliberate: \
                 `type(self).<name>` or a `ClassVar` annotation would say the sharing is meant"
            ),
        ));
    }
    if let Some(AttributeEvent::Rebound { method: rebinder, line: at }) =
        events.iter().find(|e| matches!(e, AttributeEvent::Rebound { .. }))
    {
        return Some((
            Severity::Hint,
            format!(
                "{text} in `{method}` (line {line}) changes the shared one until `{rebinder}` (line {at}) gives the \
                 instance its own; creating it in `__init__` makes that hold from the start"
            ),
        ));
    }
    if is_cache_name(name) {
        return Some((
            Severity::Hint,
            format!(
                "{text} in `{method}` (line {line}) fills it for all of them, which looks like a deliberate shared \
                 cache: a `ClassVar` annotation would say so"
            ),
        ));
    }
    Some((
        Severity::Hint,
        format!(
            "{text} in `{method}` (line {line}) changes it for all of them: create it in `__init__` if each \
             instance should have its own, or annotate it `ClassVar` if the sharing is meant"
        ),
    ))
}

/// `_cache`, `_instances`, `registry`, `_connection_pools`: names that say the sharing is the point.
fn is_cache_name(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    ["cache", "memo", "registry", "pool", "instances"].iter().any(|w| name.contains(w))
}

fn kind_of(value: &Expr) -> &'static str {
    match value {
        Expr::Dict(_) | Expr::DictComp(_) => "dict",
        Expr::Set(_) | Expr::SetComp(_) => "set",
        Expr::List(_) | Expr::ListComp(_) => "list",
        Expr::Call(call) => match &*call.func {
            Expr::Name(n) if n.id.as_str() == "list" => "list",
            Expr::Name(n) if n.id.as_str() == "dict" => "dict",
            Expr::Name(n) if n.id.as_str() == "set" => "set",
            _ => "object",
        },
        _ => "object",
    }
}

/// `self.<name> = <value>` at the top of `__init__`, removing the class-body line.
fn move_to_init(
    checker: &Checker,
    class_scope: ScopeId,
    class: &StmtClassDef,
    candidate: &Candidate,
    new_init_allowed: bool,
) -> Option<Fix> {
    let model = checker.semantic();
    let stmt = candidate.stmt;
    let block = helpers::statements_block(checker, stmt, stmt);
    // The statement must have its lines to itself, and no comment would be lost.
    if checker.source.line_start(stmt.start()) != block.start()
        || !checker.source.nothing_after_on_line(stmt.end())
        || checker.source.has_comments(block)
        || checker.source.indentation_at(stmt.start()).is_none()
    {
        return None;
    }
    let names = helpers::names_in_expr(candidate.value);
    // In a method, class-body names are not visible.
    if names.iter().any(|n| model.scope(class_scope).get(n).is_some()) {
        return None;
    }
    let value = checker.source.slice(candidate.value);
    let nl = checker.source.line_ending();
    let unit = checker.source.indent_unit();
    let init = class.body.iter().find_map(|s| match s {
        Stmt::FunctionDef(f) if f.name.as_str() == "__init__" => Some(f),
        _ => None,
    });
    let title = format!("Create `{}` in `__init__` (one per instance)", candidate.name);
    match init {
        Some(init) => {
            let me = init.parameters.iter().next()?.name().as_str();
            if init_binds_any(checker, init, &names) {
                return None;
            }
            let (at, indent) = helpers::body_insert_point(checker, &init.body)?;
            Fix::unsafe_(
                title,
                vec![Edit::delete(block), Edit::insert(at, format!("{indent}{me}.{} = {value}{nl}", candidate.name))],
            )
        }
        None => {
            let has_other_init =
                class.body.iter().any(|s| matches!(s, Stmt::FunctionDef(f) if f.name.as_str() == "__new__"));
            let plain = class.arguments.as_ref().is_none_or(|a| {
                a.args.iter().all(|b| matches!(b, Expr::Name(n) if n.id.as_str() == "object")) && a.keywords.is_empty()
            });
            if !new_init_allowed || has_other_init || !plain || names.contains("self") {
                return None;
            }
            let indent = checker.source.indentation_at(stmt.start())?;
            Fix::unsafe_(
                title,
                vec![Edit::replace(
                    stmt.range(),
                    format!("def __init__(self):{nl}{indent}{unit}self.{} = {value}", candidate.name),
                )],
            )
        }
    }
}

/// Does `__init__` bind one of `names` (a parameter or a local), which the moved value would then read?
fn init_binds_any(checker: &Checker, init: &StmtFunctionDef, names: &std::collections::HashSet<&str>) -> bool {
    let model = checker.semantic();
    let Some(scope) = model.function_scope(init) else { return true };
    names.iter().any(|n| model.scope(scope).get(n).is_some())
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use crate::analysis::finding::{Applicability, Severity};
    use crate::analysis::rule::Rule::MutableClassAttribute as R;

    const BASKET: &str = "class Basket:\n    items = []\n\n    def add(self, item):\n        self.items.append(item)\n";

    #[test]
    fn hint_names_the_change_made_through_an_instance() {
        assert_tier(
            BASKET,
            R,
            Severity::Hint,
            "`self.items.append(item)` in `add` (line 5) changes it for all of them",
        );
        assert_tier(
            "class C:\n    seen = {}\n    def mark(self, k):\n        self.seen[k] = True\n",
            R,
            Severity::Hint,
            "`self.seen[...] = ...` in `mark` (line 4)",
        );
        assert_tier(
            "class C:\n    log = list()\n    def add(me, x):\n        me.log += [x]\n",
            R,
            Severity::Hint,
            "`me.log += ...`",
        );
        assert_tier(
            "import collections\nclass C:\n    counts = collections.Counter()\n    def see(self, w):\n        self.counts.update([w])\n",
            R,
            Severity::Hint,
            "one object shared by every instance of `C`",
        );
        assert_tier(
            "from typing import List\nclass C:\n    tags: List[str] = []\n    def tag(self, t):\n        self.tags.append(t)\n",
            R,
            Severity::Hint,
            "`tags = []` in the class body is one list",
        );
    }

    #[test]
    fn nothing_when_only_read_or_changed_through_the_class() {
        for src in [
            "class Meta:\n    ordering = ['name']\n",
            "class C:\n    names = ['a', 'b']\n    def has(self, n):\n        return n in self.names\n",
            // Changed through the class: shared on purpose.
            "class Plugin:\n    registry = {}\n    @classmethod\n    def register(cls, p):\n        cls.registry[p.name] = p\n",
            "class Plugin:\n    registry = []\n    def __init_subclass__(cls):\n        Plugin.registry.append(cls)\n",
            "class C:\n    handlers = []\n    @staticmethod\n    def add(h):\n        C.handlers.append(h)\n",
        ] {
            assert_clean(src, R);
        }
    }

    #[test]
    fn nothing_when_an_initialiser_gives_each_instance_its_own() {
        assert_clean(
            "class C:\n    items = []\n    def __init__(self):\n        self.items = []\n    def add(self, x):\n        self.items.append(x)\n",
            R,
        );
        assert_clean(
            "import unittest\nclass T(unittest.TestCase):\n    calls = []\n    def setUp(self):\n        self.calls = []\n    def test(self):\n        self.calls.append(1)\n",
            R,
        );
    }

    #[test]
    fn exclusions() {
        for src in [
            "from typing import ClassVar\nclass C:\n    items: ClassVar[list] = []\n    def add(self, x):\n        self.items.append(x)\n",
            "import typing\nclass C:\n    items: typing.Final = []\n    def add(self, x):\n        self.items.append(x)\n",
            "class C:\n    items: 'ClassVar[list[int]]' = []\n    def add(self, x):\n        self.items.append(x)\n",
            "class C:\n    __slots__ = ['a']\n    def f(self):\n        self.__slots__.append(1)\n",
            "from dataclasses import dataclass\n@dataclass\nclass C:\n    items = []\n    def add(self, x):\n        self.items.append(x)\n",
            "from pydantic import BaseModel\nclass M(BaseModel):\n    items: list = []\n    def add(self, x):\n        self.items.append(x)\n",
            "from typing import NamedTuple\nclass P(NamedTuple):\n    xs: list = []\n    def add(self, x):\n        self.xs.append(x)\n",
            "import enum\nclass E(enum.Enum):\n    A = [1]\n    def f(self):\n        self.A.append(2)\n",
            "import attr\n@attr.s\nclass C:\n    items = attr.ib(factory=list)\n    def add(self, x):\n        self.items.append(x)\n",
            // Immutable values.
            "class C:\n    items = ()\n    names = frozenset()\n    def f(self):\n        self.items.count(1)\n",
            // A local class named `list` is not the builtin.
            "class list:\n    pass\nclass C:\n    items = list()\n    def add(self, x):\n        self.items.append(x)\n",
        ] {
            assert_clean(src, R);
        }
    }

    #[test]
    fn nothing_when_the_code_also_uses_it_through_the_class() {
        for src in [
            // A test double that records calls for the test to read.
            "class FakeRunner:\n    calls = []\n    def __init__(self, *a):\n        self.calls.append(a)\ndef test():\n    FakeRunner(1)\n    assert FakeRunner.calls == [(1,)]\n",
            "class C:\n    errors = []\n    @classmethod\n    def reset(cls):\n        cls.errors.clear()\n    def __del__(self):\n        self.errors.append(1)\n",
            "class C:\n    _cache = {}\n    def __new__(cls, k):\n        cls._cache[k] = 1\n        return super().__new__(cls)\n",
            "class C:\n    seen = set()\n    def f(self, x):\n        self.seen.add(x)\n        return type(self).seen\n",
            "class C:\n    seen = set()\n    def f(self, x):\n        self.seen.add(x)\n        return len(self.__class__.seen)\n",
        ] {
            assert_clean(src, R);
        }
    }

    #[test]
    fn a_class_defined_in_a_function_is_a_hint() {
        assert_tier(
            "def test_read():\n    class Tracking:\n        calls = []\n        def read(self):\n            self.calls.append(1)\n    Tracking().read()\n",
            R,
            Severity::Hint,
            "the class is defined inside a function",
        );
    }

    #[test]
    fn a_registry_by_subscript_is_a_hint() {
        assert_tier(
            "class SomeEnum:\n    __members__ = {}\n    def __init__(self, name):\n        self.__members__[name] = self\n",
            R,
            Severity::Hint,
            "records each instance in it",
        );
    }

    #[test]
    fn nothing_when_an_unseen_base_initialises_the_instance() {
        assert_clean(
            "from base import FCompiler\nclass Intel(FCompiler):\n    executables = {}\n    def update(self):\n        self.executables['cc'] = 'icc'\n",
            R,
        );
    }

    #[test]
    fn a_cache_name_is_a_hint() {
        assert_tier(
            "class Db:\n    _connection_pools = {}\n    def pool(self):\n        return self._connection_pools.setdefault(1, 2)\n",
            R,
            Severity::Hint,
            "looks like a deliberate shared cache",
        );
    }

    #[test]
    fn hint_for_instance_registries_and_late_rebinding() {
        assert_tier(
            "class Node:\n    instances = []\n    def __init__(self):\n        self.instances.append(self)\n",
            R,
            Severity::Hint,
            "records each instance in it, which looks deliberate",
        );
        assert_tier(
            "class C:\n    items = []\n    def add(self, x):\n        self.items.append(x)\n    def reset(self):\n        self.items = []\n",
            R,
            Severity::Hint,
            "until `reset` (line 6) gives the instance its own",
        );
    }

    #[test]
    fn fix_moves_it_into_the_existing_init() {
        let src = "class Basket:\n    items = []\n\n    def __init__(self, owner):\n        \"\"\"Doc.\"\"\"\n        self.owner = owner\n\n    def add(self, item):\n        self.items.append(item)\n";
        assert_eq!(
            fixed(src, R),
            "class Basket:\n\n    def __init__(self, owner):\n        \"\"\"Doc.\"\"\"\n        self.items = []\n        self.owner = owner\n\n    def add(self, item):\n        self.items.append(item)\n"
        );
        assert_eq!(first_fix_applicability(src, R), Some(Applicability::Unsafe));
        let driver = "a, b = Basket('a'), Basket('b')\na.add(1)\nprint(a.items, b.items)\n";
        let (_, before, _) = run_python(&format!("{src}\n{driver}"));
        assert_eq!(before, "[1] [1]\n");
        assert_eq!(fixed_output(src, R, driver), "[1] []\n");
    }

    #[test]
    fn fix_creates_an_init_when_there_is_none() {
        assert_eq!(
            fixed(BASKET, R),
            "class Basket:\n    def __init__(self):\n        self.items = []\n\n    def add(self, item):\n        self.items.append(item)\n"
        );
        assert_eq!(fixed_output(BASKET, R, "a, b = Basket(), Basket()\na.add(1)\nprint(b.items)\n"), "[]\n");
    }

    #[test]
    fn no_fix_when_moving_would_change_what_the_value_reads() {
        for src in [
            // Reads a class-body name.
            "class C:\n    size = 3\n    grid = [size]\n    def f(self):\n        self.grid.append(1)\n",
            // `__init__` has a parameter of the same name.
            "class C:\n    items = list(defaults)\n    def __init__(self, defaults):\n        pass\n    def f(self):\n        self.items.append(1)\n",
            // A comment on the line.
            "class C:\n    items = []  # shared\n    def f(self):\n        self.items.append(1)\n",
        ] {
            let found = findings(src, R);
            assert_eq!(found.len(), 1, "{src}");
            assert!(found[0].fix.is_none(), "{src}");
        }
    }

    #[test]
    fn half_typed_code_does_not_panic() {
        for src in [
            "class C:\n    items = [\n",
            "class C:\n    items = []\n    def f(self",
            "class:\n    x = {}\n",
            "class C(:\n    x = []\n    def f(self): self.x.append(",
        ] {
            let _ = findings(src, R);
        }
    }

    #[test]
    fn card_examples() {
        assert_card_examples(R);
    }
}
