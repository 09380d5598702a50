//! `eq-comparison-to-singleton` (peers: Ruff E711 for `None`, E712 for `True`/`False`).
//! `value == None` asks the object, through its `__eq__`, whether it equals `None`; any class can
//! answer yes (or, like a NumPy array, answer with an array). `None`, `True` and `False` are
//! singletons, so the exact question is identity: `value is None`.
//!
//! Detection: every `==` / `!=` link of a comparison chain with `None`, `True` or `False` on either
//! side (the other side not itself a non-singleton literal, as in Ruff). Excluded, because `==` is
//! overloaded there on purpose: comparisons inside the arguments of query-builder calls
//! (`.filter(`, `.where(`, `.having(`, `.query(`, `.filter_by(`, SQLAlchemy `and_`/`or_`/`not_`),
//! and operands that resolve to NumPy or pandas objects (element-wise `__eq__`).
//!
//! Fix (unsafe: it changes the result for objects that override `__eq__`): `==` -> `is`,
//! `!=` -> `is not`.

use ruff_python_ast::{CmpOp, Expr, ExprCall, ExprCompare};
use ruff_text_size::{Ranged, TextRange};

use super::helpers::comparisons::{operator_range, replace_operator};
use crate::analysis::checker::{Checker, NodeRef};
use crate::analysis::finding::{Finding, Fix};
use crate::analysis::rule::Rule;
use crate::analysis::semantic::QualifiedName;

/// Methods whose arguments are query expressions (SQLAlchemy, Django-like ORMs, NumPy's `where`).
const QUERY_METHODS: &[&str] = &["filter", "where", "having", "query", "filter_by"];

/// SQLAlchemy's boolean combinators; their arguments are column expressions.
const SQLALCHEMY_COMBINATORS: &[&str] = &["and_", "or_", "not_"];

/// How far [`is_array_like`] follows assignments (`b = a; c = b`), bounding self-references.
const MAX_DEPTH: usize = 8;

pub(crate) fn check<'a>(checker: &mut Checker<'a>, compare: &'a ExprCompare) {
    let mut left: &Expr = &compare.left;
    let mut found = Vec::new();
    for (op, right) in compare.ops.iter().zip(compare.comparators.iter()) {
        if matches!(op, CmpOp::Eq | CmpOp::NotEq) && !is_constant_non_singleton(left) {
            if let Some(singleton) = singleton(right) {
                found.push((left, *op, right, singleton, left));
            } else if std::ptr::eq(left, &*compare.left)
                && !is_constant_non_singleton(right)
                && let Some(singleton) = singleton(left)
            {
                // `None == x`: only the head of the chain, as Ruff does.
                found.push((left, *op, right, singleton, right));
            }
        }
        left = right;
    }
    if found.is_empty() || in_query_arguments(checker, compare) {
        return;
    }
    for (left, op, right, singleton, other) in found {
        if !is_array_like(checker, other, 0) {
            report(checker, left, op, right, singleton, other);
        }
    }
}

fn singleton(expr: &Expr) -> Option<&'static str> {
    match expr {
        Expr::NoneLiteral(_) => Some("None"),
        Expr::BooleanLiteral(b) => Some(if b.value { "True" } else { "False" }),
        _ => None,
    }
}

/// A literal other than `None`/`True`/`False`/`...`, or a tuple of literals (`1 == None` is left
/// alone, as in Ruff: it is a constant expression, not a test of a value).
fn is_constant_non_singleton(expr: &Expr) -> bool {
    match expr {
        Expr::Tuple(t) => t.elts.iter().all(|e| e.is_literal_expr() || e.is_tuple_expr()),
        Expr::NoneLiteral(_) | Expr::BooleanLiteral(_) | Expr::EllipsisLiteral(_) => false,
        other => other.is_literal_expr(),
    }
}

/// Is the comparison inside the arguments of a call that builds a query from `==` expressions?
fn in_query_arguments(checker: &Checker, compare: &ExprCompare) -> bool {
    checker.ancestors().any(|node| match node {
        NodeRef::Expr(Expr::Call(call)) => {
            call.arguments.range().contains_range(compare.range()) && is_query_call(checker, call)
        }
        _ => false,
    })
}

fn is_query_call(checker: &Checker, call: &ExprCall) -> bool {
    if let Expr::Attribute(attr) = &*call.func
        && QUERY_METHODS.contains(&attr.attr.as_str())
    {
        return true;
    }
    checker.resolve(&call.func).is_some_and(
        |name| matches!(name.segments(), ["sqlalchemy", .., member] if SQLALCHEMY_COMBINATORS.contains(member)),
    )
}

fn is_numeric_library(qualified: &QualifiedName) -> bool {
    matches!(qualified.segments().first(), Some(&("numpy" | "pandas")))
}

/// Does `expr` evaluate to a NumPy/pandas object, as far as imports and local assignments show?
fn is_array_like(checker: &Checker, expr: &Expr, depth: usize) -> bool {
    if depth > MAX_DEPTH {
        return false;
    }
    let next = depth + 1;
    match expr {
        Expr::Call(call) => {
            checker.resolve(&call.func).is_some_and(|q| is_numeric_library(&q))
                || matches!(&*call.func, Expr::Attribute(a) if is_array_like(checker, &a.value, next))
        }
        Expr::Attribute(attr) => {
            checker.resolve(expr).is_some_and(|q| is_numeric_library(&q)) || is_array_like(checker, &attr.value, next)
        }
        Expr::Subscript(sub) => is_array_like(checker, &sub.value, next),
        Expr::BinOp(binop) => is_array_like(checker, &binop.left, next) || is_array_like(checker, &binop.right, next),
        Expr::UnaryOp(unary) => is_array_like(checker, &unary.operand, next),
        Expr::Name(name) => checker.binding_of(name).is_some_and(|binding| {
            match (binding.value, binding.parameter(), binding.import_name()) {
                (Some(value), _, _) => is_array_like(checker, value, next),
                (None, Some(_), _) => binding.annotation.is_some_and(|a| is_array_annotation(checker, a, next)),
                (None, None, Some(imported)) => is_numeric_library(imported),
                _ => false,
            }
        }),
        _ => false,
    }
}

/// `np.ndarray`, `pd.DataFrame`, `npt.NDArray[np.float64]`, `Optional[pd.Series]`...
fn is_array_annotation(checker: &Checker, annotation: &Expr, depth: usize) -> bool {
    if depth > MAX_DEPTH {
        return false;
    }
    match annotation {
        Expr::Subscript(sub) => {
            is_array_annotation(checker, &sub.value, depth + 1) || is_array_annotation(checker, &sub.slice, depth + 1)
        }
        Expr::BinOp(binop) => {
            is_array_annotation(checker, &binop.left, depth + 1)
                || is_array_annotation(checker, &binop.right, depth + 1)
        }
        Expr::Tuple(t) => t.elts.iter().any(|e| is_array_annotation(checker, e, depth + 1)),
        other => checker.resolve(other).is_some_and(|q| is_numeric_library(&q)),
    }
}

fn report(checker: &mut Checker, left: &Expr, op: CmpOp, right: &Expr, singleton: &str, other: &Expr) {
    let range = TextRange::new(left.start(), right.end());
    let replacement = if op == CmpOp::NotEq { "is not" } else { "is" };
    let text = checker.source.slice(&range);
    let operand = checker.source.slice(other);
    let short = |s: &str| s.len() <= 50 && !s.contains(['\n', '\r']);
    let shown = if short(text) { format!("`{text}`") } else { format!("`{}`", op.as_str()) };
    let subject = if short(operand) { format!("`{operand}`") } else { "the value".to_string() };
    let truthy = (singleton == "True") == (op == CmpOp::Eq);
    let message = match singleton {
        "None" => format!(
            "{shown} asks {subject} whether it equals `None` through `__eq__`, which any class can \
             override; `None` is a singleton, so test identity with `{replacement}`"
        ),
        _ => {
            let plain = match (short(operand), truthy) {
                (true, true) => format!("`if {operand}:`"),
                (true, false) => format!("`if not {operand}:`"),
                (false, _) => "the value's truthiness".to_string(),
            };
            format!(
                "{shown} goes through `__eq__` and treats `1`, `0` and other truthy or falsy values \
                 differently from `{singleton}`; write {plain} for a truth test, or \
                 `{replacement} {singleton}` when only the `bool` itself will do"
            )
        }
    };
    let fix = operator_range(checker, left, op, right).and_then(|at| {
        Fix::unsafe_(
            format!("Replace `{}` with `{replacement}`", op.as_str()),
            vec![replace_operator(checker, at, replacement)],
        )
    });
    checker.report(Finding::new(Rule::EqComparisonToSingleton, range, message).with_fix(fix));
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use crate::analysis::finding::{Applicability, Severity};
    use crate::analysis::rule::Rule::EqComparisonToSingleton as R;

    #[test]
    fn flags_none_true_false_on_either_side() {
        assert_count("if x == None:\n    pass\n", R, 1);
        assert_count("x != None\nNone == x\nx == True\nx != False\nFalse == x\n", R, 5);
        assert_count("y = [a for a in b if a.c == None]\n", R, 1);
    }

    #[test]
    fn flags_every_link_of_a_chain_like_ruff() {
        assert_count("a < b == True\n", R, 1);
        assert_count("a == None == b\n", R, 1);
        assert_count("x == None != y == False\n", R, 2);
    }

    #[test]
    fn ignores_identity_constants_and_other_operators() {
        assert_clean("x is None\nx is not None\nx == 0\nx < None\nx in (None,)\n", R);
        assert_clean("1 == None\n'a' != True\nNone == 1\n", R);
    }

    #[test]
    fn ignores_query_builder_arguments() {
        assert_clean("session.query(User).filter(User.email == None)\n", R);
        assert_clean("select(t).where(t.c.x != None)\nq.having(func.count() == None)\n", R);
        assert_clean("from sqlalchemy import and_, or_\nq = and_(A.x == None, or_(A.y == True, A.z))\n", R);
        assert_clean("import sqlalchemy as sa\nsa.not_(A.x == None)\n", R);
        // The call's own callee is not a query argument.
        assert_count("q.filter(f)(x == None)\nand_(x == None)\n", R, 2);
    }

    #[test]
    fn ignores_numpy_and_pandas_operands() {
        assert_clean("import numpy as np\nmask = np.array(xs) == None\n", R);
        assert_clean("import numpy as np\narr = np.zeros(3)\nm = arr == None\n", R);
        assert_clean("import pandas as pd\ndf = pd.read_csv(p)\nm = df['a'] == None\n", R);
        assert_clean("import pandas as pd\ndef f(s: pd.Series):\n    return s.str.len() == None\n", R);
        assert_clean("from numpy import ndarray\ndef f(a: 'x', b: ndarray | None):\n    return b == None\n", R);
        assert_count("import numpy as np\nn = len(xs)\nm = n == None\n", R, 1);
    }

    #[test]
    fn message_names_comparison_and_severity_is_info() {
        let found = findings("def f(value):\n    if value == None:\n        pass\n", R);
        assert_eq!(found[0].severity, Severity::Info);
        assert!(found[0].message.contains("`value == None`") && found[0].message.contains("`is`"));
        let msg = message("if done == False:\n    pass\n", R);
        assert!(msg.contains("`if not done:`") && msg.contains("`is False`"), "{msg}");
    }

    #[test]
    fn card_examples() {
        let flagged = "class Anything:\n    def __eq__(self, other):\n        return True\n\ndef describe(value):\n    if value == None:\n        return \"missing\"\n    return \"present\"\n";
        assert_count(flagged, R, 1);
        assert_clean(&flagged.replace("value == None", "value is None"), R);
    }

    #[test]
    fn fix_swaps_operator_only() {
        assert_eq!(fixed("if x == None:\n    pass\n", R), "if x is None:\n    pass\n");
        assert_eq!(fixed("y = (x) != (None)\n", R), "y = (x) is not (None)\n");
        assert_eq!(fixed("y = None == x\n", R), "y = None is x\n");
        assert_eq!(fixed("y = x==None\n", R), "y = x is None\n");
        assert_eq!(fixed("y = f(x)!=None\n", R), "y = f(x) is not None\n");
        assert_eq!(fixed("y = a < b == True\n", R), "y = a < b is True\n");
        assert_eq!(findings("x != None\n", R)[0].fix.as_ref().map(|f| f.applicability), Some(Applicability::Unsafe));
    }

    #[test]
    fn half_typed_code_does_not_panic() {
        for src in ["x ==", "== None", "x == None ==", "q.filter(x == None", "x = x\ny = x == None\n"] {
            let _ = findings(src, R);
        }
    }
}
