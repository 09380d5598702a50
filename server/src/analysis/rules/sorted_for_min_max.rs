//! `sorted-for-min-max` (peer: Ruff FURB192, which covers the `min`/`max` cases). `sorted(xs)[0]`
//! sorts every item, O(n log n) time and a new list of n references, to read one of them; `min(xs)`
//! is one O(n) pass with no copy. `sorted(xs)[:k]` for a small `k` is `heapq.nsmallest(k, xs)`,
//! O(n log k).
//!
//! Detection: a subscript of a call to the builtin `sorted` with one positional argument and at
//! most `key=` and a literal `reverse=`, indexed by `0` or `-1`, or sliced `[:k]` / `[-k:]` with a
//! literal `k`.
//!
//! Tiers:
//! - warning, inside a loop or comprehension of the same function: the whole sort runs again on
//!   every pass, where a pass of `min`/`max` would do. The message says so.
//! - hint, otherwise: one sort, whose cost depends on a size not known here (the message says so).
//!
//! Not reported: a literal argument of at most eight items (the cost is a few comparisons),
//! `sorted(*args)`, a computed `reverse=`, other indexes and slices (they need the order), and test
//! code (a `test*` function, a `Test*` / `*Test(s)` class): there `sorted(data)[0]` is mostly the
//! independent oracle a test of `min`, `max` or `heapq` compares against (CPython's `test_heapq`,
//! `test_builtin`), and the data is small.
//!
//! Fix (unsafe): `min(xs, key=...)` / `max(...)` (`reverse=True` swaps them), and for `[:k]`
//! `heapq.nsmallest(k, xs, key=...)` (`nlargest` with `reverse=True`, which the heapq documentation
//! gives as equivalent). Unsafe because the results differ on some inputs: `[-1]` is the *last* of
//! several equal maxima while `max` returns the first; an empty input raises `ValueError` from
//! `min`/`max` instead of `IndexError`; and NaN values, which break the ordering, can give different
//! answers. No fix for `[-k:]` (the heapq functions return the opposite order) or where `min`/`max`
//! is shadowed.

use ruff_python_ast::{Expr, ExprCall, ExprSubscript, Number, UnaryOp};
use ruff_text_size::Ranged;

use super::helpers::containers::{SMALL_LITERAL, literal_len};
use super::helpers::handlers::in_test;
use crate::analysis::checker::{Checker, Frame};
use crate::analysis::finding::{Edit, Finding, Fix, Severity};
use crate::analysis::helpers;
use crate::analysis::rule::Rule;

/// What the subscript takes from the sorted list.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Take {
    First,
    Last,
    /// `[:k]`
    Head(u64),
    /// `[-k:]`
    Tail(u64),
}

pub(crate) fn check(checker: &mut Checker, subscript: &ExprSubscript) {
    let Expr::Call(call) = &*subscript.value else { return };
    let Some(take) = take(&subscript.slice) else { return };
    let Some(parts) = sorted_parts(checker, call) else { return };
    if literal_len(parts.iterable).is_some_and(|n| n <= SMALL_LITERAL) || in_test(checker) {
        return;
    }
    report(checker, subscript, call, take, &parts);
}

/// The pieces of a `sorted(xs, key=k, reverse=r)` call.
struct Sorted<'a> {
    iterable: &'a Expr,
    key: Option<&'a Expr>,
    reverse: bool,
}

fn sorted_parts<'a>(checker: &Checker, call: &'a ExprCall) -> Option<Sorted<'a>> {
    let [iterable] = call.arguments.args.as_ref() else { return None };
    if iterable.is_starred_expr() || !checker.resolves_to(&call.func, "builtins.sorted") {
        return None;
    }
    let mut parts = Sorted { iterable, key: None, reverse: false };
    for keyword in &call.arguments.keywords {
        match keyword.arg.as_ref().map(|a| a.as_str()) {
            Some("key") => parts.key = Some(&keyword.value),
            Some("reverse") => match &keyword.value {
                Expr::BooleanLiteral(b) => parts.reverse = b.value,
                _ => return None,
            },
            _ => return None,
        }
    }
    Some(parts)
}

fn take(slice: &Expr) -> Option<Take> {
    match slice {
        Expr::Slice(s) if s.step.is_none() => match (s.lower.as_deref(), s.upper.as_deref()) {
            (None, Some(upper)) => positive(upper).map(Take::Head),
            (Some(Expr::UnaryOp(u)), None) if u.op == UnaryOp::USub => positive(&u.operand).map(Take::Tail),
            _ => None,
        },
        Expr::UnaryOp(u) if u.op == UnaryOp::USub && positive(&u.operand) == Some(1) => Some(Take::Last),
        Expr::NumberLiteral(_) if int_value(slice) == Some(0) => Some(Take::First),
        _ => None,
    }
}

fn int_value(expr: &Expr) -> Option<u64> {
    match expr {
        Expr::NumberLiteral(n) => match &n.value {
            Number::Int(i) => i.as_u64(),
            _ => None,
        },
        _ => None,
    }
}

fn positive(expr: &Expr) -> Option<u64> {
    int_value(expr).filter(|k| *k > 0)
}

fn report(checker: &mut Checker, subscript: &ExprSubscript, call: &ExprCall, take: Take, parts: &Sorted) {
    let source = &checker.source;
    let arg = source.slice(parts.iterable);
    let arg = if arg.len() > 30 || arg.contains(['\n', '\r']) { "the items" } else { arg };
    let shown = if arg == "the items" { "`sorted(...)`".to_string() } else { format!("`{}`", source.slice(call)) };
    let shown = if shown.len() > 62 { "`sorted(...)`".to_string() } else { shown };
    // Which builtin gives the same item, and what the reader should use instead.
    let smallest = (take == Take::First) != parts.reverse;
    let better = match take {
        Take::First | Take::Last => format!("`{}(...)`", if smallest { "min" } else { "max" }),
        Take::Head(k) => format!("`heapq.{}({k}, ...)`", if parts.reverse { "nlargest" } else { "nsmallest" }),
        Take::Tail(k) => format!("`heapq.{}({k}, ...)`", if parts.reverse { "nsmallest" } else { "nlargest" }),
    };
    let what = match take {
        Take::First | Take::Last => "one item".to_string(),
        Take::Head(1) | Take::Tail(1) => "one item".to_string(),
        Take::Head(k) | Take::Tail(k) => format!("{k} items"),
    };
    let pass = match take {
        Take::First | Take::Last => "a single O(n) pass with no copy",
        _ => "O(n log k) with a heap of k items",
    };
    let repeated = checker
        .frames()
        .take_while(|f| !matches!(f, Frame::Function(_) | Frame::Lambda(_) | Frame::Class(_)))
        .any(|f| matches!(f, Frame::Loop(_) | Frame::Comprehension));
    let (severity, message) = if repeated {
        (
            Severity::Warning,
            format!(
                "{shown} sorts all of {arg} (O(n log n) time and a new list of n items) to take {what}, and it does so \
                 again on every pass of the loop around it; {better} is {pass}"
            ),
        )
    } else {
        (
            Severity::Hint,
            format!(
                "{shown} sorts all of {arg} (O(n log n) time and a new list of n items) to take {what}; {better} is \
                 {pass} (how much that saves depends on a size not known here)"
            ),
        )
    };
    let fix = fix(checker, subscript, take, parts, smallest);
    checker
        .report(Finding::new(Rule::SortedForMinMax, subscript.range(), message).with_severity(severity).with_fix(fix));
}

fn fix(checker: &Checker, subscript: &ExprSubscript, take: Take, parts: &Sorted, smallest: bool) -> Option<Fix> {
    let source = &checker.source;
    let model = checker.semantic();
    if source.has_comments(subscript.range()) {
        return None;
    }
    let iterable = match parts.iterable {
        Expr::Generator(g) if !g.parenthesized => format!("({})", source.slice(parts.iterable)),
        other => source.slice(other).to_string(),
    };
    let key = parts.key.map(|k| format!(", key={}", source.slice(k))).unwrap_or_default();
    let (text, import, function) = match take {
        Take::First | Take::Last => {
            let builtin = if smallest { "min" } else { "max" };
            if !model.is_builtin_visible(checker.scope(), builtin) {
                return None;
            }
            // A lone generator argument needs no parentheses of its own.
            let iterable = if key.is_empty() { source.slice(parts.iterable).to_string() } else { iterable };
            (format!("{builtin}({iterable}{key})"), None, builtin.to_string())
        }
        Take::Head(k) => {
            let function = if parts.reverse { "nlargest" } else { "nsmallest" };
            let (name, import) = helpers::import_member(checker, "heapq", function);
            (format!("{name}({k}, {iterable}{key})"), import, name)
        }
        Take::Tail(_) => return None,
    };
    let mut edits = vec![Edit::replace(subscript.range(), text)];
    edits.extend(import);
    Fix::unsafe_(format!("Replace with `{function}(...)`"), edits)
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use crate::analysis::finding::{Applicability, Severity};
    use crate::analysis::rule::Rule::SortedForMinMax as R;

    #[test]
    fn hint_for_one_sort_warning_in_a_loop() {
        assert_tier("def f(xs):\n    return sorted(xs)[0]\n", R, Severity::Hint, "`min(...)` is a single O(n) pass");
        assert_tier(
            "def f(groups):\n    for g in groups:\n        print(sorted(g)[-1])\n",
            R,
            Severity::Warning,
            "again on every pass of the loop around it; `max(...)`",
        );
        assert_tier(
            "def f(groups):\n    return [sorted(g, key=len)[0] for g in groups]\n",
            R,
            Severity::Warning,
            "`min(...)`",
        );
        // A function defined in a loop runs at another time.
        assert_tier("for x in y:\n    def f(xs):\n        return sorted(xs)[0]\n", R, Severity::Hint, "not known here");
    }

    #[test]
    fn reverse_swaps_and_slices_name_heapq() {
        assert!(message("sorted(xs, reverse=True)[0]\n", R).contains("`max(...)`"));
        assert!(message("sorted(xs, reverse=True)[-1]\n", R).contains("`min(...)`"));
        let msg = message("sorted(xs)[:3]\n", R);
        assert!(msg.contains("to take 3 items; `heapq.nsmallest(3, ...)` is O(n log k)"), "{msg}");
        assert!(message("sorted(xs, reverse=True)[:3]\n", R).contains("`heapq.nlargest(3, ...)`"));
        assert!(message("sorted(xs)[-2:]\n", R).contains("`heapq.nlargest(2, ...)`"));
        let msg = message("sorted(xs)[0]\n", R);
        assert!(
            msg.starts_with(
                "`sorted(xs)` sorts all of xs (O(n log n) time and a new list of n items) to take one item"
            ),
            "{msg}"
        );
    }

    #[test]
    fn ignores_other_shapes() {
        assert_clean("sorted(xs)[1]\nsorted(xs)[i]\nsorted(xs)[1:]\nsorted(xs)[:k]\nsorted(xs)[::2]\n", R);
        assert_clean("sorted(xs, reverse=flag)[0]\nsorted(xs, cmp=c)[0]\nsorted(*xs)[0]\nsorted(xs, **kw)[0]\n", R);
        assert_clean("sorted([b, a, c])[0]\nsorted((3, 1, 2))[-1]\n", R);
        assert_clean("xs.sort()\nxs[0]\nsorted_items[0]\n", R);
        assert_clean("def sorted(x):\n    return x\nsorted(xs)[0]\n", R);
        // A test's oracle for `max`.
        assert_clean("class TestMax:\n    def test_max(self):\n        assert max(data) == sorted(data)[-1]\n", R);
        assert_clean("def test_top(data):\n    assert top3(data) == sorted(data)[:3]\n", R);
    }

    #[test]
    fn fixes() {
        assert_eq!(fixed("m = sorted(xs)[0]\n", R), "m = min(xs)\n");
        assert_eq!(fixed("m = sorted(xs, key=len, reverse=True)[0]\n", R), "m = max(xs, key=len)\n");
        assert_eq!(fixed("m = sorted(x.n for x in xs)[-1]\n", R), "m = max(x.n for x in xs)\n");
        assert_eq!(fixed("m = sorted((x for x in xs), key=f)[-1]\n", R), "m = max((x for x in xs), key=f)\n");
        assert_eq!(
            fixed("m = sorted(x for x in xs)[:2]\n", R),
            "import heapq\nm = heapq.nsmallest(2, (x for x in xs))\n"
        );
        assert_eq!(
            fixed("from heapq import nlargest\nm = sorted(xs, reverse=True, key=abs)[:2]\n", R),
            "from heapq import nlargest\nm = nlargest(2, xs, key=abs)\n"
        );
        assert_eq!(first_fix_applicability("sorted(xs)[0]\n", R), Some(Applicability::Unsafe));
        // No fix for the tail slice, or where `min` is shadowed.
        assert!(findings("sorted(xs)[-2:]\n", R)[0].fix.is_none());
        assert!(findings("min = 1\nsorted(xs)[0]\n", R)[0].fix.is_none());
    }

    #[test]
    fn fixes_keep_the_output_except_on_ties() {
        let src = "def f(xs):\n    return sorted(xs, key=abs)[0], sorted(xs, reverse=True)[0], sorted(xs)[:2], sorted(xs, reverse=True)[:2]\n";
        let mut text = src.to_string();
        for _ in 0..4 {
            text = fixed(&text, R);
        }
        let driver = "print(f([3, -1, 2, 5, -7]))\n";
        let (_, before, _) = run_python(&format!("{src}{driver}"));
        let (ok, after, err) = run_python(&format!("{text}{driver}"));
        assert!(ok, "{text}\n{err}");
        assert_eq!(before, after, "{text}");
        // `[-1]` takes the last of equal maxima, `max` the first.
        let src = "def f(xs):\n    return sorted(xs, key=len)[-1]\n";
        let driver = "print(f(['ab', 'cd']))\n";
        assert_eq!(run_python(&format!("{src}{driver}")).1, "cd\n");
        assert_eq!(fixed_output(src, R, driver), "ab\n");
    }

    #[test]
    fn card_examples() {
        assert_card_examples(R);
    }

    #[test]
    fn half_typed_code_does_not_panic() {
        for src in ["sorted(xs)[", "sorted(xs)[0", "sorted(xs, key=)[0]", "sorted(, reverse=True)[-1]", "sorted()[:]"] {
            let _ = findings(src, R);
        }
    }
}
