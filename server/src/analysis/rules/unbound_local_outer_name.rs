//! `unbound-local-outer-name` (peers: Ruff F823 for plain reads; Pylint used-before-assignment
//! E0601). Python decides at compile time that a name bound anywhere in a function (assignment,
//! `+=`, `for` target, `import`, `def`, `del`, ...) is local to the whole function, unless it is
//! declared `global`/`nonlocal`. A read of that name before the function binds it raises
//! `UnboundLocalError`; it does not fall back to the module's (or an enclosing function's, or
//! the builtin) name of the same spelling. `count += 1` on a module counter is the classic case.
//!
//! Detection, on the finished model: a read (also the read half of `x += 1`, and `del x`) in a
//! function's own code (or a comprehension in it) that the walk resolved outside the function
//! (the walk visits the body in order, so no binding of the function came before it), when the
//! function binds the name later and does not declare it `global`/`nonlocal`. Always a warning:
//! whenever the read runs, it raises.
//!
//! Exclusions: a name in the annotation of a local (`x: Column = ...` in a function: never
//! evaluated, PEP 526). A read inside a loop that also binds the name, unless the read is a statement
//! directly in that loop's body (then the first iteration reaches it before any binding); e.g.
//! `for x in xs: if seen: print(prev)` / `prev = x` is fine. A read inside a `try` whose handler
//! catches `UnboundLocalError`, `NameError`, `Exception`, `BaseException` or everything. Reads in
//! nested functions, lambdas and class bodies (other frames). Test code is treated like any code.
//!
//! Fix (unsafe: it turns a crash into mutation of the outer variable, which is what such code
//! usually means; passing the value in and returning it is often the cleaner design): insert
//! `global N` (the name is a module variable) or `nonlocal N` (a variable of an enclosing
//! function) at the top of the function, offered only when every binding of N in the function is
//! an assignment or `+=` and no function nested in it declares `nonlocal N`.

use ruff_python_ast::{Expr, Stmt};
use ruff_text_size::{Ranged, TextRange};

use super::helpers::generators::{caught_in_function, enclosing_loops};
use crate::analysis::checker::Checker;
use crate::analysis::finding::{Edit, Finding, Fix};
use crate::analysis::helpers::body_insert_point;
use crate::analysis::rule::Rule;
use crate::analysis::semantic::{
    BindingKind, Declaration, NodeRef, Reference, ScopeId, ScopeKind, SemanticModel, is_builtin,
};

const CATCHES: &[&str] =
    &["builtins.UnboundLocalError", "builtins.NameError", "builtins.Exception", "builtins.BaseException"];

/// Once, after the walk: every read is looked at (most leave at the first, cheap test).
pub(crate) fn check_module(checker: &mut Checker) {
    let model = checker.semantic();
    let mut found: Vec<(ScopeId, Reference)> = Vec::new();
    for reference in model.all_references() {
        let Some(function) = function_running(model, reference.scope) else { continue };
        // Resolved in the function itself or in a comprehension of it: fine. Only a binding of a
        // scope around the function (or none: a builtin) can be the wrong one.
        if let Some(b) = reference.binding {
            let owner = model.binding(b).scope;
            if owner == function || !model.is_nested_in(function, owner) {
                continue;
            }
        }
        let NodeRef::Expr(Expr::Name(name)) = model.node(reference.node) else { continue };
        let scope = model.scope(function);
        if scope.get(name.id.as_str()).is_none() || scope.declaration(name.id.as_str()).is_some() {
            continue;
        }
        // `x: T = v` in a function: the annotation of a local is never evaluated (PEP 526).
        if in_local_annotation(model, reference) {
            continue;
        }
        found.push((function, *reference));
    }
    for (function, reference) in found {
        report(checker, function, &reference);
    }
}

fn in_local_annotation(model: &SemanticModel, reference: &Reference) -> bool {
    let Some(Stmt::AnnAssign(assign)) = model.statement(reference.node) else { return false };
    assign.annotation.range().contains_range(reference.range)
}

/// The function whose call runs code of `scope`: itself, or the function around a comprehension.
fn function_running(model: &SemanticModel, scope: ScopeId) -> Option<ScopeId> {
    let mut current = scope;
    loop {
        let s = model.scope(current);
        match s.kind {
            ScopeKind::Function(_) => return Some(current),
            ScopeKind::Comprehension => current = s.parent?,
            _ => return None,
        }
    }
}

fn report(checker: &mut Checker, function: ScopeId, reference: &Reference) {
    let model = checker.semantic();
    let NodeRef::Expr(Expr::Name(name)) = model.node(reference.node) else { return };
    let name = name.id.as_str();
    let ScopeKind::Function(def) = model.scope(function).kind else { return };
    let local: Vec<_> = model.bindings_of(function, name).collect();
    // The function's first binding of the name, by position.
    let Some(first) = local.iter().map(|b| model.binding(*b)).min_by_key(|b| b.range.start()) else { return };
    // Bound before the read in the text, yet not seen by it: an `except ... as` name unbound
    // again after its handler. Left alone.
    // (`n = n + 1` binds after its value is read: the read is inside the binding statement.)
    let inside_first = first.source.is_some_and(|s| model.node(s).range().contains_range(reference.range));
    if first.range.start() < reference.range.start() && !inside_first {
        return;
    }
    // In a loop that binds the name, a read nested deeper (under an `if`, ...) may run only on
    // later iterations, after the binding.
    let repeating = enclosing_loops(model, reference.node).find(|l| {
        let range = model.node(*l).range();
        local.iter().any(|b| range.contains_range(model.binding(*b).range))
    });
    if repeating.is_some_and(|loop_id| !directly_in_body(model, reference.node, loop_id)) {
        return;
    }
    if caught_in_function(checker, reference.node, reference.scope, CATCHES) {
        return;
    }
    let outer = reference.binding.map(|b| model.binding(b));
    let (shadowed, declaration) = match outer {
        Some(b) if b.scope == ScopeId::MODULE => {
            (format!("the module-level `{name}` (line {})", line(checker, b.range)), Some("global"))
        }
        Some(b) => match model.scope(b.scope).kind {
            ScopeKind::Function(outer_def) => (
                format!(
                    "the `{name}` of the enclosing function `{}` (line {})",
                    outer_def.name.as_str(),
                    line(checker, b.range)
                ),
                Some("nonlocal"),
            ),
            _ => (format!("the outer `{name}`"), None),
        },
        None if is_builtin(name) => (format!("the builtin `{name}`"), None),
        None => (format!("any outer `{name}`"), None),
    };
    let verb = if matches!(model.node(reference.node), NodeRef::Expr(Expr::Name(n)) if n.ctx.is_del()) {
        "deletion"
    } else {
        "read"
    };
    let hint = match declaration {
        Some(keyword) => {
            format!("declare `{keyword} {name}` if the outer variable is meant, or pass it in and return it")
        }
        None => "rename one of them, or move the assignment before this line".to_string(),
    };
    let message = format!(
        "`{name}` is bound in `{}` (line {}), which makes it local to the whole function: this {verb} comes \
         before any binding and raises UnboundLocalError; it does not reach {shadowed}; {hint}",
        def.name.as_str(),
        line(checker, first.range)
    );
    let fix = declaration.and_then(|keyword| declare_fix(checker, function, name, keyword, &local));
    checker.report(Finding::new(Rule::UnboundLocalOuterName, reference.range, message).with_fix(fix));
}

fn line(checker: &Checker, range: TextRange) -> usize {
    checker.source.line_number(range.start())
}

/// Is the statement holding `node` a statement of `loop_id`'s body itself (not nested deeper)?
fn directly_in_body(
    model: &SemanticModel,
    node: crate::analysis::semantic::NodeId,
    loop_id: crate::analysis::semantic::NodeId,
) -> bool {
    model.statement_id(node).and_then(|s| model.parent_id(s)) == Some(loop_id)
        && match model.node(loop_id) {
            NodeRef::Stmt(Stmt::For(f)) => !f.iter.range().contains_range(model.node(node).range()),
            NodeRef::Stmt(Stmt::While(w)) => !w.test.range().contains_range(model.node(node).range()),
            _ => false,
        }
}

fn declare_fix(
    checker: &Checker,
    function: ScopeId,
    name: &str,
    keyword: &str,
    local: &[crate::analysis::semantic::BindingId],
) -> Option<Fix> {
    let model = checker.semantic();
    if !local
        .iter()
        .all(|b| matches!(model.binding(*b).kind, BindingKind::Assignment | BindingKind::AugmentedAssignment))
    {
        return None;
    }
    let nested_nonlocal = model.scopes().any(|(id, scope)| {
        id != function && scope.declaration(name) == Some(Declaration::Nonlocal) && model.is_nested_in(id, function)
    });
    if nested_nonlocal {
        return None;
    }
    let ScopeKind::Function(def) = model.scope(function).kind else { return None };
    let (at, indent) = body_insert_point(checker, &def.body)?;
    let eol = checker.source.line_ending();
    Fix::unsafe_(
        format!("Declare `{keyword} {name}`"),
        vec![Edit::insert(at, format!("{indent}{keyword} {name}{eol}"))],
    )
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use crate::analysis::finding::{Applicability, Severity};
    use crate::analysis::rule::Rule::UnboundLocalOuterName as R;

    #[test]
    fn flags_reads_before_the_local_binding() {
        let src = "count = 0\n\ndef bump():\n    count += 1\n";
        assert_tier(src, R, Severity::Warning, "it does not reach the module-level `count` (line 1)");
        assert_count("total = 0\ndef f(x):\n    print(total)\n    total = x\n", R, 1);
        assert_count("def outer():\n    n = 0\n    def inner():\n        n = n + 1\n    return inner\n", R, 1);
        assert!(message("def outer():\n    n = 0\n    def inner():\n        n += 1\n", R).contains("nonlocal n"));
        // The builtin is not consulted either.
        assert!(message("def f(xs):\n    list = list(xs)\n    return list\n", R).contains("the builtin `list`"));
        // A read directly in a loop's body runs before the binding later in that body.
        assert_count("total = 0\ndef f(xs):\n    for x in xs:\n        total += x\n", R, 1);
        assert_count("import os\ndef f():\n    print(os.sep)\n    import os\n", R, 1);
        assert_count("x = 1\ndef f():\n    print([x for _ in range(2)])\n    x = 2\n", R, 1);
        assert_clean("shape = 1\ndef f(shapes):\n    a = [shape[0] for shape in shapes]\n    shape = a\n", R);
        assert_clean("def f(xs):\n    a = {k: v for k, v in (\n        (k, g(k)) for k in xs\n    )}\n    k = 1\n", R);
        assert_count(
            "x = 1\ndef f():\n    try:\n        print(x)\n    except ValueError:\n        pass\n    x = 2\n",
            R,
            1,
        );
    }

    #[test]
    fn ignores_declared_conditional_and_nested_reads() {
        assert_clean("count = 0\ndef bump():\n    global count\n    count += 1\n", R);
        assert_clean("def outer():\n    n = 0\n    def inner():\n        nonlocal n\n        n += 1\n", R);
        assert_clean("x = 1\ndef f():\n    print(x)\n", R);
        assert_clean("x = 1\ndef f():\n    x = 2\n    print(x)\n", R);
        // The classic `prev` pattern: the read is skipped on the first iteration.
        assert_clean(
            "def f(xs):\n    for i, x in enumerate(xs):\n        if i:\n            print(prev)\n        prev = x\n",
            R,
        );
        assert_clean("x = 1\ndef f():\n    g = lambda: x\n    x = 2\n    return g\n", R);
        assert_clean("x = 1\ndef f():\n    def g():\n        return x\n    x = 2\n    return g\n", R);
        assert_clean("x = 1\nclass C:\n    y = x\n    x = 2\n", R);
        assert_clean("Column = 1\ndef f():\n    cols: dict[str, Column] = {}\n    Column = 2\n    return cols\n", R);
        assert_clean("x = 1\nprint(x)\nx = 2\n", R);
        for handler in ["NameError", "UnboundLocalError", "Exception", "(KeyError, NameError)", ""] {
            let sep = if handler.is_empty() { "" } else { " " };
            let src =
                format!("def f():\n    try:\n        print(x)\n    except{sep}{handler}:\n        pass\n    x = 2\n");
            assert_clean(&src, R);
        }
    }

    #[test]
    fn the_crash_is_real() {
        let (ok, _, err) = run_python("count = 0\n\ndef bump():\n    count += 1\n\nbump()\n");
        assert!(!ok && err.contains("UnboundLocalError"), "{err}");
        let (ok, _, err) = run_python("total = 0\ndef f(xs):\n    for x in xs:\n        total += x\nf([1])\n");
        assert!(!ok && err.contains("UnboundLocalError"), "{err}");
        let (ok, _, err) = run_python(
            "def f(xs):\n    for i, x in enumerate(xs):\n        if i:\n            print(prev)\n        prev = x\nf([1, 2])\n",
        );
        assert!(ok, "{err}");
    }

    #[test]
    fn fix_declares_the_outer_name() {
        let src = "count = 0\n\ndef bump():\n    \"\"\"Add one.\"\"\"\n    count += 1\n";
        assert_eq!(
            fixed(src, R),
            "count = 0\n\ndef bump():\n    \"\"\"Add one.\"\"\"\n    global count\n    count += 1\n"
        );
        assert_eq!(fixed_output(src, R, "bump()\nbump()\nprint(count)\n"), "2\n");
        assert_eq!(first_fix_applicability(src, R), Some(Applicability::Unsafe));
        let src = "def outer():\n    n = 0\n    def inner():\n        n += 1\n        return n\n    return inner\n";
        assert_eq!(fixed_output(src, R, "f = outer()\nf()\nprint(f())\n"), "2\n");
    }

    #[test]
    fn no_fix_for_builtins_imports_or_nested_nonlocal() {
        for src in [
            "def f(xs):\n    list = list(xs)\n    return list\n",
            "import os\ndef f():\n    print(os.sep)\n    import os\n",
            "x = 0\ndef f():\n    x += 1\n    def g():\n        nonlocal x\n        x = 2\n",
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
        for src in ["x = 0\ndef f():\n    x +=", "def f():\n    print(x)\n    x =", "def f(:\n    x += 1\n"] {
            let _ = findings(src, R);
        }
    }
}
