//! `list-multiplication-aliasing` (no Ruff peer). `[[0] * n] * m` repeats a reference to one inner
//! list `m` times: multiplying a sequence never copies its items, so `grid[0][0] = 1` changes every
//! row. `[0] * n` is fine: ints are immutable, so assigning a slot replaces the reference.
//!
//! Detection: `*` where one operand is a list or tuple display holding at least one mutable
//! element (a list/dict/set display or comprehension, a call of a mutable constructor such as
//! `list()` or `collections.defaultdict(...)`, or a nested list multiplication), or a name bound to
//! such a display, and the other operand is not the literal `0` or `1` (no copies, no aliasing).
//!
//! Fix (display-only: rows become independent, which is the point but changes behaviour): a
//! one-element list display becomes `[<elt> for _ in range(<m>)]`, so the element is built anew for
//! each row.

use ruff_python_ast::{Expr, ExprBinOp, Number, Operator, Stmt};
use ruff_text_size::Ranged;

use super::helpers::defaults::is_mutable_value;
use crate::analysis::checker::Checker;
use crate::analysis::finding::{Edit, Finding, Fix, Severity};
use crate::analysis::helpers;
use crate::analysis::rule::Rule;

fn is_bound_to_a_name(checker: &Checker, binop: &ExprBinOp) -> bool {
    let value = match checker.current_statement() {
        Some(Stmt::Assign(assign)) => Some(&*assign.value),
        Some(Stmt::AnnAssign(assign)) => assign.value.as_deref(),
        _ => None,
    };
    value.is_some_and(|v| v.range() == binop.range)
}

pub(crate) fn check<'a>(checker: &mut Checker<'a>, binop: &'a ExprBinOp) {
    if binop.op != Operator::Mult {
        return;
    }
    for (sequence, count) in [(&*binop.left, &*binop.right), (&*binop.right, &*binop.left)] {
        if is_zero_or_one(count) {
            continue;
        }
        if let Some(shared) = shared_element(checker, sequence) {
            report(checker, binop, sequence, shared, count);
            return;
        }
    }
}

fn is_zero_or_one(expr: &Expr) -> bool {
    matches!(expr, Expr::NumberLiteral(n) if matches!(&n.value, Number::Int(i) if i.as_u8().is_some_and(|v| v <= 1)))
}

/// The first mutable element of a list/tuple display (or of the display a name is bound to).
fn shared_element<'e>(checker: &Checker<'e>, sequence: &'e Expr) -> Option<&'e Expr> {
    match sequence {
        Expr::List(list) => list.elts.iter().find(|e| is_mutable_element(checker, e)),
        Expr::Tuple(tuple) => tuple.elts.iter().find(|e| is_mutable_element(checker, e)),
        Expr::Name(name) => match checker.binding_of(name)?.value? {
            value @ Expr::List(list) if list.elts.len() == 1 => shared_element(checker, value),
            _ => None,
        },
        _ => None,
    }
}

fn is_mutable_element(checker: &Checker, expr: &Expr) -> bool {
    is_mutable_value(checker, expr) || is_list_multiplication(expr)
}

/// `[0] * n` or `n * [0]`: a new list.
fn is_list_multiplication(expr: &Expr) -> bool {
    matches!(expr, Expr::BinOp(b) if b.op == Operator::Mult
        && (matches!(&*b.left, Expr::List(_) | Expr::ListComp(_)) || matches!(&*b.right, Expr::List(_) | Expr::ListComp(_))))
}

fn kind_of(checker: &Checker, expr: &Expr) -> String {
    match expr {
        Expr::Dict(_) | Expr::DictComp(_) => "dict".to_string(),
        Expr::Set(_) | Expr::SetComp(_) => "set".to_string(),
        Expr::Call(call) => checker
            .resolve(&call.func)
            .and_then(|q| q.segments().last().map(|s| s.to_string()))
            .unwrap_or_else(|| "object".to_string()),
        _ => "list".to_string(),
    }
}

fn report(checker: &mut Checker, binop: &ExprBinOp, sequence: &Expr, shared: &Expr, count: &Expr) {
    let short = |s: &str| s.len() <= 40 && !s.contains(['\n', '\r']);
    let whole = checker.source.slice(binop);
    let element = checker.source.slice(shared);
    let times = checker.source.slice(count);
    let shown = if short(whole) { format!("`{whole}`") } else { "This multiplication".to_string() };
    let kind = kind_of(checker, shared);
    let what = if short(element) { format!("`{element}` {kind}") } else { format!("inner {kind}") };
    let times = if short(times) { format!("`{times}`") } else { "many".to_string() };
    let message = format!(
        "{shown} repeats references to one {what} {times} times instead of copying it; changing it \
         through one slot changes every slot"
    );
    let fix = comprehension_fix(checker, binop, sequence, count);
    // Bound to a name, the shared rows are likely mutated later (`grid[0][0] = 1`); passed straight
    // to a call or combined in an expression they are usually only read, so say it more quietly.
    let severity = if is_bound_to_a_name(checker, binop) { Severity::Warning } else { Severity::Info };
    checker.report(
        Finding::new(Rule::ListMultiplicationAliasing, binop.range, message).with_fix(fix).with_severity(severity),
    );
}

/// `[elt] * m` -> `[elt for _ in range(m)]`.
fn comprehension_fix(checker: &Checker, binop: &ExprBinOp, sequence: &Expr, count: &Expr) -> Option<Fix> {
    let Expr::List(list) = sequence else { return None };
    let [element] = list.elts.as_slice() else { return None };
    if checker.source.has_comments(binop.range)
        || checker.lookup("range").is_some()
        || matches!(count, Expr::Yield(_) | Expr::YieldFrom(_) | Expr::Generator(_) | Expr::Starred(_))
    {
        return None;
    }
    let names = helpers::names_in_expr(element);
    // A comprehension in a class body cannot see the class's names.
    if checker.current_class().is_some() && !names.is_empty() {
        return None;
    }
    let var = helpers::fresh_name("_", &names);
    let content = format!("[{} for {var} in range({})]", checker.source.slice(element), checker.source.slice(count));
    Fix::display_only("Build each element with a list comprehension", vec![Edit::replace(binop.range, content)])
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use crate::analysis::finding::Applicability;
    use crate::analysis::rule::Rule::ListMultiplicationAliasing as R;

    #[test]
    fn flags_mutable_elements_in_either_order() {
        assert_count("grid = [[0] * n] * m\n", R, 1);
        assert_count("a = [[]] * 3\nb = [{}] * n\nc = n * [set()]\nd = [list()] * 2\n", R, 4);
        assert_count("e = [[x for x in y]] * 2\nf = [{1, 2}] * 2\ng = ([],) * 4\nh = [0, []] * 2\n", R, 4);
        assert_count("import collections\ni = [collections.defaultdict(int)] * 4\n", R, 1);
        assert_count("j = [n * [0]] * 5\n", R, 1);
    }

    #[test]
    fn flags_a_name_bound_to_such_a_display() {
        assert_count("row = [[]]\nrows = row * 3\n", R, 1);
        assert_clean("row = [0]\nrows = row * 3\n", R);
    }

    #[test]
    fn ignores_immutable_elements_and_counts_zero_or_one() {
        assert_clean("a = [0] * n\nb = [None] * n\nc = [''] * 3\nd = [(1, 2)] * 3\ne = (0,) * 3\n", R);
        assert_clean("f = [[]] * 1\ng = 0 * [{}]\nh = [[0] * n]\ni = x * y\n", R);
        assert_clean("class list: pass\nj = [list()] * 3\n", R);
    }

    #[test]
    fn message_names_element_and_count() {
        let msg = message("grid = [[0] * 3] * 2\n", R);
        assert!(
            msg.contains("`[[0] * 3] * 2`") && msg.contains("`[0] * 3` list") && msg.contains("`2` times"),
            "{msg}"
        );
    }

    #[test]
    fn card_example() {
        let src = "grid = [[0] * 3] * 2\ngrid[0][0] = 1\nprint(grid)\n";
        assert_eq!(fixed(src, R), "grid = [[0] * 3 for _ in range(2)]\ngrid[0][0] = 1\nprint(grid)\n");
        let found = findings(src, R);
        assert_eq!(found[0].fix.as_ref().map(|f| f.applicability), Some(Applicability::DisplayOnly));
        assert_clean("grid = [[0] * 3 for _ in range(2)]\ngrid[0][0] = 1\nassert grid[0] is not grid[1]\n", R);
    }

    #[test]
    fn fix_handles_order_parentheses_and_underscore() {
        assert_eq!(fixed("b = n * [{}]\n", R), "b = [{} for _ in range(n)]\n");
        assert_eq!(fixed("b = ([[]]) * (a + 1)\n", R), "b = [[] for _ in range(a + 1)]\n");
        assert_eq!(fixed("b = [[_('x')]] * 3\n", R), "b = [[_('x')] for __1 in range(3)]\n");
        assert_eq!(fixed("b = [\n    [0] * w,\n] * h\n", R), "b = [[0] * w for _ in range(h)]\n");
    }

    #[test]
    fn no_fix_when_unsafe_to_build() {
        for src in [
            "b = [[], []] * 2\n",
            "b = ([],) * 2\n",
            "row = [[]]\nrows = row * 3\n",
            "b = [[]  # note\n    ] * 3\n",
            "def range(n): pass\nb = [[]] * 3\n",
            "class A:\n    x = 0\n    rows = [[x]] * 3\n",
        ] {
            let found = findings(src, R);
            assert!(!found.is_empty() && found[0].fix.is_none(), "{src}: {found:#?}");
        }
        assert_eq!(fixed("class A:\n    rows = [[]] * 3\n", R), "class A:\n    rows = [[] for _ in range(3)]\n");
    }

    #[test]
    fn half_typed_code_does_not_panic() {
        for src in ["[[]] *", "* [[]]", "[[] * 3", "x = [[]] * (", "[[]] * yield"] {
            let _ = findings(src, R);
        }
    }

    #[test]
    fn bound_rows_warn_and_passed_rows_inform() {
        use crate::analysis::finding::Severity;
        let found = findings("grid = [[0] * 3] * 3\n", R);
        assert_eq!(found[0].severity, Severity::Warning);
        let found = findings("make([[0] * 3] * 3)\n", R);
        assert_eq!(found[0].severity, Severity::Info);
    }
}
