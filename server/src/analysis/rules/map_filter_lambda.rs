//! `map-filter-lambda` (peer: Ruff C417; Pylint `bad-builtin`, an extension that flags any
//! `map`/`filter`). `map(lambda x: x * 2, xs)` calls a function per item to evaluate an
//! expression a comprehension writes inline: `(x * 2 for x in xs)`, and `filter(lambda x: x > 0,
//! xs)` is `(x for x in xs if x > 0)`. The call works, so the rule reports a hint whose message
//! says so; it is the idiom interviewers ask about (and the comprehension skips a Python-level
//! call per item).
//!
//! Detection: a call of the builtin `map` with a lambda and exactly one iterable, or of `filter`
//! with a lambda and one iterable; the lambda takes exactly one plain positional parameter (no
//! default, no `*args`). Wrapped in `list(...)` or `set(...)` (the builtins, as the only argument)
//! the advice and the fix are a list or set comprehension, otherwise a generator expression, which
//! is lazy like the `map` object. Excluded: a lambda body that `yield`s, `await`s or binds with
//! `:=` (a comprehension gives these another scope), or that holds a nested lambda, function or
//! comprehension — in a comprehension every such closure would share one loop variable, where each
//! `lambda` call had its own (late binding); several iterables (`map(f, xs, ys)`); the identity
//! `map(lambda x: x, it)`, whose point is the map object (CPython's tests wrap iterators so);
//! calls inside a test named after the builtin (`test_map`, `test_builtin_filter`), whose subject
//! it is. Other test code is treated like any code.
//!
//! Fix (unsafe, as the catalogue says: a `map` object that raised can be asked for the next item
//! again while a generator that raised is finished, and a comment inside is dropped — no fix then):
//! the comprehension or generator expression, replacing the wrapper call when there is one.

use ruff_python_ast::{Expr, ExprCall, ExprLambda};
use ruff_text_size::Ranged;

use super::helpers::idioms::in_test_of;
use super::helpers::loops::{unsafe_in_comprehension, wrap_if_needed};
use crate::analysis::checker::Checker;
use crate::analysis::finding::{Edit, Finding, Fix, Severity};
use crate::analysis::rule::Rule;
use crate::analysis::semantic::NodeRef;

pub(crate) fn check(checker: &mut Checker, call: &ExprCall) {
    let ([Expr::Lambda(lambda), iterable], []) = (&*call.arguments.args, &*call.arguments.keywords) else { return };
    let Expr::Name(func) = &*call.func else { return };
    let builtin = match func.id.as_str() {
        "map" => "map",
        "filter" => "filter",
        _ => return,
    };
    let Some(parameter) = single_parameter(lambda) else { return };
    // `map(lambda x: x, it)` is there to make a map object (tests feed one to the code under test).
    let identity = builtin == "map" && matches!(&*lambda.body, Expr::Name(n) if n.id.as_str() == parameter);
    if identity || in_test_of(checker, &[builtin]) {
        return;
    }
    if iterable.is_starred_expr()
        || !checker.resolves_to(&call.func, if builtin == "map" { "builtins.map" } else { "builtins.filter" })
        || body_needs_own_scope(checker, &lambda.body)
    {
        return;
    }
    let wrapper = wrapper(checker, call);
    let source = &checker.source;
    let body = source.slice(&*lambda.body);
    let iter = wrap_if_needed(source.slice(iterable), iterable);
    let clause = format!("for {parameter} in {iter}");
    let inner = match builtin {
        "map" => format!("{} {clause}", wrap_if_needed(body, &lambda.body)),
        _ => format!("{parameter} {clause} if {}", wrap_if_needed(body, &lambda.body)),
    };
    let (open, close, kind) = match wrapper.map(|(_, name)| name) {
        Some("list") => ("[", "]", "a list comprehension"),
        Some("set") => ("{", "}", "a set comprehension"),
        _ => ("(", ")", "a generator expression"),
    };
    // A generator expression that is a call's only argument needs no parentheses of its own.
    let bare = wrapper.is_none() && is_sole_argument(checker, call);
    let replacement = if bare { inner.clone() } else { format!("{open}{inner}{close}") };
    let shown = if replacement.len() <= 60 && !replacement.contains(['\n', '\r']) {
        format!("`{replacement}`")
    } else {
        kind.to_string()
    };
    let what = if builtin == "map" { "an expression per item" } else { "a test per item" };
    let message = format!(
        "`{builtin}()` with a lambda calls a function to evaluate {what}: this works, and {shown} says the \
         same inline, without a call per item"
    );
    let replaced = wrapper.map_or(call.range(), |(outer, _)| outer.range());
    let fix = if source.has_comments(replaced) {
        None
    } else {
        Fix::unsafe_(format!("Replace with {kind}"), vec![Edit::replace(replaced, replacement)])
    };
    let finding = Finding::new(Rule::MapFilterLambda, call.range(), message).with_severity(Severity::Hint);
    checker.report(finding.with_fix(fix));
}

/// The lambda's only parameter, when it is a plain positional one without a default.
fn single_parameter(lambda: &ExprLambda) -> Option<&str> {
    let parameters = lambda.parameters.as_deref()?;
    let all = parameters.posonlyargs.iter().chain(&parameters.args).collect::<Vec<_>>();
    let [only] = &*all else { return None };
    let plain = only.default.is_none()
        && parameters.vararg.is_none()
        && parameters.kwarg.is_none()
        && parameters.kwonlyargs.is_empty();
    plain.then_some(only.parameter.name.as_str())
}

/// `yield`, `await`, `:=` or a nested scope (lambda, comprehension) in the lambda's body.
fn body_needs_own_scope(checker: &Checker, body: &Expr) -> bool {
    let model = checker.semantic();
    if unsafe_in_comprehension(model, body) {
        return true;
    }
    let nested = |node: NodeRef| {
        matches!(
            node,
            NodeRef::Expr(
                Expr::Lambda(_) | Expr::ListComp(_) | Expr::SetComp(_) | Expr::DictComp(_) | Expr::Generator(_)
            )
        )
    };
    let Some(id) = model.expr_id(body) else { return true };
    nested(model.node(id)) || model.descendants(id).any(|n| nested(model.node(n)))
}

/// Is the call the only argument of another call (`tuple(map(...))`)?
fn is_sole_argument(checker: &Checker, call: &ExprCall) -> bool {
    let Some(Expr::Call(outer)) = checker.parent_expr() else { return false };
    matches!((&*outer.arguments.args, &*outer.arguments.keywords), ([argument], [])
        if argument.as_call_expr().is_some_and(|c| std::ptr::eq(c, call)))
}

/// `list(<call>)` or `set(<call>)` around the call, with the builtin's name.
fn wrapper<'a>(checker: &Checker<'a>, call: &ExprCall) -> Option<(&'a ExprCall, &'static str)> {
    let Some(Expr::Call(outer)) = checker.parent_expr() else { return None };
    let ([argument], []) = (&*outer.arguments.args, &*outer.arguments.keywords) else { return None };
    if !std::ptr::eq(argument.as_call_expr()?, call) {
        return None;
    }
    match checker.resolves_to_any(&outer.func, &["builtins.list", "builtins.set"])? {
        "builtins.list" => Some((outer, "list")),
        _ => Some((outer, "set")),
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use crate::analysis::finding::{Applicability, Severity};
    use crate::analysis::rule::Rule::MapFilterLambda as R;

    #[test]
    fn flags_map_and_filter_with_a_lambda() {
        assert_count("def f(xs):\n    return map(lambda x: x * 2, xs)\n", R, 1);
        assert_count("def f(xs):\n    return list(filter(lambda x: x > 0, xs))\n", R, 1);
        assert_count("def f(xs):\n    return set(map(lambda x: x.name, xs))\n", R, 1);
        assert_count("def f(xs):\n    return sorted(map(lambda x: -x, xs))\n", R, 1);
    }

    #[test]
    fn ignores_other_shapes() {
        assert_clean("def f(xs):\n    return map(str, xs)\n", R);
        assert_clean("def f(xs):\n    return filter(None, xs)\n", R);
        assert_clean("def f(xs, ys):\n    return map(lambda x, y: x + y, xs, ys)\n", R);
        assert_clean("def f(xs):\n    return map(lambda x, y=1: x + y, xs)\n", R);
        assert_clean("def f(xs):\n    return map(lambda *x: x, xs)\n", R);
        assert_clean("def f(xs):\n    return map(lambda: 1, xs)\n", R);
        assert_clean("def f(xs):\n    return map(lambda x: x, *xs)\n", R);
        // An identity map makes a map object on purpose; a test of `map` itself.
        assert_clean("def f(xs):\n    return chain(map(lambda x: x, xs))\n", R);
        assert_clean("def test_builtin_filter(self):\n    list(filter(lambda x: not x, seq))\n", R);
        assert_count("def test_paths(self):\n    list(filter(lambda x: not x, seq))\n", R, 1);
        assert_clean("def map(f, xs): pass\ndef g(xs):\n    return map(lambda x: x + 1, xs)\n", R);
        // Each call of the outer lambda has its own `x`; in a comprehension the closures would share one.
        assert_clean("def f(xs):\n    return list(map(lambda x: lambda: x, xs))\n", R);
        assert_clean("def f(xs):\n    return list(map(lambda x: (y for y in x), xs))\n", R);
        assert_clean("def f(xs):\n    return list(map(lambda x: (y := x), xs))\n", R);
        assert_clean("async def f(xs):\n    return list(map(lambda x: await x, xs))\n", R);
    }

    #[test]
    fn a_hint_that_says_it_works() {
        assert_tier("def f(xs):\n    return map(lambda x: x * 2, xs)\n", R, Severity::Hint, "`(x * 2 for x in xs)`");
        assert_tier("def f(xs):\n    return list(filter(lambda x: x, xs))\n", R, Severity::Hint, "this works");
    }

    #[test]
    fn fix_writes_the_comprehension() {
        let cases = [
            ("map(lambda x: x * 2, xs)", "(x * 2 for x in xs)"),
            ("list(map(lambda x: x * 2, xs))", "[x * 2 for x in xs]"),
            ("set(filter(lambda s: s.strip(), xs))", "{s for s in xs if s.strip()}"),
            ("list(filter(lambda x: x if a else b, xs))", "[x for x in xs if (x if a else b)]"),
            ("list(map(lambda x: -x, a if c else b))", "[-x for x in (a if c else b)]"),
            ("list(map(lambda x: (x, 1), xs))", "[(x, 1) for x in xs]"),
            ("tuple(map(lambda x: x + 1, xs))", "tuple(x + 1 for x in xs)"),
            ("sum(map(lambda x: x + 1, xs), 0)", "sum((x + 1 for x in xs), 0)"),
        ];
        for (before, after) in cases {
            let src = format!("def f(xs, a, b, c):\n    return {before}\n");
            assert_eq!(fixed(&src, R), format!("def f(xs, a, b, c):\n    return {after}\n"), "{before}");
        }
        assert_eq!(
            first_fix_applicability("def f(xs):\n    return map(lambda x: x + 1, xs)\n", R),
            Some(Applicability::Unsafe)
        );
        let commented = "def f(xs):\n    return list(map(\n        lambda x: x + 1,  # bump\n        xs,\n    ))\n";
        assert!(findings(commented, R)[0].fix.is_none());
    }

    #[test]
    fn fixes_keep_the_output() {
        let src = "def f(xs):\n    return list(map(lambda x: x * 2, xs))\n";
        assert_fix_keeps_output(src, R, "print(f([1, 2]), f(range(3)), f('ab'))");
        let filt = "def f(xs):\n    return sorted(set(filter(lambda w: len(w) > 2, xs)))\n";
        assert_fix_keeps_output(filt, R, "print(f(['a', 'abc', 'abcd', 'abc']))");
        let lazy = "def f(xs):\n    return map(lambda x: x + 1, xs)\n";
        assert_fix_keeps_output(lazy, R, "g = f(iter([1, 2, 3]))\nprint(next(g), list(g))");
    }

    #[test]
    fn card_examples() {
        assert_card_examples(R);
    }

    #[test]
    fn half_typed_code_does_not_panic() {
        for src in ["map(lambda x: , xs)", "map(lambda x: x, ", "filter(lambda: x, xs)", "list(map(lambda x x, xs))"] {
            let _ = findings(src, R);
        }
    }
}
