//! `stopiteration-in-generator` (peers: Ruff PLR1708 for the raise; Pylint stop-iteration-return
//! R1708 for both forms). Since Python 3.7 (PEP 479) a `StopIteration` that escapes a generator's
//! body is turned into `RuntimeError("generator raised StopIteration")`: it no longer ends the
//! iteration quietly.
//!
//! Two tiers:
//! - warning: `raise StopIteration` / `raise StopIteration(...)` in the body of a generator
//!   (`def` or `async def` with its own `yield`), not caught by a `try` around it in the same
//!   function (a handler of `StopIteration`, `Exception`, `BaseException`, or bare). Reaching the
//!   statement always raises `RuntimeError`, so the harm is the code itself.
//! - hint: `next(...)` with no default in a generator's body, not caught the same way, where the
//!   code shows the iterator can run out: a search `next(x for x in xs if cond)` (nothing may
//!   match), or `next(it)` inside `for ... in it:` (the loop is already taking items from `it`, and
//!   the extra one may be past the end). The message says the `RuntimeError` happens only then.
//!   Other `next(it)` calls are not reported: priming another generator (`next(flow)`) or reading
//!   the first item of a collection just filled is usually known to succeed, and on the corpus
//!   such findings were mostly not worth pointing at. Excluded too: a `next` that is not the
//!   builtin.
//!
//! Not reported: a test that wants the crash (a `raise` whose generator is defined next to an
//! `assertRaises(RuntimeError, ...)` / `pytest.raises(RuntimeError)` in the same block), a `raise`
//! or `next()` in a nested `def`, `lambda`, class body or comprehension
//! (another frame), in a plain function (there `StopIteration` is the iterator protocol's own
//! signal, e.g. in `__next__`), or at module level. Otherwise test code is treated like any code:
//! a test generator that raises `StopIteration` crashes the same way.
//!
//! Fix, for the raise only (unsafe: a caller that caught the `RuntimeError` now sees a normal end):
//! `raise StopIteration` -> `return`, `raise StopIteration(v)` -> `return v` (only in a sync
//! generator; `return v` is a syntax error in an async one, so there the fix is offered only
//! without a value).

use ruff_python_ast::{Expr, ExprCall, Stmt, StmtRaise};
use ruff_text_size::Ranged;

use super::helpers::generators::{caught_in_function, enclosing_loops, function_of_scope, is_generator_body};
use crate::analysis::checker::Checker;
use crate::analysis::finding::{Edit, Finding, Fix, Severity};
use crate::analysis::rule::Rule;
use crate::analysis::semantic::{NodeId, NodeRef, ScopeId};

/// The handlers that stop a StopIteration.
const CATCHES: &[&str] = &["builtins.StopIteration", "builtins.Exception", "builtins.BaseException"];

/// During the walk, at `raise`: the shape only; whether the function is a generator is known
/// once its whole body has been walked.
pub(crate) fn check_raise(checker: &mut Checker, raise: &StmtRaise) {
    if raised_class(raise).is_some()
        && function_of_scope(checker.semantic(), checker.scope()).is_some()
        && let Some(node) = checker.node_id()
    {
        checker.defer(Rule::StopiterationInGenerator, node);
    }
}

/// During the walk, at a call: `next(x)` with one argument, directly in a function's scope.
pub(crate) fn check_call(checker: &mut Checker, call: &ExprCall) {
    let Expr::Name(func) = &*call.func else { return };
    if func.id.as_str() != "next" || call.arguments.args.len() != 1 || !call.arguments.keywords.is_empty() {
        return;
    }
    if matches!(call.arguments.args[0], Expr::Starred(_))
        || function_of_scope(checker.semantic(), checker.scope()).is_none()
        || !checker.resolves_to(&call.func, "builtins.next")
    {
        return;
    }
    if let Some(node) = checker.node_id() {
        checker.defer(Rule::StopiterationInGenerator, node);
    }
}

/// `StopIteration` or `StopIteration(...)` as the raised expression.
fn raised_class(raise: &StmtRaise) -> Option<&Expr> {
    let exc = raise.exc.as_deref()?;
    let class = match exc {
        Expr::Call(call) => &*call.func,
        other => other,
    };
    matches!(class, Expr::Name(n) if n.id.as_str() == "StopIteration").then_some(class)
}

pub(crate) fn check_deferred(checker: &mut Checker, node: NodeId) {
    let model = checker.semantic();
    let scope = model.nodes.scope(node);
    let Some(function) = function_of_scope(model, scope) else { return };
    match model.node(node) {
        NodeRef::Stmt(stmt @ Stmt::Raise(raise)) => {
            let Some(class) = raised_class(raise) else { return };
            if !checker.resolves_to(class, "builtins.StopIteration")
                || !is_generator_body(model, function, scope)
                || caught_in_function(checker, node, scope, CATCHES)
                || crash_is_asserted(checker, scope)
            {
                return;
            }
            let (kind, article) = if function.is_async { ("async generator", "an") } else { ("generator", "a") };
            let message = format!(
                "`{}` inside the {kind} `{}`: since Python 3.7 (PEP 479) a StopIteration leaving {article} {kind} \
                 is turned into RuntimeError, so reaching this line crashes the caller's loop instead of \
                 ending it; use `return`",
                checker.source.shown(raise.exc.as_deref().unwrap_or(class)),
                function.name.as_str()
            );
            let fix = return_fix(checker, stmt, raise, function.is_async);
            checker.report(Finding::new(Rule::StopiterationInGenerator, raise.range(), message).with_fix(fix));
        }
        NodeRef::Expr(Expr::Call(call)) => {
            let [argument] = call.arguments.args.as_ref() else { return };
            let Some(why) = may_run_out(checker, node, argument) else { return };
            if !is_generator_body(model, function, scope) || caught_in_function(checker, node, scope, CATCHES) {
                return;
            }
            let shown = checker.source.shown(argument);
            let message = format!(
                "`next({shown})` without a default inside the generator `{}`: {why}, and then the StopIteration \
                 becomes RuntimeError (PEP 479) instead of ending this generator; nothing shows it happens \
                 here, but pass a default or catch StopIteration and `return`",
                function.name.as_str()
            );
            let finding = Finding::new(Rule::StopiterationInGenerator, call.range(), message);
            checker.report(finding.with_severity(Severity::Hint));
        }
        _ => {}
    }
}

/// Why `next(argument)` at `node` may find nothing: a search that may match nothing, or an extra
/// item taken inside a loop over the same iterator.
fn may_run_out(checker: &Checker, node: NodeId, argument: &Expr) -> Option<&'static str> {
    match argument {
        Expr::Generator(generator) if generator.generators.iter().any(|g| !g.ifs.is_empty()) => {
            Some("if nothing matches, the search raises StopIteration")
        }
        Expr::Name(name) => {
            let model = checker.semantic();
            let binding = model.resolve_name(name)?;
            enclosing_loops(model, node)
                .any(|l| match model.node(l) {
                    NodeRef::Stmt(Stmt::For(f)) => {
                        matches!(&*f.iter, Expr::Name(iter) if model.resolve_name(iter) == Some(binding))
                    }
                    _ => false,
                })
                .then_some(
                    "the `for` loop is taking items from the same iterator, so this extra item may be past the end",
                )
        }
        _ => None,
    }
}

/// Is the generator defined next to a check that wants the `RuntimeError` (a test of PEP 479)?
fn crash_is_asserted(checker: &Checker, function_scope: ScopeId) -> bool {
    let model = checker.semantic();
    let Some(def) = model.scope(function_scope).node else { return false };
    let Some((suite, _)) = model.suite_of(def) else { return false };
    suite.iter().filter_map(|stmt| model.stmt_id(stmt)).any(|id| {
        model.calls_within(id).any(|call| {
            let asserting = match &*call.func {
                Expr::Attribute(attr) => {
                    attr.attr.as_str().starts_with("assertRaises") || attr.attr.as_str() == "raises"
                }
                Expr::Name(name) => name.id.as_str() == "raises",
                _ => false,
            };
            asserting && call.arguments.args.first().is_some_and(|a| checker.resolves_to(a, "builtins.RuntimeError"))
        })
    })
}

fn return_fix(checker: &Checker, stmt: &Stmt, raise: &StmtRaise, is_async: bool) -> Option<Fix> {
    if checker.source.has_comments(stmt.range()) {
        return None;
    }
    let value = match raise.exc.as_deref()? {
        Expr::Name(_) => None,
        Expr::Call(call) if call.arguments.is_empty() => None,
        Expr::Call(call) if call.arguments.keywords.is_empty() && call.arguments.args.len() == 1 => {
            let arg = &call.arguments.args[0];
            if matches!(arg, Expr::Starred(_)) || is_async {
                return None;
            }
            Some(checker.source.slice(arg))
        }
        _ => return None,
    };
    let content = match value {
        Some(value) if !value.contains(['\n', '\r']) => format!("return {value}"),
        Some(_) => return None,
        None => "return".to_string(),
    };
    Fix::unsafe_("Replace the raise with `return`", vec![Edit::replace(raise.range(), content)])
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use crate::analysis::finding::{Applicability, Severity};
    use crate::analysis::rule::Rule::StopiterationInGenerator as R;

    #[test]
    fn warns_on_raise_in_generators() {
        assert_tier("def g():\n    yield 1\n    raise StopIteration\n", R, Severity::Warning, "RuntimeError");
        assert_tier(
            "def g(x):\n    if not x:\n        raise StopIteration()\n    yield x\n",
            R,
            Severity::Warning,
            "PEP 479",
        );
        assert_count("async def g():\n    yield 1\n    raise StopIteration\n", R, 1);
        assert_count(
            "def g(it):\n    for x in it:\n        if x:\n            raise StopIteration('done')\n        yield x\n",
            R,
            1,
        );
        // A handler for another class does not stop it.
        assert_count(
            "def g():\n    try:\n        yield 1\n        raise StopIteration\n    except ValueError:\n        pass\n",
            R,
            1,
        );
        // Raised in the handler of a try that catches it: not inside that try's body.
        assert_count(
            "def g():\n    try:\n        yield 1\n    except StopIteration:\n        raise StopIteration\n",
            R,
            1,
        );
    }

    #[test]
    fn message_names_the_kind() {
        assert!(
            message("async def g():\n    yield 1\n    raise StopIteration\n", R).contains("leaving an async generator")
        );
    }

    #[test]
    fn ignores_plain_functions_nested_scopes_and_caught_raises() {
        assert_clean("def f():\n    raise StopIteration\n", R);
        assert_clean("class It:\n    def __next__(self):\n        raise StopIteration\n", R);
        assert_clean("def g():\n    yield 1\n    def inner():\n        raise StopIteration\n", R);
        assert_clean("def g():\n    def inner():\n        yield 1\n    raise StopIteration\n", R);
        assert_clean("def g():\n    yield 1\n    class C:\n        raise StopIteration\n", R);
        assert_clean("raise StopIteration\n", R);
        assert_clean("def g():\n    yield 1\n    raise StopAsyncIteration\n", R);
        assert_clean("StopIteration = ValueError\ndef g():\n    yield 1\n    raise StopIteration\n", R);
        for handler in ["StopIteration", "Exception", "(ValueError, StopIteration)", "BaseException", ""] {
            let sep = if handler.is_empty() { "" } else { " " };
            let src = format!(
                "def g():\n    try:\n        yield 1\n        raise StopIteration\n    except{sep}{handler}:\n        pass\n"
            );
            assert_clean(&src, R);
        }
    }

    #[test]
    fn hints_on_next_that_may_run_out() {
        let src = "def pairs(it):\n    for a in it:\n        b = next(it)\n        yield a, b\n";
        assert_tier(src, R, Severity::Hint, "the `for` loop is taking items from the same iterator");
        assert!(findings(src, R)[0].fix.is_none());
        let (ok, _, err) = run_python(&format!("{src}\nprint(list(pairs(iter([1, 2, 3]))))\n"));
        assert!(!ok && err.contains("RuntimeError"), "{err}");
        let src = "def firsts(groups):\n    for g in groups:\n        yield next(x for x in g if x > 0)\n";
        assert_tier(src, R, Severity::Hint, "if nothing matches");
    }

    #[test]
    fn next_is_left_alone_with_a_default_a_handler_or_no_sign_of_running_out() {
        assert_clean("def g(it):\n    for x in it:\n        yield next(it, None)\n", R);
        assert_clean(
            "def g(it):\n    for x in it:\n        try:\n            y = next(it)\n        except StopIteration:\n            return\n        yield x, y\n",
            R,
        );
        // Priming or a first item: usually known to exist.
        assert_clean(
            "def rows(reader):\n    header = next(reader)\n    for row in reader:\n        yield dict(zip(header, row))\n",
            R,
        );
        assert_clean("def g(flow):\n    request = next(flow)\n    yield request\n", R);
        assert_clean("def g(xs):\n    yield next(x for x in xs)\n", R);
        // Another iterator than the loop's.
        assert_clean("def g(it, other):\n    for x in it:\n        yield next(other)\n", R);
        assert_clean("def f(it):\n    for x in it:\n        return next(it)\n", R);
        assert_clean("def g(its):\n    for it in its:\n        yield [next(it) for _ in its]\n", R);
        assert_clean("def g(it):\n    for x in it:\n        yield lambda: next(it)\n", R);
        assert_clean("def next(x):\n    return x\ndef g(it):\n    for x in it:\n        yield next(it)\n", R);
    }

    #[test]
    fn a_test_that_wants_the_crash_is_left_alone() {
        let src = "import unittest\nclass T(unittest.TestCase):\n    def test_it(self):\n        def gen():\n            yield 1\n            raise StopIteration\n        with self.assertRaisesRegex(RuntimeError, 'raised StopIteration'):\n            list(gen())\n";
        assert_clean(src, R);
        assert_count(&src.replace("RuntimeError", "ValueError"), R, 1);
        let src = "import pytest\ndef test_it():\n    def gen():\n        yield 1\n        raise StopIteration\n    with pytest.raises(RuntimeError):\n        list(gen())\n";
        assert_clean(src, R);
    }

    #[test]
    fn fix_returns_and_the_generator_ends_cleanly() {
        let src = "def g(xs):\n    for x in xs:\n        if x < 0:\n            raise StopIteration\n        yield x\n";
        assert_eq!(fixed(src, R), src.replace("raise StopIteration", "return"));
        let (ok, _, err) = run_python(&format!("{src}\nprint(list(g([1, -1, 2])))\n"));
        assert!(!ok && err.contains("RuntimeError: generator raised StopIteration"), "{err}");
        assert_eq!(fixed_output(src, R, "print(list(g([1, -1, 2])))\n"), "[1]\n");
        assert_eq!(first_fix_applicability(src, R), Some(Applicability::Unsafe));
        let src = "def g():\n    value = yield 1\n    raise StopIteration(value * 2)\n";
        assert_eq!(fixed(src, R), "def g():\n    value = yield 1\n    return value * 2\n");
        assert_eq!(fixed("def g():\n    yield\n    raise StopIteration()\n", R), "def g():\n    yield\n    return\n");
        // A comment after the statement stays where it is.
        assert_eq!(
            fixed("def g():\n    yield\n    raise StopIteration  # end\n", R),
            "def g():\n    yield\n    return  # end\n"
        );
        assert_eq!(
            fixed("async def g():\n    yield\n    raise StopIteration\n", R),
            "async def g():\n    yield\n    return\n"
        );
    }

    #[test]
    fn no_fix_where_return_cannot_say_it() {
        for src in [
            "async def g():\n    yield\n    raise StopIteration(1)\n",
            "def g():\n    yield\n    raise StopIteration(1, 2)\n",
            "def g():\n    yield\n    raise StopIteration(  # why\n        1\n    )\n",
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
        for src in [
            "def g():\n    yield\n    raise StopIteration(",
            "def g(it):\n    for x in it:\n        yield next(",
            "def g():\n    raise\n",
            "def g():\n    yield next()\n",
        ] {
            let _ = findings(src, R);
        }
    }
}
