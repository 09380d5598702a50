//! `builtin-shadowing` (peers: Ruff A001 for variables; Pylint redefined-builtin W0622, which also
//! covers parameters and imports). A name bound in a function or module hides the builtin of the
//! same name for all code of that scope (LEGB: the builtin layer is looked at last).
//!
//! Tiers:
//! - warning: the code shows the harm: a binding with a known non-callable value (a list, dict,
//!   str, number... by the model's simple types) is then used in the same scope, or a function
//!   nested in it, where the builtin was meant: called (`list = [..]; list(x)`) or passed as the
//!   class of `isinstance`/`issubclass`. Those uses raise `TypeError`. Reported at that use.
//! - hint: a local variable of a function (assignment, `for`/`with` target, walrus, `except ...
//!   as` while it lasts, `case` capture) named after a commonly used builtin (`list`, `dict`, `id`, `type`,
//!   `input`, `max`, `sum`, ...), with no such use: it works, and the message says so; the next
//!   edit that calls the builtin in that function breaks. At module level only loop/`with`
//!   targets and assignments of a literal-typed value (`list = [1, 2]`) are hints.
//!
//! Not reported, on purpose:
//! - parameters (`def get(id, type=None)`), also when reassigned in the body: they are the function's keyword interface; callers
//!   write `get(id=3)`, so renaming breaks them, and a senior reviewer weighs that against a
//!   rare shadowing problem inside one body (Ruff A002 and Pylint report them);
//! - `def`/`class` names, imports, and module-level assignments of other values: public API or a
//!   deliberate override (`open = io.open`, `input = sys.stdin.readline` in contest code);
//! - a local bound to another name or attribute (`open = codecs.open`): a deliberate override;
//! - class-body attributes (`Model.id`, `Field.type`: reached as attributes, they hide nothing),
//!   comprehension and lambda variables, `_`-prefixed names, and builtins rarely called in code
//!   (`license`, `credits`, `copyright`, `help`, `exit`, `quit`, exception classes).
//!
//! Test code is treated like any code: a test body that shadows `list` breaks the same way.
//!
//! Fix (unsafe; in functions only): rename the local, `list` -> `list_`, at every binding and
//! every read of it, except the uses that meant the builtin (which then reach it again). Not
//! offered when a binding of the name is a parameter, import, `def`, `del` or a `nonlocal` from a
//! nested function, or when the function calls `locals()`/`vars()` (which see names as strings).

use std::collections::HashSet;

use ruff_python_ast::Expr;
use ruff_text_size::{Ranged, TextRange};

use crate::analysis::checker::Checker;
use crate::analysis::finding::{Edit, Finding, Fix, Severity};
use crate::analysis::helpers::{fresh_name, names_in_stmts};
use crate::analysis::rule::Rule;
use crate::analysis::semantic::{BindingId, BindingKind, NodeRef, ScopeId, ScopeKind, SimpleType, Use};

/// Builtins code calls or names often enough that hiding one is a trap (sorted for binary search).
const SHADOWED: &[&str] = &[
    "abs",
    "all",
    "any",
    "ascii",
    "bin",
    "bool",
    "breakpoint",
    "bytearray",
    "bytes",
    "callable",
    "chr",
    "classmethod",
    "compile",
    "complex",
    "delattr",
    "dict",
    "dir",
    "divmod",
    "enumerate",
    "eval",
    "exec",
    "filter",
    "float",
    "format",
    "frozenset",
    "getattr",
    "globals",
    "hasattr",
    "hash",
    "hex",
    "id",
    "input",
    "int",
    "isinstance",
    "issubclass",
    "iter",
    "len",
    "list",
    "locals",
    "map",
    "max",
    "memoryview",
    "min",
    "next",
    "object",
    "oct",
    "open",
    "ord",
    "pow",
    "print",
    "property",
    "range",
    "repr",
    "reversed",
    "round",
    "set",
    "setattr",
    "slice",
    "sorted",
    "staticmethod",
    "str",
    "sum",
    "super",
    "tuple",
    "type",
    "vars",
    "zip",
];

/// Each function or module scope once, after the walk.
pub(crate) fn check_scope(checker: &mut Checker, scope_id: ScopeId) {
    let model = checker.semantic();
    let scope = model.scope(scope_id);
    let in_function = match scope.kind {
        ScopeKind::Function(_) => true,
        ScopeKind::Module => false,
        _ => return,
    };
    if !scope.binds_builtin_name() {
        return;
    }
    // Builtin names are short and lower case: most names leave at the first test.
    let mut names: Vec<&str> = scope
        .bindings()
        .map(|(name, _)| name)
        .filter(|n| n.len() <= 12 && n.as_bytes().first().is_some_and(u8::is_ascii_lowercase))
        .filter(|n| SHADOWED.binary_search(n).is_ok())
        .collect();
    if names.is_empty() {
        return;
    }
    names.sort_unstable();
    for name in names {
        report_name(checker, scope_id, name, in_function);
    }
}

/// What a binding says about the name's value: `Some(type)` when the model knows it.
fn eligible(checker: &Checker, binding: BindingId, in_function: bool) -> Option<Option<SimpleType>> {
    let model = checker.semantic();
    let b = model.binding(binding);
    if b.bound_in != b.scope {
        return None;
    }
    let known = model.type_of_binding(binding).filter(|t| *t != SimpleType::None);
    match b.kind {
        BindingKind::Assignment | BindingKind::AnnotatedAssignment | BindingKind::NamedExpr => {
            if in_function {
                match b.value {
                    Some(Expr::Name(_) | Expr::Attribute(_) | Expr::Lambda(_)) => None,
                    _ => Some(known),
                }
            } else {
                known.map(Some)
            }
        }
        BindingKind::LoopVar | BindingKind::WithItemVar => Some(known),
        BindingKind::ExceptHandler | BindingKind::MatchCapture if in_function => Some(known),
        _ => None,
    }
}

/// The reads of `binding` (from its scope or functions nested in it) that meant the builtin:
/// calls, and the class argument of `isinstance`/`issubclass`.
fn builtin_uses(checker: &Checker, binding: BindingId, name: &str) -> Vec<(TextRange, &'static str)> {
    let model = checker.semantic();
    model
        .references(binding)
        .filter_map(|r| match model.use_of(r) {
            Use::Called(call) if std::ptr::eq(model.node(r.node).as_expr()?, &*call.func) => Some((r.range, "called")),
            Use::Argument { call } => {
                let Expr::Name(func) = &*call.func else { return None };
                let class_arg = call.arguments.args.get(1).is_some_and(|a| a.range() == r.range);
                (matches!(func.id.as_str(), "isinstance" | "issubclass") && class_arg && name != func.id.as_str())
                    .then_some((r.range, "passed to `isinstance` as a class"))
            }
            _ => None,
        })
        .collect()
}

fn report_name(checker: &mut Checker, scope_id: ScopeId, name: &str, in_function: bool) {
    let model = checker.semantic();
    let chain: Vec<BindingId> = model.bindings_of(scope_id, name).collect();
    // A parameter reassigned later is still the parameter's name: left alone like the parameter.
    if chain.iter().any(|b| model.binding(*b).parameter().is_some()) {
        return;
    }
    let mut first: Option<BindingId> = None;
    let mut harm: Option<(BindingId, SimpleType, TextRange, &'static str)> = None;
    for &b in chain.iter().rev() {
        let Some(known) = eligible(checker, b, in_function) else { continue };
        first.get_or_insert(b);
        if let Some(t) = known
            && harm.is_none()
            && let Some((range, how)) = builtin_uses(checker, b, name).first().copied()
        {
            harm = Some((b, t, range, how));
        }
    }
    let Some(first) = first else { return };
    let line = |range: TextRange| checker.source.line_number(range.start());
    let where_ = match model.scope(scope_id).kind {
        ScopeKind::Function(def) => format!("in `{}`", def.name.as_str()),
        _ => "in this module".to_string(),
    };
    let finding = match harm {
        Some((binding, t, at, how)) => {
            let value = t.name();
            let failure = if how == "called" {
                format!("gets the {value} instead and raises TypeError ('{value}' object is not callable)")
            } else {
                format!("gets the {value} instead and raises TypeError")
            };
            let message = format!(
                "`{name}` is bound to a {value} {where_} (line {}), hiding the builtin `{name}`, and is {how} here as if \
                 it were the builtin: this use {failure}; rename the variable",
                line(model.binding(binding).range)
            );
            Finding::new(Rule::BuiltinShadowing, at, message)
        }
        None => {
            let message = format!(
                "`{name}` {where_} hides the builtin `{name}` from here on: nothing here uses the builtin, so this works, \
                 but a later `{name}(...)` in this scope would get this value instead; a more specific name avoids the trap"
            );
            Finding::new(Rule::BuiltinShadowing, model.binding(first).range, message).with_severity(Severity::Hint)
        }
    };
    let fix = if in_function { rename_fix(checker, scope_id, name, &chain) } else { None };
    checker.report(finding.with_fix(fix));
}

fn rename_fix(checker: &Checker, scope_id: ScopeId, name: &str, chain: &[BindingId]) -> Option<Fix> {
    let model = checker.semantic();
    let ScopeKind::Function(def) = model.scope(scope_id).kind else { return None };
    let renameable = |b: &BindingId| {
        let binding = model.binding(*b);
        binding.bound_in == scope_id
            && matches!(
                binding.kind,
                BindingKind::Assignment
                    | BindingKind::AnnotatedAssignment
                    | BindingKind::AugmentedAssignment
                    | BindingKind::LoopVar
                    | BindingKind::WithItemVar
                    | BindingKind::NamedExpr
                    | BindingKind::ExceptHandler
                    | BindingKind::MatchCapture
            )
    };
    if !chain.iter().all(renameable) {
        return None;
    }
    // The function's own nodes only, not the whole module's.
    let reflective = model.own_nodes(&def.body, scope_id).any(|n| {
        matches!(model.node(n), NodeRef::Expr(Expr::Call(call)) if matches!(&*call.func, Expr::Name(f) if matches!(f.id.as_str(), "locals" | "vars")))
    });
    if reflective {
        return None;
    }
    let mut taken: HashSet<&str> = names_in_stmts(&def.body);
    for parameter in def.parameters.iter() {
        taken.insert(parameter.as_parameter().name.as_str());
    }
    let new = fresh_name(&format!("{name}_"), &taken);
    let mut edits = Vec::new();
    let mut seen = HashSet::new();
    for &b in chain {
        let keep: Vec<TextRange> = builtin_uses(checker, b, name).into_iter().map(|(r, _)| r).collect();
        let binding = model.binding(b);
        // `x += 1` records its read and its binding at the same range.
        if seen.insert(binding.range) {
            edits.push(Edit::replace(binding.range, new.clone()));
        }
        for r in model.references(b) {
            if !keep.contains(&r.range) && seen.insert(r.range) {
                edits.push(Edit::replace(r.range, new.clone()));
            }
        }
    }
    Fix::unsafe_(format!("Rename `{name}` to `{new}` in `{}`", def.name.as_str()), edits)
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use crate::analysis::finding::{Applicability, Severity};
    use crate::analysis::rule::Rule::BuiltinShadowing as R;

    #[test]
    fn warns_when_the_builtin_is_then_used() {
        let src = "def f(rows):\n    list = [r for r in rows]\n    return list(reversed(list))\n";
        assert_tier(src, R, Severity::Warning, "raises TypeError ('list' object is not callable)");
        assert_tier(
            "def f(x):\n    str = 'a'\n    return str(x)\n",
            R,
            Severity::Warning,
            "bound to a str in `f` (line 2)",
        );
        assert_tier(
            "def f(x):\n    dict = {}\n    return isinstance(x, dict)\n",
            R,
            Severity::Warning,
            "passed to `isinstance`",
        );
        assert_tier("max = 0\nfor x in xs:\n    max = max(max, x)\n", R, Severity::Warning, "in this module");
        // A nested function reading it meets the same value.
        assert_tier(
            "def f():\n    id = 3\n    def g(o):\n        return id(o)\n    return g\n",
            R,
            Severity::Warning,
            "called",
        );
    }

    #[test]
    fn hints_on_local_variables_named_like_builtins() {
        let src = "def f(rows):\n    for id in rows:\n        print(id)\n";
        assert_tier(src, R, Severity::Hint, "nothing here uses the builtin, so this works");
        assert_count("def f(r):\n    type = r['type']\n    return type\n", R, 1);
        assert_count("def f(p):\n    with open(p) as input:\n        return input.read()\n", R, 1);
        // `except ... as` names are deleted after the handler: too short-lived to hide anything.
        assert_clean("def f(p):\n    try:\n        pass\n    except OSError as open:\n        pass\n", R);
        assert_count("list = [1, 2]\nprint(list)\n", R, 1);
        assert_count("for str in names:\n    print(str)\n", R, 1);
        // One finding per name and scope.
        assert_count(
            "def f(a):\n    sum = 0\n    for x in a:\n        sum += x\n    sum = -sum\n    return sum\n",
            R,
            1,
        );
    }

    #[test]
    fn ignores_parameters_api_and_deliberate_overrides() {
        assert_clean("def get(id, type=None):\n    return id, type\n", R);
        assert_clean("def f(input):\n    input = input[3:]\n    return input\n", R);
        assert_clean("def open(path):\n    pass\nclass filter:\n    pass\n", R);
        assert_clean("from io import open\nimport json as input\n", R);
        assert_clean("import io\nopen = io.open\ninput = sys.stdin.readline\n", R);
        assert_clean("def f():\n    import codecs\n    open = codecs.open\n    return open('x')\n", R);
        assert_clean("def f():\n    print = lambda *a: None\n    print(1)\n", R);
        assert_clean("id = make_id()\n", R);
        assert_clean("class Model:\n    id = 0\n    type = 'x'\n    def m(self):\n        return self.id\n", R);
        assert_clean("def f(xs):\n    return [id for id in xs]\n", R);
        assert_clean("def f():\n    _list = []\n    license = 'MIT'\n    copyright = 1\n", R);
        assert_clean("def f():\n    global list\n    list = []\n", R);
    }

    #[test]
    fn fix_renames_and_the_call_reaches_the_builtin() {
        let src = "def f(rows):\n    list = [r * 2 for r in rows]\n    return list(reversed(list))\n";
        let out = fixed(src, R);
        assert_eq!(out, "def f(rows):\n    list_ = [r * 2 for r in rows]\n    return list(reversed(list_))\n");
        let (ok, _, err) = run_python(&format!("{src}\nprint(f([1, 2]))\n"));
        assert!(!ok && err.contains("'list' object is not callable"), "{err}");
        assert_eq!(fixed_output(src, R, "print(f([1, 2]))\n"), "[4, 2]\n");
        assert_eq!(first_fix_applicability(src, R), Some(Applicability::Unsafe));
        let src = "def f(a):\n    sum = 0\n    for x in a:\n        sum += x\n    return sum\n";
        assert_eq!(fixed(src, R), "def f(a):\n    sum_ = 0\n    for x in a:\n        sum_ += x\n    return sum_\n");
        assert_fix_keeps_output(src, R, "print(f([1, 2, 3]))\n");
        // The new name avoids names the function already uses.
        let src = "def f(rows, id_):\n    for id in rows:\n        print(id, id_)\n";
        assert_eq!(fixed(src, R), "def f(rows, id_):\n    for id__1 in rows:\n        print(id__1, id_)\n");
    }

    #[test]
    fn no_fix_at_module_level_or_with_reflection() {
        for src in [
            "list = [1, 2]\nprint(list)\n",
            "def f():\n    id = 1\n    return '%(id)s' % locals()\n",
            "def f():\n    id = 1\n    def g():\n        nonlocal id\n        id = 2\n",
        ] {
            let found = findings(src, R);
            assert_eq!(found.len(), 1, "{src}");
            assert!(found[0].fix.is_none(), "{src}");
        }
    }

    #[test]
    fn card_example() {
        assert_card_examples(R);
    }

    #[test]
    fn half_typed_code_does_not_panic() {
        for src in
            ["def f():\n    list =", "def f():\n    for id in", "list = [\nlist(", "def f():\n    with x as open"]
        {
            let _ = findings(src, R);
        }
    }
}
