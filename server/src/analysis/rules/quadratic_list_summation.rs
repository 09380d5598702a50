//! `quadratic-list-summation` (peer: Ruff RUF017). `sum(lists, [])` adds the lists one at a time
//! with `+`, and each `+` builds a new list holding everything gathered so far: flattening n lists
//! of total length N copies O(n·N) references, quadratic when the lists are about the same size.
//! `itertools.chain.from_iterable` (or a comprehension) copies each item once.
//!
//! Detection: a call to the builtin `sum` whose start value (second positional argument or
//! `start=`) is an empty list display or `list()`.
//!
//! Tiers:
//! - warning, when the lists come from data whose number the code does not fix (a name, a
//!   comprehension, a call...): the copying grows with the square of their number.
//! - hint, when the first argument is a literal of more than eight lists: the cost is fixed here,
//!   and the message says so.
//!
//! Not reported: a literal first argument of at most eight items (a few copies), other start values
//! (`sum(xs, 0)`, `sum(xs, some_list)`: not the flattening idiom), `sum` shadowed. Test code is
//! treated like any code (it flattens the same way).
//!
//! Fix (unsafe): `list(itertools.chain.from_iterable(<iterable>))`, importing `itertools` when
//! needed. Unsafe because `sum` raises `TypeError` when an item is not a list (a tuple, a
//! generator), while `chain` accepts any iterable items, and because the result of `sum` for an
//! item of a list subclass would use that subclass's `__add__`/`__radd__`.

use ruff_python_ast::{Expr, ExprCall};
use ruff_text_size::Ranged;

use super::helpers::containers::{SMALL_LITERAL, literal_len};
use super::helpers::messages::shown_call;
use crate::analysis::checker::Checker;
use crate::analysis::finding::{Edit, Finding, Fix, Severity};
use crate::analysis::helpers;
use crate::analysis::rule::Rule;

pub(crate) fn check(checker: &mut Checker, call: &ExprCall) {
    // Cheap shape test before any name resolution.
    if !matches!(&*call.func, Expr::Name(name) if name.id.as_str() == "sum") {
        return;
    }
    let Some((iterable, start)) = arguments(call) else { return };
    let empty_list = match start {
        Expr::List(list) => list.elts.is_empty(),
        Expr::Call(c) => c.arguments.is_empty() && checker.resolves_to(&c.func, "builtins.list"),
        _ => false,
    };
    if !empty_list || !checker.resolves_to(&call.func, "builtins.sum") {
        return;
    }
    let literal = literal_len(iterable);
    if literal.is_some_and(|n| n <= SMALL_LITERAL) {
        return;
    }
    let shown = shown_call(checker, call);
    let cost = format!(
        "{shown} flattens by adding the lists one at a time, and each `+` copies everything gathered so far into a \
         new list"
    );
    let (severity, message) = match literal {
        Some(n) => (
            Severity::Hint,
            format!(
                "{cost}; with the {n} lists written here the cost is fixed, but `itertools.chain.from_iterable` \
                 copies each item once"
            ),
        ),
        None => (
            Severity::Warning,
            format!(
                "{cost}, so the work grows with the square of the number of lists; \
                 `list(itertools.chain.from_iterable(...))` copies each item once"
            ),
        ),
    };
    let fix = fix(checker, call, iterable);
    checker.report(
        Finding::new(Rule::QuadraticListSummation, call.range(), message).with_severity(severity).with_fix(fix),
    );
}

/// `(iterable, start)` of `sum(iterable, start)` or `sum(iterable, start=start)`.
fn arguments(call: &ExprCall) -> Option<(&Expr, &Expr)> {
    let args = &call.arguments;
    match (args.args.as_ref(), args.keywords.as_ref()) {
        ([iterable, start], []) if !iterable.is_starred_expr() && !start.is_starred_expr() => Some((iterable, start)),
        ([iterable], [keyword])
            if !iterable.is_starred_expr() && keyword.arg.as_ref().is_some_and(|a| a == "start") =>
        {
            Some((iterable, &keyword.value))
        }
        _ => None,
    }
}

fn fix(checker: &Checker, call: &ExprCall, iterable: &Expr) -> Option<Fix> {
    let source = &checker.source;
    if source.has_comments(call.range()) || !checker.semantic().is_builtin_visible(checker.scope(), "list") {
        return None;
    }
    let (chain, import) = helpers::import_member(checker, "itertools", "chain");
    let text = match iterable {
        // `(x for x in y)` already has the parentheses of the call.
        Expr::Generator(g) if g.parenthesized => format!("list({chain}.from_iterable{})", source.slice(iterable)),
        _ => format!("list({chain}.from_iterable({}))", source.slice(iterable)),
    };
    let mut edits = vec![Edit::replace(call.range(), text)];
    edits.extend(import);
    Fix::unsafe_("Flatten with `itertools.chain.from_iterable`", edits)
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use crate::analysis::finding::{Applicability, Severity};
    use crate::analysis::rule::Rule::QuadraticListSummation as R;

    #[test]
    fn warning_for_data_hint_for_a_long_literal() {
        assert_tier(
            "def f(rows):\n    return sum(rows, [])\n",
            R,
            Severity::Warning,
            "grows with the square of the number of lists",
        );
        assert_tier(
            "flat = sum([g.items for g in groups], start=[])\n",
            R,
            Severity::Warning,
            "each `+` copies everything",
        );
        assert_tier(
            "flat = sum((list(g) for g in groups), list())\n",
            R,
            Severity::Warning,
            "the square of the number",
        );
        assert_tier(
            "flat = sum([a, b, c, d, e, f, g, h, i], [])\n",
            R,
            Severity::Hint,
            "with the 9 lists written here the cost is fixed",
        );
        assert!(
            message("sum(rows, [])\n", R).starts_with("`sum(rows, [])` flattens by adding the lists one at a time")
        );
    }

    #[test]
    fn ignores_other_starts_short_literals_and_shadowed_sum() {
        assert_clean("sum(xs)\nsum(xs, 0)\nsum(xs, [0])\nsum(xs, acc)\nsum(xs, ())\nsum(xs, start=1)\n", R);
        assert_clean("sum([a, b], [])\nsum(([1], [2], [3]), [])\n", R);
        assert_clean("def sum(a, b):\n    return a\nsum(xs, [])\n", R);
        assert_clean("list = tuple\nsum(xs, list())\n", R);
        assert_clean("sum(*args, [])\nsum(xs, [], extra)\n", R);
    }

    #[test]
    fn fix_chains_and_imports() {
        assert_eq!(
            fixed("flat = sum(rows, [])\n", R),
            "import itertools\nflat = list(itertools.chain.from_iterable(rows))\n"
        );
        assert_eq!(
            fixed("import itertools as it\nflat = sum((r.cells for r in rows), start=[])\n", R),
            "import itertools as it\nflat = list(it.chain.from_iterable(r.cells for r in rows))\n"
        );
        assert_eq!(
            fixed("from itertools import chain\nflat = sum(rows, list())\n", R),
            "from itertools import chain\nflat = list(chain.from_iterable(rows))\n"
        );
        assert_eq!(first_fix_applicability("sum(rows, [])\n", R), Some(Applicability::Unsafe));
        let src = "def flat(rows):\n    return sum(rows, [])\n";
        assert_fix_keeps_output(src, R, "print(flat([[1, 2], [], [3]]), flat([]))\n");
        // Items that are not lists: `sum` raised, the chain accepts them.
        assert_eq!(fixed_output(src, R, "print(flat([(1, 2), (3,)]))\n"), "[1, 2, 3]\n");
        let (ok, _, err) = run_python(&format!("{src}\nflat([(1, 2)])\n"));
        assert!(!ok && err.contains("TypeError"), "{err}");
    }

    #[test]
    fn card_examples() {
        assert_card_examples(R);
    }

    #[test]
    fn half_typed_code_does_not_panic() {
        for src in ["sum(xs, [", "sum(, [])", "sum(xs, start=)", "sum(xs, list(", "sum([1,2,3,4,5,6,7,8,9,], [])"] {
            let _ = findings(src, R);
        }
    }
}
