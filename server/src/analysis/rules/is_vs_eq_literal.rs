//! `is-vs-eq-literal` (peer: Ruff F632). `x is "admin"` or `n is 1000` asks whether two references
//! are one object; for equal strings and numbers that is a CPython implementation detail (small-int
//! cache, interning, shared constants), so the test passes with literals and fails on values built at
//! run time. CPython has emitted a `SyntaxWarning` for it since 3.8.
//!
//! Detection: every `is` / `is not` link of a comparison chain where either operand is a str, bytes or
//! number literal (also `-1`), a tuple of constants, an f-string, or a list/dict/set/tuple display or
//! comprehension (a fresh object, so identity is always false; Ruff flags those in preview only).
//! `None`, `True`, `False` and `...` are singletons and fine with `is`.
//!
//! Fix (safe: identity against a literal is never reliable behaviour worth keeping): replace the
//! operator tokens, `is` -> `==`, `is not` -> `!=`.

use ruff_python_ast::{CmpOp, Expr, ExprCompare, Number, UnaryOp};
use ruff_text_size::{Ranged, TextRange};

use super::helpers::comparisons::operator_range;
use crate::analysis::checker::Checker;
use crate::analysis::finding::{Edit, Finding, Fix};
use crate::analysis::rule::Rule;

pub(crate) fn check<'a>(checker: &mut Checker<'a>, compare: &'a ExprCompare) {
    let mut left: &Expr = &compare.left;
    for (op, right) in compare.ops.iter().zip(compare.comparators.iter()) {
        if matches!(op, CmpOp::Is | CmpOp::IsNot)
            && let Some(kind) = literal_kind(left).or_else(|| literal_kind(right))
        {
            report(checker, left, *op, right, kind);
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

fn report(checker: &mut Checker, left: &Expr, op: CmpOp, right: &Expr, kind: LiteralKind) {
    let range = TextRange::new(left.start(), right.end());
    let text = checker.source.slice(&range);
    let shown =
        if text.len() > 50 || text.contains(['\n', '\r']) { format!("`{}`", op.as_str()) } else { format!("`{text}`") };
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
        Fix::safe(format!("Replace `{}` with `{replacement}`", op.as_str()), vec![Edit::replace(at, replacement)])
    });
    checker.report(Finding::new(Rule::IsVsEqLiteral, range, message).with_fix(fix));
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use crate::analysis::finding::Applicability;
    use crate::analysis::rule::Rule::IsVsEqLiteral as R;

    #[test]
    fn flags_constants_fstrings_and_displays() {
        assert_count("if role is 'admin':\n    pass\n", R, 1);
        assert_count("x is not 1000\nx is b'a'\nx is 1.5\nx is 2j\nx is -1\n", R, 5);
        assert_count("'a' is x\nx is f'{y}'\nx is ()\nx is (1, None)\n", R, 4);
        assert_count("x is []\nx is not {}\nx is {1}\nx is (a, b)\nx is [i for i in y]\n", R, 5);
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
    fn message_names_the_comparison() {
        let msg = message("if role is 'admin':\n    pass\n", R);
        assert!(msg.contains("`role is 'admin'`") && msg.contains("a str literal") && msg.contains("`==`"), "{msg}");
        assert!(message("x is 1\n", R).contains("an int literal"));
        let msg = message("x is not []\n", R);
        assert!(msg.contains("always true") && msg.contains("`!=`"), "{msg}");
    }

    #[test]
    fn card_example_is_flagged_and_fixed() {
        let src = "def is_admin(role):\n    return role is \"admin\"\n";
        assert_eq!(fixed(src, R), "def is_admin(role):\n    return role == \"admin\"\n");
        assert_eq!(findings(src, R)[0].fix.as_ref().map(|f| f.applicability), Some(Applicability::Safe));
        assert_clean("def is_admin(role):\n    return role == \"admin\"\n", R);
    }

    #[test]
    fn fix_replaces_is_not_across_parentheses_and_comments() {
        assert_eq!(fixed("if (x) is not (1):\n    pass\n", R), "if (x) != (1):\n    pass\n");
        assert_eq!(fixed("y = (x is \\\n    not 'a')\n", R), "y = (x != 'a')\n");
        assert_eq!(fixed("y = (x  # c\n     is 'a')\n", R), "y = (x  # c\n     == 'a')\n");
        assert_eq!(fixed("a is 1 is b\n", R), "a == 1 is b\n");
        assert_eq!(fixed("x != (1 is y)\n", R), "x != (1 == y)\n");
    }

    #[test]
    fn half_typed_code_does_not_panic() {
        for src in ["x is", "x is not", "is 1", "x is (1", "if x is 'a'\n", "x is not not 1\n", "f(x is 1,"] {
            let _ = findings(src, R);
        }
    }
}
