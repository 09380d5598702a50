//! `list-multiplication-aliasing` (no Ruff peer). `[[0] * n] * m` repeats a reference to one inner
//! list `m` times: multiplying a sequence never copies its items, so `grid[0][0] = 1` changes every
//! row. `[0] * n` is fine: ints are immutable, so assigning a slot replaces the reference.
//!
//! Detection: `*` where one operand is a list or tuple display holding at least one mutable
//! element (a list/dict/set display or comprehension, a call of a mutable constructor such as
//! `list()` or `collections.defaultdict(...)`, or a nested list multiplication), or a name bound to
//! such a display, and the other operand is not the literal `0` or `1` (no copies, no aliasing).
//!
//! Tiers: a warning when the code changes one slot's object through the name the list is bound to
//! (`grid[0][1] = 5`, `grid[i].append(x)`, `grid[i] += [x]`, or `row.append(x)` in
//! `for row in grid`), naming that line; otherwise a hint saying that nothing here changes a slot,
//! so the shared slots are harmless today. Replacing a slot (`grid[0] = [1, 2]`) is not a change
//! through the alias. Nothing is reported when the list goes straight into something that only
//! reads or copies it — a comparison, an assertion helper, a NumPy or pandas function, a read-only
//! builtin — since no slot can ever be changed then (common in tests: `np.array([[0] * 3] * 2)`).
//! A list handed to any other call gets the hint (the callee may keep the rows, as SymPy's `DDM`
//! does). Test code is otherwise treated like any other.
//!
//! Fix (display-only: rows become independent, which is the point but changes behaviour): a
//! one-element list display becomes `[<elt> for _ in range(<m>)]`, so the element is built anew for
//! each row.

use ruff_python_ast::{Expr, ExprBinOp, Number, Operator, Stmt};
use ruff_text_size::Ranged;

use super::helpers::defaults::is_mutable_value;
use super::helpers::mutability::slot_change;
use crate::analysis::checker::Checker;
use crate::analysis::finding::{Edit, Finding, Fix, Severity};
use crate::analysis::helpers;
use crate::analysis::rule::Rule;
use crate::analysis::semantic::{NodeId, NodeRef};

pub(crate) fn check<'a>(checker: &mut Checker<'a>, binop: &'a ExprBinOp) {
    if let Some(shape) = shape(checker, binop) {
        // Bound to a name, whether a slot is changed is known only once every read is: look again
        // after the walk. Anything else (passed on, part of an expression) gets the hint now.
        match (bound_name(checker, binop), checker.node_id()) {
            (Some(_), Some(node)) => checker.defer(Rule::ListMultiplicationAliasing, node),
            (None, Some(node)) if consumed_safely(checker, node) => {}
            _ => report(checker, binop, shape, None),
        }
    }
}

/// The list goes straight into something that only reads or copies it, so no slot can ever be
/// changed through the alias: a comparison (`assert rows == [[0] * 2] * 3`), an assertion helper
/// (`self.assertEqual(...)`, `assert_equal(...)`), a NumPy or pandas function (they copy nested
/// lists into arrays), or a read-only builtin (`len`, `tuple`, `sorted`...). Displays around it are
/// looked through: `np.array([[0] * 3] * 2 + [[1, 1, 1]])`.
fn consumed_safely(checker: &Checker, node: NodeId) -> bool {
    let model = checker.semantic();
    let mut child = node;
    for parent in model.ancestor_ids(node).take(8) {
        match model.node(parent) {
            NodeRef::Expr(Expr::List(_) | Expr::Tuple(_) | Expr::BinOp(_)) => child = parent,
            NodeRef::Expr(Expr::Compare(_)) => return true,
            // The list is an argument (not the callee).
            NodeRef::Expr(Expr::Call(call)) if call.func.range() != model.node(child).range() => {
                let is_assertion = match &*call.func {
                    Expr::Attribute(attr) => attr.attr.as_str().starts_with("assert"),
                    Expr::Name(name) => name.id.as_str().starts_with("assert"),
                    _ => false,
                };
                let copies = checker
                    .resolve(&call.func)
                    .is_some_and(|name| matches!(name.segments().first(), Some(&("numpy" | "pandas"))));
                return is_assertion || copies || model.is_read_only_call(call);
            }
            _ => return false,
        }
    }
    false
}

/// After the walk, for a multiplication bound to a name.
pub(crate) fn check_deferred(checker: &mut Checker, node: NodeId) {
    let NodeRef::Expr(Expr::BinOp(binop)) = checker.semantic().node(node) else { return };
    let Some(shape) = shape(checker, binop) else { return };
    let evidence = bound_name(checker, binop)
        .and_then(|name| checker.semantic().expr_id(name))
        .and_then(|name| checker.semantic().nodes.binding(name))
        .and_then(|binding| slot_change(checker, binding, true));
    report(checker, binop, shape, evidence);
}

#[derive(Clone, Copy)]
struct Shape<'a> {
    sequence: &'a Expr,
    shared: &'a Expr,
    count: &'a Expr,
}

fn shape<'a>(checker: &Checker<'a>, binop: &'a ExprBinOp) -> Option<Shape<'a>> {
    if binop.op != Operator::Mult {
        return None;
    }
    [(&*binop.left, &*binop.right), (&*binop.right, &*binop.left)].into_iter().find_map(|(sequence, count)| {
        if is_zero_or_one(count) {
            return None;
        }
        shared_element(checker, sequence).map(|shared| Shape { sequence, shared, count })
    })
}

/// The name the multiplication is assigned to, when it is the whole value of `x = ...` (the walk
/// reaches the target after the value, so its binding is looked up after the walk).
fn bound_name<'a>(checker: &Checker<'a>, binop: &ExprBinOp) -> Option<&'a Expr> {
    let (targets, value): (&[Expr], Option<&Expr>) = match checker.current_statement()? {
        Stmt::Assign(assign) => (&assign.targets, Some(&*assign.value)),
        Stmt::AnnAssign(assign) => (std::slice::from_ref(&*assign.target), assign.value.as_deref()),
        _ => return None,
    };
    match (targets, value) {
        ([target @ Expr::Name(_)], Some(value)) if value.range() == binop.range => Some(target),
        _ => None,
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

fn report(checker: &mut Checker, binop: &ExprBinOp, shape: Shape, evidence: Option<String>) {
    let Shape { sequence, shared, count } = shape;
    let short = |s: &str| s.len() <= 40 && !s.contains(['\n', '\r']);
    let whole = checker.source.slice(binop);
    let element = checker.source.slice(shared);
    let times = checker.source.slice(count);
    let shown = if short(whole) { format!("`{whole}`") } else { "This multiplication".to_string() };
    let kind = kind_of(checker, shared);
    let what = if short(element) { format!("`{element}` {kind}") } else { format!("inner {kind}") };
    let times = if short(times) { format!("`{times}`") } else { "many".to_string() };
    let head = format!("{shown} repeats references to one {what} {times} times instead of copying it");
    let (message, severity) = match evidence {
        Some(change) => (format!("{head}, and {change} changes it in every slot at once"), Severity::Warning),
        None => (
            format!("{head}; nothing here changes a slot, so it works, but changing one slot would change every slot"),
            Severity::Hint,
        ),
    };
    let fix = comprehension_fix(checker, binop, sequence, count);
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
    fn warning_when_a_slot_is_changed_through_the_name() {
        use crate::analysis::finding::Severity;
        for (src, evidence) in [
            ("grid = [[0] * 3] * 3\ngrid[0][1] = 5\n", "`grid[...][...] = ...` (line 2)"),
            ("rows = [[]] * 3\nrows[0].append(1)\n", "`rows[0].append(1)` (line 2)"),
            ("rows = [[]] * 3\nrows[1] += [2]\n", "`rows[...] += ...` (line 2)"),
            (
                "rows = [{}] * 3\nfor row in rows:\n    row.update(a=1)\n",
                "`row.update(a=1)` (line 3) in `for row in rows`",
            ),
            (
                "def f(n):\n    grid = [[0] * n] * n\n    for i in range(n):\n        grid[i][i] = 1\n    return grid\n",
                "(line 4)",
            ),
        ] {
            let found = findings(src, R);
            assert_eq!(found.len(), 1, "{src}");
            assert_eq!(found[0].severity, Severity::Warning, "{src}: {}", found[0].message);
            assert!(found[0].message.contains(evidence), "{src}: {}", found[0].message);
        }
    }

    #[test]
    fn hint_when_nothing_changes_a_slot() {
        use crate::analysis::finding::Severity;
        for src in [
            "grid = [[0] * 3] * 3\n",
            "make([[0] * 3] * 3)\n",
            "import numpy as np\nexpected = [[1, 2]] * 3\nassert np.array(expected).shape == (3, 2)\n",
            "from sympy.polys.matrices.ddm import DDM\nZ = DDM([[0] * 4] * 5, (5, 4), ZZ)\n",
            // Replacing a slot is not a change through the alias.
            "grid = [[0] * 3] * 3\ngrid[0] = [1, 2, 3]\nprint(grid[1][0])\n",
        ] {
            let found = findings(src, R);
            assert_eq!(found.len(), 1, "{src}");
            assert_eq!(found[0].severity, Severity::Hint, "{src}: {}", found[0].message);
            assert!(found[0].message.contains("nothing here changes a slot"), "{}", found[0].message);
        }
    }

    #[test]
    fn nothing_when_consumed_by_something_that_only_reads_or_copies() {
        for src in [
            "import numpy as np\na = np.array([[0, 1]] * 10)\n",
            "import pandas as pd\ndf = pd.DataFrame(3 * [[0.4, 0.1]], columns=['A', 'B'])\n",
            "class T:\n    def test(self):\n        self.assertEqual(load(), ([],) * 2)\n",
            "assert list(m) == [[1] * 3] * 2\n",
            "from numpy.testing import assert_equal\nassert_equal(v, [[1.5] * 3] * 2)\n",
            "n = len([[0] * 3] * 4)\n",
        ] {
            assert_clean(src, R);
        }
    }

    #[test]
    fn the_fix_makes_rows_independent() {
        let src = "grid = [[0] * 2] * 2\ngrid[0][0] = 1\n";
        assert_eq!(fixed_output(src, R, "print(grid)\n"), "[[1, 0], [0, 0]]\n");
    }
}
