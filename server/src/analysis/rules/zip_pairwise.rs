//! `zip-pairwise` (peer: Ruff RUF007). `zip(xs, xs[1:])` walks successive pairs by zipping a
//! sequence with a shifted copy of itself; `itertools.pairwise(xs)` (3.10+) says so by name and
//! copies nothing. The zip works — it can only be written on something that slices, so an
//! iterator raises `TypeError` at once rather than giving wrong pairs — so the rule reports a
//! hint whose message says the code works.
//!
//! Detection: a call of the builtin `zip` with exactly two positional arguments and no keywords,
//! `zip(X, X[1:])` or `zip(X[:-1], X[1:])`, where `X` is the same name or attribute chain
//! (`self.points`) in both places. Excluded: `X` that is a call or any other expression (it would
//! be evaluated twice, and `f()` twice need not be the same sequence); other offsets
//! (`X[2:]`, `X[::2]`: not pairs of neighbours); `strict=` and other keywords; star arguments.
//! Test code is treated like any code.
//!
//! Fix (unsafe, as the catalogue says: it assumes `X[1:]` holds the same items as iterating `X`
//! from the second one, which a custom `__getitem__` need not honour, and `pairwise` needs Python
//! 3.10): `itertools.pairwise(X)`, reusing an import of `itertools` or `pairwise` when there is
//! one and adding `import itertools` otherwise.

use ruff_python_ast::{Expr, ExprCall, Number, UnaryOp};
use ruff_text_size::Ranged;

use super::helpers::loops::short;
use crate::analysis::checker::Checker;
use crate::analysis::finding::{Edit, Finding, Fix, Severity};
use crate::analysis::helpers;
use crate::analysis::rule::Rule;

pub(crate) fn check(checker: &mut Checker, call: &ExprCall) {
    let ([first, second], []) = (&*call.arguments.args, &*call.arguments.keywords) else { return };
    // Cheap shape test before resolving `zip`.
    let Expr::Subscript(shifted) = second else { return };
    if !matches!(&*call.func, Expr::Name(n) if n.id.as_str() == "zip") || !is_slice(&shifted.slice, Some(1), None) {
        return;
    }
    let sequence = match first {
        Expr::Subscript(head) if is_slice(&head.slice, None, Some(-1)) => &*head.value,
        other => other,
    };
    if !is_plain_reference(sequence) || !same_reference(checker, sequence, &shifted.value) {
        return;
    }
    if !checker.resolves_to(&call.func, "builtins.zip") {
        return;
    }
    let shown = short(checker, sequence);
    let message = format!(
        "`{}` pairs each item of `{shown}` with the next one: this works, and `itertools.pairwise({shown})` \
         (3.10+) says so by name without copying `{shown}` into a slice",
        checker.source.shown(call)
    );
    let fix = fix(checker, call, sequence);
    let finding = Finding::new(Rule::ZipPairwise, call.range(), message).with_severity(Severity::Hint);
    checker.report(finding.with_fix(fix));
}

/// `[lower:upper]` with no step, each bound an integer literal or absent as given.
fn is_slice(slice: &Expr, lower: Option<i64>, upper: Option<i64>) -> bool {
    let Expr::Slice(s) = slice else { return false };
    s.step.is_none() && bound(s.lower.as_deref()) == Some(lower) && bound(s.upper.as_deref()) == Some(upper)
}

/// `Some(None)` for no bound, `Some(Some(n))` for an integer literal `n` or `-n`, `None` for any
/// other bound.
fn bound(expr: Option<&Expr>) -> Option<Option<i64>> {
    let Some(expr) = expr else { return Some(None) };
    let int = |e: &Expr| match e {
        Expr::NumberLiteral(n) => match &n.value {
            Number::Int(i) => i.as_i64(),
            _ => None,
        },
        _ => None,
    };
    match expr {
        Expr::UnaryOp(u) if u.op == UnaryOp::USub => int(&u.operand).map(|n| Some(-n)),
        other => int(other).map(Some),
    }
}

/// A name or a chain of attributes on a name: evaluating it twice reads the same object.
fn is_plain_reference(expr: &Expr) -> bool {
    match expr {
        Expr::Name(_) => true,
        Expr::Attribute(attr) => is_plain_reference(&attr.value),
        _ => false,
    }
}

fn same_reference(checker: &Checker, a: &Expr, b: &Expr) -> bool {
    is_plain_reference(b) && checker.source.slice(a) == checker.source.slice(b)
}

fn fix(checker: &Checker, call: &ExprCall, sequence: &Expr) -> Option<Fix> {
    let (pairwise, import) = helpers::import_member(checker, "itertools", "pairwise");
    let mut edits = vec![Edit::replace(call.range(), format!("{pairwise}({})", checker.source.slice(sequence)))];
    edits.extend(import);
    Fix::unsafe_(format!("Use `{pairwise}(...)`"), edits)
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use crate::analysis::finding::{Applicability, Severity};
    use crate::analysis::rule::Rule::ZipPairwise as R;

    #[test]
    fn flags_zip_with_a_shifted_copy() {
        assert_count("def f(xs):\n    return list(zip(xs, xs[1:]))\n", R, 1);
        assert_count("def f(xs):\n    for a, b in zip(xs[:-1], xs[1:]):\n        print(a, b)\n", R, 1);
        assert_count("class C:\n    def f(self):\n        return zip(self.points, self.points[1:])\n", R, 1);
    }

    #[test]
    fn ignores_other_shapes() {
        assert_clean("def f(xs, ys):\n    return zip(xs, ys[1:])\n", R);
        assert_clean("def f(xs):\n    return zip(xs, xs[2:])\n", R);
        assert_clean("def f(xs):\n    return zip(xs, xs[1::2])\n", R);
        assert_clean("def f(xs):\n    return zip(xs[1:], xs)\n", R);
        assert_clean("def f(xs):\n    return zip(xs[:-2], xs[1:])\n", R);
        assert_clean("def f(xs):\n    return zip(xs, xs[1:-1])\n", R);
        assert_clean("def f(xs):\n    return zip(xs, xs[1:], xs[2:])\n", R);
        assert_clean("def f(xs):\n    return zip(xs, xs[1:], strict=True)\n", R);
        assert_clean("def f(g):\n    return zip(g(), g()[1:])\n", R);
        assert_clean("def f(a):\n    return zip(a[0], a[0][1:])\n", R);
        assert_clean("def zip(*a): pass\ndef f(xs):\n    return zip(xs, xs[1:])\n", R);
        assert_clean("def f(xs):\n    return map(xs, xs[1:])\n", R);
    }

    #[test]
    fn a_hint_that_says_it_works() {
        assert_tier("def f(xs):\n    return zip(xs, xs[1:])\n", R, Severity::Hint, "this works");
    }

    #[test]
    fn fix_uses_pairwise_and_imports_it() {
        assert_eq!(
            fixed("def f(xs):\n    return zip(xs, xs[1:])\n", R),
            "import itertools\ndef f(xs):\n    return itertools.pairwise(xs)\n"
        );
        assert_eq!(
            fixed("from itertools import pairwise\ndef f(xs):\n    return zip(xs[:-1], xs[1:])\n", R),
            "from itertools import pairwise\ndef f(xs):\n    return pairwise(xs)\n"
        );
        assert_eq!(first_fix_applicability("def f(xs):\n    return zip(xs, xs[1:])\n", R), Some(Applicability::Unsafe));
    }

    #[test]
    fn fixes_keep_the_output() {
        let src = "def f(xs):\n    return list(zip(xs, xs[1:]))\n";
        assert_fix_keeps_output(src, R, "print(f([1, 2, 3, 4]), f('abc'), f([]), f([1]), f(range(5)))");
        let head = "def f(xs):\n    return [b - a for a, b in zip(xs[:-1], xs[1:])]\n";
        assert_fix_keeps_output(head, R, "print(f([1, 4, 9, 16]), f(()), f((5,)))");
    }

    #[test]
    fn card_examples() {
        assert_card_examples(R);
    }

    #[test]
    fn half_typed_code_does_not_panic() {
        for src in ["zip(xs, xs[1:", "zip(xs, xs[1:]", "zip(, xs[1:])", "zip(xs, [1:])", "zip(xs, xs[-:])"] {
            let _ = findings(src, R);
        }
    }
}
