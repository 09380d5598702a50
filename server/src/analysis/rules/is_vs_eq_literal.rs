//! `is-vs-eq-literal` (peer: Ruff F632). `x is "admin"` or `n is 1000` asks whether two references
//! are one object; for equal strings and numbers that is a CPython implementation detail (small-int
//! cache, interning, shared constants), so the test passes with literals and fails on values built at
//! run time. CPython has emitted a `SyntaxWarning` for it since 3.8.
//!
//! Detection: every `is` / `is not` link of a comparison chain where one operand is a str, bytes or
//! number literal (also `-1`), a tuple of constants, an f-string, or a list/dict/set/tuple display or
//! comprehension (a fresh object, so identity is always false; Ruff flags those in preview only),
//! and the other operand is not. `None`, `True`, `False` and `...` are singletons and fine with `is`.
//!
//! One tier, warning: the harm is in the comparison itself — its result depends on the
//! interpreter (a constant) or is fixed (a fresh object), whatever value reaches it.
//!
//! Excluded: links with a literal or display on both sides (`1 is 1`, `[] is not []`). They test
//! no value: grammar and formatter test data (lib2to3's `py3_test_grammar.py`, Black's test cases)
//! and tests that show two displays are distinct objects (CPython's `test_list`). Test code is
//! otherwise treated like any code: a test asserting `result is 1` passes or fails by accident too.
//!
//! Fix: replace the operator tokens, `is` -> `==`, `is not` -> `!=`. Never safe: identity and
//! equality differ on purpose for some values (`True == 1`, `1.0 == 1`, an `__eq__` that says
//! yes), and `[] is not []` (true) becomes `[] != []` (false). Against a constant it is unsafe (it
//! keeps the result wherever identity happened to agree with equality, which is the case the
//! author tested); against a fresh display it is display-only (the original is always false, so
//! any change is the point of the fix).

use ruff_python_ast::{CmpOp, Expr, ExprCompare, Number, UnaryOp};

use super::helpers::comparisons::{link_range, operator_range, shown_or};
use crate::analysis::checker::Checker;
use crate::analysis::finding::{Edit, Finding, Fix};
use crate::analysis::rule::Rule;

pub(crate) fn check<'a>(checker: &mut Checker<'a>, compare: &'a ExprCompare) {
    let mut left: &Expr = &compare.left;
    for (op, right) in compare.ops.iter().zip(compare.comparators.iter()) {
        if matches!(op, CmpOp::Is | CmpOp::IsNot) {
            match (literal_kind(left), literal_kind(right)) {
                // Two literals: no value is tested (grammar test data, a demonstration).
                (Some(_), Some(_)) | (None, None) => {}
                (Some(kind), None) | (None, Some(kind)) => report(checker, compare, left, *op, right, kind),
            }
        }
        left = right;
    }
}

/// What kind of literal `expr` is, for the message; `None` when `is` is fine against it.
fn literal_kind(expr: &Expr) -> Option<LiteralKind> {
    let kind = match expr {
        Expr::StringLiteral(_) => LiteralKind::Constant("str"),
        Expr::BytesLiteral(_) => LiteralKind::Constant("bytes"),
        Expr::NumberLiteral(n) => LiteralKind::Constant(number_kind(&n.value)),
        // `-1` is folded into a constant by the compiler, and warned about like `1`.
        Expr::UnaryOp(u) if matches!(u.op, UnaryOp::USub | UnaryOp::UAdd) => match &*u.operand {
            Expr::NumberLiteral(n) => LiteralKind::Constant(number_kind(&n.value)),
            _ => return None,
        },
        Expr::FString(_) => LiteralKind::Constant("f-string"),
        Expr::Tuple(t) if t.elts.iter().all(is_constant) => LiteralKind::Constant("tuple"),
        Expr::Tuple(_) => LiteralKind::Fresh("tuple display"),
        Expr::List(_) => LiteralKind::Fresh("list display"),
        Expr::Dict(_) => LiteralKind::Fresh("dict display"),
        Expr::Set(_) => LiteralKind::Fresh("set display"),
        Expr::ListComp(_) => LiteralKind::Fresh("list comprehension"),
        Expr::DictComp(_) => LiteralKind::Fresh("dict comprehension"),
        Expr::SetComp(_) => LiteralKind::Fresh("set comprehension"),
        _ => return None,
    };
    Some(kind)
}

#[derive(Clone, Copy)]
enum LiteralKind {
    /// A constant the compiler may or may not share with other equal values.
    Constant(&'static str),
    /// A display that builds a new object every time it runs.
    Fresh(&'static str),
}

fn number_kind(number: &Number) -> &'static str {
    match number {
        Number::Int(_) => "int",
        Number::Float(_) => "float",
        Number::Complex { .. } => "complex",
    }
}

fn article(word: &str) -> String {
    let vowel = word.starts_with(['a', 'e', 'i', 'o', 'u']) || word.starts_with("f-");
    format!("{} {word}", if vowel { "an" } else { "a" })
}

/// A literal or a tuple of literals (singletons included, as in `(1, None)`).
fn is_constant(expr: &Expr) -> bool {
    match expr {
        Expr::Tuple(t) => t.elts.iter().all(is_constant),
        Expr::UnaryOp(u) if matches!(u.op, UnaryOp::USub | UnaryOp::UAdd) => u.operand.is_number_literal_expr(),
        other => other.is_literal_expr(),
    }
}

fn report(checker: &mut Checker, compare: &ExprCompare, left: &Expr, op: CmpOp, right: &Expr, kind: LiteralKind) {
    let range = link_range(checker, compare, left, right);
    let shown = shown_or(checker, range, &format!("`{}`", op.as_str()));
    let replacement = if op == CmpOp::IsNot { "!=" } else { "==" };
    let message = match kind {
        LiteralKind::Constant(what) => format!(
            "{shown} tests identity against {} literal: whether two equal `{what}` values are one object is a CPython \
             implementation detail (a `SyntaxWarning` since 3.8); compare values with `{replacement}`",
            article(what)
        ),
        LiteralKind::Fresh(what) => format!(
            "{shown} tests identity against {}, which builds a new object every time, so the test is always \
             {}; compare values with `{replacement}`",
            article(what),
            if op == CmpOp::IsNot { "true" } else { "false" }
        ),
    };
    let fix = operator_range(checker, left, op, right).and_then(|at| {
        let title = format!("Replace `{}` with `{replacement}`", op.as_str());
        let edits = vec![Edit::replace(at, replacement)];
        match kind {
            LiteralKind::Constant(_) => Fix::unsafe_(title, edits),
            LiteralKind::Fresh(_) => Fix::display_only(title, edits),
        }
    });
    checker.report(Finding::new(Rule::IsVsEqLiteral, range, message).with_fix(fix));
}

#[cfg(test)]
mod tests {
    use ruff_text_size::Ranged;

    use super::super::test_support::*;
    use crate::analysis::finding::{Applicability, Severity};
    use crate::analysis::rule::Rule::IsVsEqLiteral as R;

    fn applicability(source: &str) -> Option<Applicability> {
        first_fix_applicability(source, R)
    }

    /// The source text each finding covers.
    fn covered(source: &str) -> Vec<String> {
        findings(source, R).iter().map(|f| source[f.range()].to_string()).collect()
    }

    #[test]
    fn flags_constants_fstrings_and_displays() {
        assert_count("if role is 'admin':\n    pass\n", R, 1);
        assert_count("x is not 1000\nx is b'a'\nx is 1.5\nx is 2j\nx is -1\n", R, 5);
        assert_count("'a' is x\nx is f'{y}'\nx is ()\nx is (1, None)\n", R, 4);
        assert_count("x is []\nx is not {}\nx is {1}\nx is (a, b)\nx is [i for i in y]\n", R, 5);
        assert!(findings("x is 1\n", R).iter().all(|f| f.severity == Severity::Warning));
    }

    #[test]
    fn realistic_cases() {
        // The corpus has none left (only literal-vs-literal test data), so these stand in for it.
        let src = "def handle(response, mode, retries, code):\n    if response.status is 200:\n        pass\n    if mode is 'r':\n        pass\n    while retries is not 0:\n        retries -= 1\n    return code is -1\n";
        let found = findings(src, R);
        assert_eq!(found.len(), 4, "{found:#?}");
        assert!(found.iter().all(|f| f.severity == Severity::Warning));
        let fixed_text = fixed(src, R);
        assert!(fixed_text.contains("response.status == 200"), "{fixed_text}");
        // `is` against a fresh list as an emptiness test: always false.
        let msg = message("def empty(items):\n    return items is []\n", R);
        assert!(msg.contains("always false"), "{msg}");
    }

    #[test]
    fn each_link_of_a_chain_is_checked() {
        assert_count("a is 1 is b\n", R, 2);
        assert_count("a < 1 is b\n", R, 1);
    }

    #[test]
    fn ignores_singletons_names_and_equality() {
        assert_clean("x is None\nx is not True\nx is False\nx is ...\nx is y\nx is y.z\nx is f()\n", R);
        assert_clean("x == 'a'\nx != 1\nx in 'abc'\n", R);
        assert_clean("x is -y\nx is not ~1\n", R);
    }

    #[test]
    fn ignores_literals_on_both_sides() {
        // lib2to3's grammar test data and Black's formatter cases: syntax, not a test of a value.
        assert_clean("if 1 is 1: pass\nif 1 is not 1: pass\n", R);
        assert_clean("await some.call(with_args=(True or (1 is not 1)))\n", R);
        assert_clean("if 1 < 1 > 1 == 1 >= 1 <= 1 != 1 in 1 not in 1 is 1 is not 1: pass\n", R);
        // CPython's test_list: two displays are two objects, on purpose.
        assert_clean("self.assertTrue([] is not [])\nassert () is ()\n", R);
        // A literal on one side only is still flagged, in a chain too.
        assert_count("1 is 1 is x\n", R, 1);
    }

    #[test]
    fn message_names_the_comparison() {
        let msg = message("if role is 'admin':\n    pass\n", R);
        assert!(msg.contains("`role is 'admin'`") && msg.contains("a str literal") && msg.contains("`==`"), "{msg}");
        assert!(message("x is 1\n", R).contains("an int literal"));
        let msg = message("x is not []\n", R);
        assert!(msg.contains("always true") && msg.contains("`!=`"), "{msg}");
    }

    #[test]
    fn finding_covers_parenthesised_operands_exactly() {
        assert_eq!(covered("(a) is 1\n"), ["(a) is 1"]);
        assert_eq!(covered("((a)) is not ((1))\n"), ["((a)) is not ((1))"]);
        assert_eq!(covered("f((a) is 1)\n"), ["(a) is 1"]);
        assert_eq!(covered("f(g(a) is (1))\n"), ["g(a) is (1)"]);
        assert_eq!(covered("ok = (x is 'a')\n"), ["x is 'a'"]);
        assert_eq!(covered("(a) is (1) is (b)\n"), ["(a) is (1)", "(1) is (b)"]);
        assert!(message("((a)) is not ((1))\n", R).starts_with("`((a)) is not ((1))`"));
    }

    #[test]
    fn card_example_is_flagged_and_fixed() {
        let src = "def is_admin(role):\n    return role is \"admin\"\n";
        assert_eq!(fixed(src, R), "def is_admin(role):\n    return role == \"admin\"\n");
        assert_clean("def is_admin(role):\n    return role == \"admin\"\n", R);
        assert_card_examples(R);
    }

    #[test]
    fn fix_is_never_safe() {
        // Against a constant: unsafe. It keeps the result where identity agreed with equality...
        let src = "def is_admin(role):\n    return role is 'admin'\n";
        assert_eq!(applicability(src), Some(Applicability::Unsafe));
        assert_fix_keeps_output(src, R, "print(is_admin('admin'), is_admin('user'))\n");
        // ...and changes it where they differ: `True == 1`, `1.0 == 1`, a string built at run time.
        let src = "def one(x):\n    return x is 1\n";
        assert_eq!(fixed_output(src, R, "print(one(True), one(1.0), one(1))\n"), "True True True\n");
        let src = "def admin(x):\n    return x is 'admin'\n";
        assert_eq!(fixed_output(src, R, "print(admin(''.join(['ad', 'min'])))\n"), "True\n");
        // Against a fresh display: display-only, since the original is constant.
        let src = "def empty(x):\n    return x is not []\n";
        assert_eq!(applicability(src), Some(Applicability::DisplayOnly));
        let (_, before, _) = run_python(&format!("{src}\nprint(empty([]), empty([1]))\n"));
        assert_eq!(before, "True True\n");
        assert_eq!(fixed_output(src, R, "print(empty([]), empty([1]))\n"), "False True\n");
    }

    #[test]
    fn fix_replaces_is_not_across_parentheses_and_comments() {
        assert_eq!(fixed("if (x) is not (1):\n    pass\n", R), "if (x) != (1):\n    pass\n");
        assert_eq!(fixed("if ((a)) is not ((1)):\n    pass\n", R), "if ((a)) != ((1)):\n    pass\n");
        assert_eq!(fixed("y = (x is \\\n    not 'a')\n", R), "y = (x != 'a')\n");
        assert_eq!(fixed("y = (x  # c\n     is 'a')\n", R), "y = (x  # c\n     == 'a')\n");
        assert_eq!(fixed("a is 1 is b\n", R), "a == 1 is b\n");
        assert_eq!(fixed("x != (1 is y)\n", R), "x != (1 == y)\n");
        assert_eq!(fixed("f(g(a) is (1))\n", R), "f(g(a) == (1))\n");
    }

    #[test]
    fn half_typed_code_does_not_panic() {
        for src in ["x is", "x is not", "is 1", "x is (1", "if x is 'a'\n", "x is not not 1\n", "f(x is 1,", "(x is (1"]
        {
            let _ = findings(src, R);
        }
    }
}
