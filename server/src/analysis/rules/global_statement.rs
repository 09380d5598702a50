//! `global-statement` (peers: Ruff PLW0603 and Pylint global-statement W0603 for the rebinding
//! case). `global x` in a function makes its assignments to `x` rebind the module variable.
//!
//! Both findings are hints, because the code works as written:
//! - a `global` whose names the function rebinds (assignment, `+=`, `for`/`with` target, `def`,
//!   `import`, `del`): the function now changes module state behind its callers' backs; the
//!   message suggests returning the value or keeping the state in an object (and `functools.cache`
//!   for a lazily built value). No fix: the redesign is the point.
//! - a `global` none of whose names the function rebinds: the declaration does nothing (reads and
//!   method calls find the module variable anyway), which shows a misunderstanding of LEGB.
//!   Fix (safe: with no binding in the function, every read resolves the same way without it):
//!   delete the statement, or the unneeded names from it.
//!
//! Not reported: `global` at module level or in a class body (no effect worth teaching here);
//! names the function binds only by `def`/`class` (a function defining module API, e.g. one
//! definition per platform). Test code: the rebinding hint is not given in `test*` functions and
//! setup/teardown hooks, where `global` puts objects where lookup by name finds them (pickle,
//! string annotations, entry points) or builds module fixtures, on purpose; the no-effect hint is.

use ruff_python_ast::{Stmt, StmtGlobal};
use ruff_text_size::Ranged;

use crate::analysis::checker::Checker;
use crate::analysis::finding::{Edit, Finding, Fix, Severity};
use crate::analysis::rule::Rule;
use crate::analysis::semantic::{BindingKind, NodeId, ScopeId, ScopeKind};

/// During the walk, at `global` inside a function: looked at once every binding is known.
pub(crate) fn check(checker: &mut Checker, _global: &StmtGlobal) {
    if matches!(checker.semantic().current_scope().kind, ScopeKind::Function(_))
        && let Some(node) = checker.node_id()
    {
        checker.defer(Rule::GlobalStatement, node);
    }
}

pub(crate) fn check_deferred(checker: &mut Checker, node: NodeId) {
    let model = checker.semantic();
    let Some(stmt @ Stmt::Global(global)) = model.node(node).as_stmt() else { return };
    let function = model.nodes.scope(node);
    let ScopeKind::Function(def) = model.scope(function).kind else { return };
    let mut rebound = Vec::new();
    let mut unneeded = Vec::new();
    for name in &global.names {
        let first = model
            .bindings_of(ScopeId::MODULE, name.as_str())
            .filter(|b| model.binding(*b).bound_in == function)
            // `def`/`class` under `global` defines module API from a function (conditional or
            // generated definitions), not state that changes between calls.
            .filter(|b| !matches!(model.binding(*b).kind, BindingKind::FunctionDef(_) | BindingKind::ClassDef(_)))
            .map(|b| model.binding(b).range)
            .min_by_key(|r| r.start());
        let defined = model.bindings_of(ScopeId::MODULE, name.as_str()).any(|b| model.binding(b).bound_in == function);
        match first {
            Some(range) => rebound.push((name, range)),
            None if !defined => unneeded.push(name),
            None => {}
        }
    }
    let function_name = def.name.as_str();
    // Test code uses `global` to put objects where lookup by name finds them (pickle, string
    // annotations, entry points) or to build module fixtures: deliberate, not hidden state.
    let in_test = is_test_function(function_name);
    if in_test {
        rebound.clear();
    }
    if let Some((name, range)) = rebound.first() {
        let names: Vec<String> = rebound.iter().map(|(n, _)| format!("`{}`", n.as_str())).collect();
        let message = format!(
            "`global` lets `{function_name}` rebind the module variable{} {} (first at line {}): this works, but \
             the function now changes shared state that its callers cannot see in its signature; return the \
             new value, keep the state in an object, or use `functools.cache` for a value built once",
            if names.len() > 1 { "s" } else { "" },
            names.join(", "),
            checker.source.line_number(range.start())
        );
        let _ = name;
        let finding = Finding::new(Rule::GlobalStatement, global.range(), message).with_severity(Severity::Hint);
        checker.report(finding);
    }
    if !unneeded.is_empty() {
        let names: Vec<String> = unneeded.iter().map(|n| format!("`{}`", n.as_str())).collect();
        let message = format!(
            "`global {}` in `{function_name}` has no effect: the function never rebinds {}, and reading a module \
             variable (or calling its methods) needs no declaration; `global` is needed only to assign",
            unneeded.iter().map(|n| n.as_str()).collect::<Vec<_>>().join(", "),
            if names.len() > 1 { "them" } else { "it" },
        );
        let at = if rebound.is_empty() { global.range() } else { unneeded[0].range() };
        let fix = removal_fix(checker, node, stmt, global, &unneeded);
        let finding = Finding::new(Rule::GlobalStatement, at, message).with_severity(Severity::Hint);
        checker.report(finding.with_fix(fix));
    }
}

/// `test_*` functions and the unittest/pytest setup and teardown hooks.
fn is_test_function(name: &str) -> bool {
    name.starts_with("test")
        || matches!(
            name,
            "setUp"
                | "tearDown"
                | "setUpClass"
                | "tearDownClass"
                | "setUpModule"
                | "tearDownModule"
                | "setup_module"
                | "teardown_module"
                | "setup_function"
                | "teardown_function"
                | "setup_method"
                | "teardown_method"
                | "setup_class"
                | "teardown_class"
        )
}

fn removal_fix(
    checker: &Checker,
    node: NodeId,
    stmt: &Stmt,
    global: &StmtGlobal,
    unneeded: &[&ruff_python_ast::Identifier],
) -> Option<Fix> {
    if checker.source.has_comments(stmt.range()) {
        return None;
    }
    let title = "Remove the unneeded `global`";
    if unneeded.len() < global.names.len() {
        let kept: Vec<&str> = global
            .names
            .iter()
            .filter(|n| !unneeded.iter().any(|u| u.range() == n.range()))
            .map(|n| n.as_str())
            .collect();
        return Fix::safe(title, vec![Edit::replace(global.range(), format!("global {}", kept.join(", ")))]);
    }
    let (suite, index) = checker.semantic().suite_of(node)?;
    if suite.len() == 1 {
        return Fix::safe(title, vec![Edit::replace(global.range(), "pass")]);
    }
    // The whole line, when the statement is alone on it.
    let start = checker.source.line_start(stmt.start());
    let alone = checker.source.text()[start.to_usize()..stmt.start().to_usize()].trim().is_empty()
        && checker.source.nothing_after_on_line(stmt.end());
    if !alone {
        return None;
    }
    let _ = index;
    let end = checker.source.full_line_end(stmt.end());
    Fix::safe(title, vec![Edit::delete(ruff_text_size::TextRange::new(start, end))])
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use crate::analysis::finding::{Applicability, Severity};
    use crate::analysis::rule::Rule::GlobalStatement as R;

    #[test]
    fn hints_on_rebinding_a_module_variable() {
        let src = "counter = 0\n\ndef bump():\n    global counter\n    counter += 1\n";
        assert_tier(
            src,
            R,
            Severity::Hint,
            "`global` lets `bump` rebind the module variable `counter` (first at line 5)",
        );
        assert!(findings(src, R)[0].fix.is_none());
        assert_count(
            "def load():\n    global _cache\n    if _cache is None:\n        _cache = build()\n    return _cache\n",
            R,
            1,
        );
        assert_count("def f():\n    global np\n    import numpy as np\n", R, 1);
        assert_clean("def f():\n    global helper\n    def helper():\n        pass\n", R);
        assert_clean("def test_pickle():\n    global C\n    class C:\n        pass\n    C = 1\n", R);
        assert_clean("def setUpModule():\n    global names\n    names = [1]\n", R);
        assert_count("def test_it():\n    global names\n    print(names)\n", R, 1);
        assert_count("def f(xs):\n    global last\n    for last in xs:\n        pass\n", R, 1);
        assert_count("def f():\n    global x\n    del x\n", R, 1);
    }

    #[test]
    fn hints_on_a_global_that_does_nothing() {
        let src = "config = {}\n\ndef show():\n    global config\n    print(config['a'])\n    config.update(b=1)\n";
        assert_tier(src, R, Severity::Hint, "has no effect: the function never rebinds it");
        // Mixed: one finding each.
        let found = findings("def f():\n    global a, b\n    a = 1\n    print(b)\n", R);
        assert_eq!(found.len(), 2, "{found:#?}");
    }

    #[test]
    fn ignores_module_level_and_nested_bindings() {
        assert_clean("global x\nx = 1\n", R);
        assert_clean("class C:\n    global x\n    x = 1\n", R);
        assert_clean("def f():\n    x = 1\n", R);
        // The nested function's `x` is its own local: the outer `global` is still unneeded.
        let found = findings("def f():\n    global x\n    def g():\n        x = 1\n", R);
        assert!(found.len() == 1 && found[0].message.contains("has no effect"), "{found:#?}");
    }

    #[test]
    fn fix_drops_an_unneeded_global_and_keeps_the_output() {
        let src = "config = {'a': 1}\n\ndef show():\n    global config\n    print(config['a'])\n";
        assert_eq!(fixed(src, R), "config = {'a': 1}\n\ndef show():\n    print(config['a'])\n");
        assert_fix_keeps_output(src, R, "show()\n");
        assert_eq!(first_fix_applicability(src, R), Some(Applicability::Safe));
        let src = "a = 0\nb = 5\ndef f():\n    global a, b\n    a = b\nf()\nprint(a)\n";
        let found = findings(src, R);
        let fix = found.iter().find_map(|f| f.fix.as_ref()).expect("a fix for `b`");
        let out = crate::analysis::fixer::apply_edits(src, &fix.edits);
        assert_eq!(out, src.replace("global a, b", "global a"));
        assert_eq!(run_python(&out).1, "5\n");
        assert_eq!(fixed("def f():\n    global x\n", R), "def f():\n    pass\n");
    }

    #[test]
    fn card_example() {
        assert_card_examples(R);
    }

    #[test]
    fn half_typed_code_does_not_panic() {
        for src in ["def f():\n    global", "def f():\n    global x,", "def f():\n    global x; x ="] {
            let _ = findings(src, R);
        }
    }
}
