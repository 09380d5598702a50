//! `mutable-dataclass-default` (peers: Ruff RUF008 for mutable defaults, RUF009 for calls). A
//! dataclass field's default is one object, built when the class body runs and shared by every
//! instance that omits the field. `@dataclass` refuses unhashable defaults (`[]`, `{}`, `set()`,
//! `deque()`...) with `ValueError` when the class is created; other calls pass silently and are
//! evaluated once.
//!
//! Detection: a class decorated with `dataclasses.dataclass` (bare or called), and in its body a
//! direct `name: T = <value>` (not `ClassVar`, not `InitVar`) whose value is
//! - a mutable display, comprehension or constructor call, or `field(default=<such a value>)`:
//!   a warning, the class cannot be created (the message says so);
//! - a call of a time, identity or environment producer (`datetime.now()`, `uuid.uuid4()`,
//!   `os.getenv(...)`): a warning, every instance gets the value from import time;
//! - any other call (not `field(...)`, an immutable constructor, a frozen dataclass or a
//!   `NamedTuple` of this module): a warning when a method changes the shared result through the
//!   instance (`self.opts.update(...)`), naming it; otherwise nothing (as in
//!   `call-in-default-argument`: a shared parser, sentinel or constant that nothing changes is not a
//!   red flag, and changes made outside the class are not visible). Nothing when the annotation
//!   promises an immutable value (`int`, `str`, `tuple[...]`, `Sequence[...]`...), and for field
//!   specifiers (`Field(...)`, `mapped_column(...)`, `attr.ib(...)`) whatever they resolve to.
//!
//! Test code is treated like any other: the crash and the sharing happen there too.
//!
//! Fix: `field(default_factory=list)` (or `dict` / `set`) for an empty display or builtin
//! constructor call, `field(default_factory=lambda: <value>)` otherwise, with `field` imported
//! when needed. Safe for list, dict and set displays and constructors (the original cannot be
//! created, so no working behaviour is lost); unsafe for the rest (shared state becomes
//! per-instance, and the call runs once per instance instead of once).

use ruff_python_ast::{Expr, ExprCall, Stmt, StmtAnnAssign, StmtClassDef};
use ruff_text_size::Ranged;

use super::helpers::defaults::{CallKind, classify, is_immutable_annotation, is_mutable_value};
use super::helpers::mutability::{AttributeEvent, attribute_events, dataclass_decorator, instance_methods};
use crate::analysis::checker::Checker;
use crate::analysis::finding::{Applicability, Edit, Finding, Fix, Severity};
use crate::analysis::helpers;
use crate::analysis::rule::Rule;
use crate::analysis::semantic::{BindingKind, ScopeId, ScopeKind};

/// Runs once per class scope, after the walk.
pub(crate) fn check_scope(checker: &mut Checker, scope: ScopeId) {
    let ScopeKind::Class(class) = checker.semantic().scope(scope).kind else { return };
    // Prefilter: an annotated assignment whose value is a display or a call.
    let fields: Vec<&StmtAnnAssign> = class
        .body
        .iter()
        .filter_map(|stmt| match stmt {
            Stmt::AnnAssign(assign)
                if assign.target.is_name_expr()
                    && matches!(
                        assign.value.as_deref(),
                        Some(
                            Expr::List(_)
                                | Expr::Dict(_)
                                | Expr::Set(_)
                                | Expr::ListComp(_)
                                | Expr::DictComp(_)
                                | Expr::SetComp(_)
                                | Expr::Call(_)
                        )
                    ) =>
            {
                Some(assign)
            }
            _ => None,
        })
        .collect();
    if fields.is_empty() || dataclass_decorator(checker, class).is_none() {
        return;
    }
    for field in fields {
        if is_class_or_init_var(checker, &field.annotation) {
            continue;
        }
        let (Some(value), Expr::Name(name)) = (field.value.as_deref(), &*field.target) else { continue };
        check_field(checker, scope, class, field, name.id.as_str(), value);
    }
}

fn check_field(
    checker: &mut Checker,
    scope: ScopeId,
    class: &StmtClassDef,
    field: &StmtAnnAssign,
    name: &str,
    value: &Expr,
) {
    let shown = shown(checker, name, value);
    let class_name = class.name.as_str();
    if is_mutable_value(checker, value) {
        let message = format!(
            "{shown} makes `@dataclass` raise `ValueError` when `{class_name}` is created: dataclasses refuse \
             defaults that are unhashable (lists, dicts, sets and the like), because one object would be shared by \
             every instance"
        );
        let fix = factory_fix(checker, scope, value, value.range());
        report(checker, value, message, Severity::Warning, fix);
        return;
    }
    let Expr::Call(call) = value else { return };
    if checker.resolves_to(&call.func, "dataclasses.field") {
        if let Some(default) = call.arguments.find_keyword("default")
            && is_mutable_value(checker, &default.value)
        {
            let message = format!(
                "`field(default={})` makes `@dataclass` raise `ValueError` when `{class_name}` is created: an \
                 unhashable default would be one object shared by every instance",
                shown_value(checker, &default.value)
            );
            let fix = factory_fix(checker, scope, &default.value, default.range());
            report(checker, value, message, Severity::Warning, fix);
        }
        return;
    }
    if is_immutable_annotation(checker, &field.annotation)
        || is_immutable_class_call(checker, call)
        || is_field_marker(&call.func)
    {
        return;
    }
    let Some(kind) = classify(checker, value) else { return };
    let head = format!("{shown} is evaluated once, when the body of `{class_name}` runs");
    let (tail, severity) = match kind {
        CallKind::Volatile => (
            format!("every instance that omits `{name}` gets the value from that moment, not a fresh one"),
            Severity::Warning,
        ),
        CallKind::Other => {
            let events = attribute_events(checker, instance_methods(checker, class), name);
            match events.iter().find(|e| matches!(e, AttributeEvent::Changed { .. })) {
                Some(AttributeEvent::Changed { text, method, line, .. }) => (
                    format!(
                        "every instance that omits `{name}` shares that one object, and {text} in `{method}` (line \
                         {line}) changes it for all of them"
                    ),
                    Severity::Warning,
                ),
                // Nothing changes the shared result here: as for `call-in-default-argument`, a shared
                // parser, sentinel or constant is not a red flag, and whether other code changes it is
                // not visible.
                _ => return,
            }
        }
    };
    let fix = factory_fix(checker, scope, value, value.range());
    report(checker, value, format!("{head}; {tail}"), severity, fix);
}

fn report(checker: &mut Checker, value: &Expr, message: String, severity: Severity, fix: Option<Fix>) {
    checker.report(
        Finding::new(Rule::MutableDataclassDefault, value.range(), message).with_severity(severity).with_fix(fix),
    );
}

fn shown_value<'a>(checker: &Checker<'a>, value: &Expr) -> &'a str {
    let text = checker.source.slice(value);
    if text.len() > 30 || text.contains(['\n', '\r']) { "..." } else { text }
}

fn shown(checker: &Checker, name: &str, value: &Expr) -> String {
    format!("`{name} = {}`", shown_value(checker, value))
}

/// `ClassVar[...]` and `InitVar[...]` annotations (dataclasses do not make fields of the first,
/// and do not check the default of the second), also written as strings.
fn is_class_or_init_var(checker: &Checker, annotation: &Expr) -> bool {
    let base = match annotation {
        Expr::Subscript(sub) => &*sub.value,
        other => other,
    };
    if let Expr::StringLiteral(s) = base {
        let text = s.value.to_str();
        return ["ClassVar", "InitVar", "typing.ClassVar", "dataclasses.InitVar"].iter().any(|p| text.starts_with(p));
    }
    checker.resolve(base).is_some_and(|name| {
        matches!(name.segments(), ["typing" | "typing_extensions", "ClassVar"] | ["dataclasses", "InitVar"])
    })
}

/// `Field(...)`, `field(...)`, `mapped_column(...)`, `attr.ib(...)`: field specifiers of pydantic,
/// SQLAlchemy and attrs, which the class machinery reads rather than shares.
fn is_field_marker(func: &Expr) -> bool {
    let last = match func {
        Expr::Name(n) => n.id.as_str(),
        Expr::Attribute(a) => a.attr.as_str(),
        _ => return false,
    };
    matches!(
        last,
        "field" | "Field" | "mapped_column" | "relationship" | "column_property" | "ib" | "attrib" | "PrivateAttr"
    )
}

/// A call of a class defined in this module that is a frozen dataclass or a `NamedTuple`.
fn is_immutable_class_call(checker: &Checker, call: &ExprCall) -> bool {
    let Expr::Name(callee) = &*call.func else { return false };
    let Some(binding) = checker.binding_of(callee) else { return false };
    let BindingKind::ClassDef(class) = binding.kind else { return false };
    let frozen = dataclass_decorator(checker, class).is_some_and(|d| match d {
        Expr::Call(call) => call
            .arguments
            .find_keyword("frozen")
            .is_some_and(|k| matches!(&k.value, Expr::BooleanLiteral(b) if b.value)),
        _ => false,
    });
    frozen
        || class.bases().iter().any(|base| {
            checker
                .resolve(base)
                .is_some_and(|n| matches!(n.segments(), ["typing" | "typing_extensions", "NamedTuple"]))
        })
}

/// `field(default_factory=list)` / `field(default_factory=lambda: <value>)` in place of `range`.
fn factory_fix(checker: &Checker, class_scope: ScopeId, value: &Expr, range: ruff_text_size::TextRange) -> Option<Fix> {
    if checker.source.has_comments(range) {
        return None;
    }
    let factory = match value {
        Expr::List(l) if l.elts.is_empty() => Some("list"),
        Expr::Dict(d) if d.items.is_empty() => Some("dict"),
        Expr::Call(call) if call.arguments.is_empty() => checker
            .resolves_to_any(&call.func, &["builtins.list", "builtins.dict", "builtins.set"])
            .map(|q| q.trim_start_matches("builtins.")),
        _ => None,
    };
    let names = helpers::names_in_expr(value);
    // A lambda in a class body cannot see the class's names.
    if factory.is_none() && names.iter().any(|n| checker.semantic().scope(class_scope).get(n).is_some()) {
        return None;
    }
    // A builtin shadowed where the factory name is written would call something else.
    if factory.is_some_and(|f| checker.lookup(f).is_some()) {
        return None;
    }
    let factory = match factory {
        Some(f) => f.to_string(),
        None => format!("lambda: {}", checker.source.slice(value)),
    };
    let is_field_call = range != value.range();
    let (field, import) =
        if is_field_call { (String::new(), None) } else { helpers::import_member(checker, "dataclasses", "field") };
    let mut edits = vec![if is_field_call {
        Edit::replace(range, format!("default_factory={factory}"))
    } else {
        Edit::replace(range, format!("{field}(default_factory={factory})"))
    }];
    edits.extend(import);
    let safe = matches!(
        value,
        Expr::List(_) | Expr::Dict(_) | Expr::Set(_) | Expr::ListComp(_) | Expr::DictComp(_) | Expr::SetComp(_)
    ) || matches!(value, Expr::Call(call) if checker.resolves_to_any(&call.func, &["builtins.list", "builtins.dict", "builtins.set"]).is_some());
    let applicability = if safe { Applicability::Safe } else { Applicability::Unsafe };
    Fix::new("Build the default per instance with `default_factory`", applicability, edits)
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use crate::analysis::finding::{Applicability, Severity};
    use crate::analysis::rule::Rule::MutableDataclassDefault as R;

    const POST: &str = "from dataclasses import dataclass, field\n\n@dataclass\nclass Post:\n    title: str\n    tags: list[str] = []\n";

    #[test]
    fn warning_for_defaults_the_class_cannot_be_created_with() {
        assert_tier(
            POST,
            R,
            Severity::Warning,
            "`tags = []` makes `@dataclass` raise `ValueError` when `Post` is created",
        );
        for src in [
            "import dataclasses\n@dataclasses.dataclass(order=True)\nclass C:\n    d: dict = {}\n",
            "from dataclasses import dataclass\n@dataclass\nclass C:\n    s: set[int] = set()\n",
            "import collections\nfrom dataclasses import dataclass\n@dataclass\nclass C:\n    q: collections.deque = collections.deque()\n",
            "from dataclasses import dataclass, field\n@dataclass\nclass C:\n    xs: list = field(default=[])\n",
            "from dataclasses import dataclass\n@dataclass\nclass C:\n    xs: list = [i for i in range(3)]\n",
        ] {
            assert_eq!(only_severity(src, R), Severity::Warning, "{src}");
        }
    }

    #[test]
    fn the_original_really_fails_and_the_fix_runs() {
        let (ok, _, err) = run_python(POST);
        assert!(!ok && err.contains("ValueError"), "{err}");
        assert_eq!(
            fixed(POST, R),
            "from dataclasses import dataclass, field\n\n@dataclass\nclass Post:\n    title: str\n    tags: list[str] = field(default_factory=list)\n"
        );
        assert_eq!(first_fix_applicability(POST, R), Some(Applicability::Safe));
        assert_eq!(
            fixed_output(POST, R, "a, b = Post('a'), Post('b')\na.tags.append('x')\nprint(a.tags, b.tags)\n"),
            "['x'] []\n"
        );
    }

    #[test]
    fn fix_imports_field_and_uses_a_lambda_for_non_empty_values() {
        let src = "import dataclasses\n@dataclasses.dataclass\nclass C:\n    d: dict = {'a': 1}\n";
        assert_eq!(
            fixed(src, R),
            "import dataclasses\n@dataclasses.dataclass\nclass C:\n    d: dict = dataclasses.field(default_factory=lambda: {'a': 1})\n"
        );
        assert_eq!(fixed_output(src, R, "print(C().d, C().d is not C().d)\n"), "{'a': 1} True\n");
        let src = "from dataclasses import dataclass\n@dataclass\nclass C:\n    s: set = set()\n";
        assert_eq!(
            fixed(src, R),
            "from dataclasses import dataclass\nimport dataclasses\n@dataclass\nclass C:\n    s: set = dataclasses.field(default_factory=set)\n"
        );
        let src = "from dataclasses import dataclass, field\n@dataclass\nclass C:\n    xs: list = field(default=[], repr=False)\n";
        assert_eq!(
            fixed(src, R),
            "from dataclasses import dataclass, field\n@dataclass\nclass C:\n    xs: list = field(default_factory=list, repr=False)\n"
        );
        assert_eq!(fixed_output(src, R, "print(C())\n"), "C()\n");
    }

    #[test]
    fn calls_are_evaluated_once() {
        let src = "from dataclasses import dataclass\nfrom datetime import datetime\n@dataclass\nclass Event:\n    at: datetime = datetime.now()\n";
        assert_tier(src, R, Severity::Warning, "gets the value from that moment");
        assert_eq!(first_fix_applicability(src, R), Some(Applicability::Unsafe));
        assert_eq!(
            fixed_output(src, R, "import time\na = Event()\ntime.sleep(0.01)\nprint(a.at != Event().at)\n"),
            "True\n"
        );
        assert_tier(
            "from dataclasses import dataclass\n@dataclass\nclass C:\n    opts: Options = Options()\n    def set(self, k):\n        self.opts.update(k)\n",
            R,
            Severity::Warning,
            "`self.opts.update(k)` in `set` (line 6) changes it for all of them",
        );
        // Nothing changes the shared result: not reported.
        assert_clean("from dataclasses import dataclass\n@dataclass\nclass C:\n    opts: Options = Options()\n", R);
        assert_clean(
            "from dataclasses import dataclass\nfrom pydantic import Field\n@dataclass\nclass C:\n    a: list = Field(default=1)\n    def f(self):\n        self.a.append(1)\n",
            R,
        );
    }

    #[test]
    fn exclusions() {
        for src in [
            // Not a dataclass: `mutable-class-attribute`'s business.
            "class C:\n    xs: list = []\n",
            "from dataclasses import dataclass\nfrom typing import ClassVar\n@dataclass\nclass C:\n    xs: ClassVar[list] = []\n",
            "from dataclasses import dataclass, InitVar\n@dataclass\nclass C:\n    xs: InitVar[list] = []\n",
            "from dataclasses import dataclass, field\n@dataclass\nclass C:\n    xs: list = field(default_factory=list)\n    n: int = field(default=0)\n",
            "from dataclasses import dataclass\n@dataclass\nclass C:\n    t: tuple = ()\n    f: frozenset = frozenset()\n    n: int = int('3')\n",
            // The annotation promises an immutable value.
            "from dataclasses import dataclass\n@dataclass\nclass C:\n    timeout: float = default_timeout()\n",
            // A frozen dataclass or NamedTuple of this module.
            "from dataclasses import dataclass\n@dataclass(frozen=True)\nclass P:\n    x: int = 0\n@dataclass\nclass C:\n    p: P = P()\n",
            "from typing import NamedTuple\nfrom dataclasses import dataclass\nclass P(NamedTuple):\n    x: int\n@dataclass\nclass C:\n    p: P = P(1)\n",
            // A local `dataclass` that is not the stdlib one.
            "def dataclass(c):\n    return c\n@dataclass\nclass C:\n    xs: list = []\n",
        ] {
            assert_clean(src, R);
        }
    }

    #[test]
    fn no_fix_when_the_lambda_would_read_class_names() {
        let found = findings(
            "from dataclasses import dataclass\n@dataclass\nclass C:\n    n: int = 2\n    xs: list = [n]\n",
            R,
        );
        assert_eq!(found.len(), 1);
        assert!(found[0].fix.is_none());
    }

    #[test]
    fn half_typed_code_does_not_panic() {
        for src in [
            "from dataclasses import dataclass\n@dataclass\nclass C:\n    xs: list = [\n",
            "from dataclasses import dataclass\n@dataclass(\nclass C:\n    xs: = []\n",
            "from dataclasses import dataclass, field\n@dataclass\nclass C:\n    xs: list = field(default=\n",
        ] {
            let _ = findings(src, R);
        }
    }

    #[test]
    fn card_examples() {
        assert_card_examples(R);
    }
}
