//! `list-membership-in-loop` (no Ruff peer: PLR6201 and Pylint's `use-set-for-membership` only look
//! at literal containers written in the test). `x in items` where `items` is a list scans it item
//! by item, O(len(items)) per test; inside a loop that repeats the test, a set (O(1) on average per
//! test) changes the complexity of the whole loop.
//!
//! Detection: an `in` / `not in` link whose right operand is a name bound, in the same function
//! (or module, or class body), to a list the code makes there — a display, `list(...)` or a list
//! comprehension — where every binding of the name makes a list; and the test sits in a `for`
//! body, a `while` test or body, or a comprehension's element or later clause, that starts after
//! the list is made (a list rebuilt on every pass gains nothing from a set).
//!
//! Tiers:
//! - warning, when the loop itself grows the list (`append`, `extend`, `insert`, `+=`): the list
//!   gets longer with the data, so the loop is O(n²) — the hand-rolled "seen" list. The message
//!   names the growing call.
//! - hint, when the list is built from data (a comprehension, `list(<iterable>)`, or an empty list
//!   filled earlier) and its size is not known here, or is a literal of more than eight items (a
//!   fixed cost). The message says which.
//!
//! Not reported: literals of at most eight items, strings, tuples (a constant tuple of a few names
//! is the idiom, and a tuple never grows), lists the loop changes otherwise (removes, sorts, stores
//! items, hands to other code: a set would need the same upkeep), a comprehension iterating that
//! same list, loops over a literal of at most eight items or `range(<n <= 8>)` (the code keeps the
//! number of tests small), and a list that is empty and never filled. Test code is treated like
//! any code: the cost is the same, and test lists are usually short literals, which are excluded.
//!
//! Fix (hint tier only, unsafe: `set()` raises `TypeError` on unhashable items, and items equal but
//! hashed differently, such as objects defining `__eq__` without a matching `__hash__`, stop
//! matching): `<name>_set = set(<name>)` before the loop, and the test against it. Not offered in a
//! class body (it would add a class attribute) or where the loop's statement does not start its line.

use ruff_python_ast::{CmpOp, Expr, ExprCompare, ExprName, Stmt};
use ruff_text_size::{Ranged, TextRange};

use super::helpers::comparisons::{link_range, shown_or};
use super::helpers::containers::{
    Change, ListOrigin, Repeat, SMALL_LITERAL, change_in, iterates_data, local_list, repeating_after, runs_few_times,
    same_frame,
};
use super::helpers::loops::{short, taken_names};
use crate::analysis::checker::{Checker, Frame};
use crate::analysis::finding::{Edit, Finding, Fix, Severity};
use crate::analysis::helpers;
use crate::analysis::rule::Rule;
use crate::analysis::semantic::{BindingId, NodeId, ScopeKind};

/// During the walk: a membership test against a name, somewhere a loop or comprehension repeats
/// it, is looked at again once every read of the list is known.
pub(crate) fn check(checker: &mut Checker, compare: &ExprCompare) {
    if candidates(compare).next().is_none() {
        return;
    }
    let Some(node) = checker.node_id() else { return };
    // A loop body or comprehension around the test, or a `while` test.
    let repeated = matches!(checker.frames().next(), Some(Frame::Loop(_) | Frame::Comprehension))
        || matches!(checker.semantic().statement(node), Some(Stmt::While(_)));
    if repeated {
        checker.defer(Rule::ListMembershipInLoop, node);
    }
}

/// The `in` / `not in` links whose right operand is a plain name.
fn candidates(compare: &ExprCompare) -> impl Iterator<Item = (&Expr, CmpOp, &Expr, &ExprName)> {
    let lefts = std::iter::once(&*compare.left).chain(compare.comparators.iter());
    lefts.zip(compare.ops.iter().zip(compare.comparators.iter())).filter_map(|(left, (op, right))| match right {
        Expr::Name(name) if matches!(op, CmpOp::In | CmpOp::NotIn) && !name.id.is_empty() => {
            Some((left, *op, right, name))
        }
        _ => None,
    })
}

pub(crate) fn check_deferred(checker: &mut Checker, node: NodeId) {
    let Some(Expr::Compare(compare)) = checker.semantic().node(node).as_expr() else { return };
    for (left, op, right, name) in candidates(compare) {
        if let Some(site) = site(checker, node, name) {
            report(checker, compare, (left, op, right), name, &site);
        }
    }
}

struct Site<'a> {
    binding: BindingId,
    origin: ListOrigin,
    repeat: Repeat<'a>,
    change: Change,
    /// The loop runs over data of a size the code does not bound (see [`iterates_data`]).
    data: bool,
}

fn site<'a>(checker: &Checker<'a>, node: NodeId, name: &ExprName) -> Option<Site<'a>> {
    let model = checker.semantic();
    let (binding, origin) = local_list(checker, name)?;
    if !same_frame(model, node, binding) {
        return None;
    }
    let made = model.node(model.binding(binding).source?).range();
    let repeat = repeating_after(model, node, made)?;
    // `[x for x in items if x in items]`: the test is about the list's own items.
    if repeat.iterable().is_some_and(|i| matches!(i, Expr::Name(n) if n.id == name.id)) {
        return None;
    }
    if runs_few_times(checker, repeat) {
        return None;
    }
    let change = change_in(model, binding, repeat.range());
    let site = Site { binding, origin, repeat, change, data: iterates_data(checker, repeat) };
    match (change, origin) {
        (Change::Other, _) => None,
        (Change::Grows { .. }, _) => Some(site),
        (Change::None, ListOrigin::Literal(n)) if n <= SMALL_LITERAL => None,
        // Empty and never filled anywhere: there is nothing to scan.
        (Change::None, ListOrigin::Empty) if model.first_mutation(binding, false).is_none() => None,
        (Change::None, _) => Some(site),
    }
}

fn report(checker: &mut Checker, compare: &ExprCompare, link: (&Expr, CmpOp, &Expr), name: &ExprName, site: &Site) {
    let (left, op, right) = link;
    let list = name.id.as_str();
    let range = link_range(checker, compare, left, right);
    let shown = shown_or(checker, range, &format!("`{} {list}`", op.as_str()));
    let kind = site.repeat.kind();
    let line = |r: TextRange| checker.source.line_number(r.start());
    let made = line(checker.semantic().binding(site.binding).range);
    let (severity, message) = match (site.change, site.origin) {
        (Change::Grows { method, at }, _) if !site.data => {
            let how = if method == "+=" { format!("`{list} +=`") } else { format!("`{list}.{method}`") };
            let over = site.repeat.iterable().map_or("...", |i| short(checker, i));
            (
                Severity::Hint,
                format!(
                    "{shown} scans the list `{list}` item by item, O(len({list})) per test, and this {kind} grows \
                     it ({how} on line {}); the loop runs over `{over}`, whose size is not known here (often a \
                     few items), and if it can be long the loop is O(n²): a set of the items seen tests in O(1) \
                     on average",
                    line(at)
                ),
            )
        }
        (Change::Grows { method, at }, _) => {
            let how = if method == "+=" { format!("`{list} +=`") } else { format!("`{list}.{method}`") };
            (
                Severity::Warning,
                format!(
                    "{shown} scans the list `{list}` item by item, O(len({list})) per test, and this {kind} grows \
                     it ({how} on line {}), so the loop is O(n²) in the number of items; keep a set of them \
                     (alongside the list if their order matters) and test against it, O(1) on average",
                    line(at)
                ),
            )
        }
        (_, ListOrigin::Literal(n)) => (
            Severity::Hint,
            format!(
                "{shown} scans the {n}-item list `{list}` (line {made}) on every pass of this {kind}: up to {n} \
                 comparisons per test, a fixed cost here; a set makes each test one hash lookup"
            ),
        ),
        _ => (
            Severity::Hint,
            format!(
                "{shown} scans the list `{list}` item by item on every pass of this {kind}, O(len({list})) per \
                 test; its size is not known here (it is built from data on line {made}), and if it can be \
                 large, a set built once before the loop makes each test O(1) on average"
            ),
        ),
    };
    let fix = match site.change {
        Change::None => hoist_fix(checker, name, site),
        _ => None,
    };
    checker.report(Finding::new(Rule::ListMembershipInLoop, range, message).with_severity(severity).with_fix(fix));
}

/// `<name>_set = set(<name>)` before the statement holding the loop, and the test against it.
fn hoist_fix(checker: &Checker, name: &ExprName, site: &Site) -> Option<Fix> {
    let model = checker.semantic();
    let scope = model.binding(site.binding).scope;
    if matches!(model.scope(scope).kind, ScopeKind::Class(_)) {
        return None;
    }
    let statement = match site.repeat {
        Repeat::Loop(_, stmt) => stmt,
        Repeat::Comprehension(expr) => model.statement(model.expr_id(expr)?)?,
    };
    // The list must not change between the new statement and the tests.
    if matches!(statement, Stmt::FunctionDef(_) | Stmt::ClassDef(_))
        || !matches!(change_in(model, site.binding, statement.range()), Change::None)
    {
        return None;
    }
    let indent = checker.source.indentation_at(statement.start())?;
    let set_name = helpers::fresh_name(&format!("{}_set", name.id), &taken_names(model, scope));
    let nl = checker.source.line_ending();
    let at = checker.source.line_start(statement.start());
    let edits = vec![
        Edit::insert(at, format!("{indent}{set_name} = set({}){nl}", name.id)),
        Edit::replace(name.range(), set_name.clone()),
    ];
    Fix::unsafe_(format!("Test against `{set_name} = set({})`, built before the loop", name.id), edits)
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use crate::analysis::finding::{Applicability, Severity};
    use crate::analysis::rule::Rule::ListMembershipInLoop as R;

    #[test]
    fn warning_when_the_loop_grows_the_list() {
        let src = "def dedupe(items):\n    seen = []\n    for item in items:\n        if item not in seen:\n            seen.append(item)\n    return seen\n";
        assert_tier(src, R, Severity::Warning, "(`seen.append` on line 5), so the loop is O(n²)");
        let msg = message(src, R);
        assert!(msg.starts_with("`item not in seen` scans the list `seen`"), "{msg}");
        let src = "def bfs(start, edges):\n    visited = [start]\n    todo = [start]\n    while todo:\n        node = todo.pop()\n        for nxt in edges[node]:\n            if nxt not in visited:\n                visited += [nxt]\n                todo.append(nxt)\n    return visited\n";
        assert_tier(src, R, Severity::Warning, "(`visited +=` on line 8)");
        // No fix: the list is needed as it grows.
        assert!(findings(src, R)[0].fix.is_none());
    }

    #[test]
    fn hint_when_a_growing_list_follows_an_attribute_or_star_args() {
        let src = "def f(self):\n    seen = []\n    for b in self.bases:\n        if b not in seen:\n            seen.append(b)\n";
        assert_tier(src, R, Severity::Hint, "the loop runs over `self.bases`, whose size is not known here");
        let src = "def f(*rules):\n    seen = []\n    for r in rules:\n        if r not in seen:\n            seen.append(r)\n";
        assert_tier(src, R, Severity::Hint, "the loop runs over `rules`");
        // The `*args` of an enclosing function (sympy's `alternatives(*rules)`).
        let src = "def outer(*rules):\n    def inner(x):\n        seen = []\n        for r in rules:\n            if r not in seen:\n                seen.append(r)\n    return inner\n";
        assert_tier(src, R, Severity::Hint, "the loop runs over `rules`");
        let src = "def f(rules):\n    seen = []\n    for r in rules:\n        if r not in seen:\n            seen.append(r)\n";
        assert_tier(src, R, Severity::Warning, "O(n²)");
    }

    #[test]
    fn hint_when_the_size_is_not_known_or_fixed() {
        let src = "def keep(rows, wanted):\n    names = [w.name for w in wanted]\n    return [r for r in rows if r.name in names]\n";
        assert_tier(src, R, Severity::Hint, "its size is not known here (it is built from data on line 2)");
        let src = "def keep(rows, wanted):\n    names = list(wanted)\n    out = []\n    for r in rows:\n        if r in names:\n            out.append(r)\n    return out\n";
        assert_tier(src, R, Severity::Hint, "O(len(names)) per test");
        let src = "EXTS = ['.py', '.pyi', '.pyx', '.pxd', '.c', '.h', '.cpp', '.hpp', '.rs']\nfor path in paths:\n    if path.suffix in EXTS:\n        print(path)\n";
        assert_tier(src, R, Severity::Hint, "the 9-item list `EXTS` (line 1)");
        // An empty list filled before the loop.
        let src = "def f(a, b):\n    seen = []\n    for x in a:\n        seen.append(x)\n    return [y for y in b if y in seen]\n";
        assert_tier(src, R, Severity::Hint, "built from data on line 2");
    }

    #[test]
    fn while_tests_and_nested_loops_repeat_the_test() {
        assert_count(
            "def f(xs, ys):\n    allowed = list(ys)\n    i = 0\n    while xs[i] in allowed:\n        i += 1\n",
            R,
            1,
        );
        assert_count(
            "def f(grid, ys):\n    allowed = list(ys)\n    for row in grid:\n        for cell in row:\n            if cell in allowed:\n                print(cell)\n",
            R,
            1,
        );
    }

    #[test]
    fn ignores_short_literals_tuples_strings_and_sets() {
        assert_clean("def f(xs):\n    for x in xs:\n        if x in ['a', 'b', 'c']:\n            pass\n", R);
        assert_clean(
            "def f(xs):\n    ok = ['a', 'b', 'c']\n    for x in xs:\n        if x in ok:\n            pass\n",
            R,
        );
        assert_clean(
            "def f(xs, a, b, c):\n    ok = (a, b, c)\n    for x in xs:\n        if x in ok:\n            pass\n",
            R,
        );
        assert_clean(
            "def f(xs):\n    ok = 'abcdefghijkl'\n    for x in xs:\n        if x in ok:\n            pass\n",
            R,
        );
        assert_clean("def f(xs, ys):\n    ok = set(ys)\n    for x in xs:\n        if x in ok:\n            pass\n", R);
    }

    #[test]
    fn ignores_lists_that_are_not_local_or_not_repeated() {
        // A parameter, an attribute, another scope's list.
        assert_clean("def f(xs, ok: list):\n    for x in xs:\n        if x in ok:\n            pass\n", R);
        assert_clean("def f(self, xs):\n    for x in xs:\n        if x in self.ok:\n            pass\n", R);
        assert_clean("OK = list(load())\ndef f(xs):\n    for x in xs:\n        if x in OK:\n            pass\n", R);
        // A single test, or a list rebuilt on every pass.
        assert_clean("def f(x, ys):\n    ok = list(ys)\n    return x in ok\n", R);
        assert_clean(
            "def f(xs, ys):\n    for x in xs:\n        ok = list(ys)\n        if x in ok:\n            pass\n",
            R,
        );
        // Some binding of the name is not a list.
        assert_clean(
            "def f(xs, ys):\n    ok = list(ys)\n    if not ys:\n        ok = None\n    for x in xs:\n        if x in ok:\n            pass\n",
            R,
        );
        // A `for` else, a nested function: run once, or at another time.
        assert_clean(
            "def f(xs, ys, z):\n    ok = list(ys)\n    for x in xs:\n        pass\n    else:\n        return z in ok\n",
            R,
        );
        assert_clean(
            "def f(xs, ys):\n    ok = list(ys)\n    for x in xs:\n        def g(z):\n            return z in ok\n",
            R,
        );
    }

    #[test]
    fn ignores_lists_the_loop_changes_otherwise_and_short_loops() {
        assert_clean(
            "def f(xs, ys):\n    ok = list(ys)\n    for x in xs:\n        if x in ok:\n            ok.remove(x)\n",
            R,
        );
        assert_clean(
            "def f(xs, ys):\n    ok = list(ys)\n    for x in xs:\n        if x in ok:\n            ok = [x]\n",
            R,
        );
        assert_clean(
            "def f(xs, ys):\n    ok = list(ys)\n    for x in xs:\n        if x in ok:\n            handle(ok)\n",
            R,
        );
        assert_clean(
            "def f(ys):\n    ok = list(ys)\n    for x in (1, 2, 3):\n        if x in ok:\n            pass\n",
            R,
        );
        assert_clean(
            "def f(ys):\n    ok = list(ys)\n    for x in range(4):\n        if x in ok:\n            pass\n",
            R,
        );
        assert_clean("def f(ys):\n    ok = list(ys)\n    return [y for y in ok if y in ok]\n", R);
        assert_clean("def f(xs):\n    seen = []\n    for x in xs:\n        if x in seen:\n            pass\n", R);
    }

    #[test]
    fn fix_hoists_a_set_before_the_loop() {
        let src = "def keep(rows, wanted):\n    names = [w for w in wanted]\n    out = []\n    for r in rows:\n        if r in names:\n            out.append(r)\n    return out\n";
        assert_eq!(
            fixed(src, R),
            "def keep(rows, wanted):\n    names = [w for w in wanted]\n    out = []\n    names_set = set(names)\n    for r in rows:\n        if r in names_set:\n            out.append(r)\n    return out\n"
        );
        assert_eq!(first_fix_applicability(src, R), Some(Applicability::Unsafe));
        assert_fix_keeps_output(src, R, "print(keep([1, 2, 3, 2], [2, 3]), keep([], [1]))\n");
        let src = "def keep(rows, wanted):\n    names = list(wanted)\n    names_set = 1\n    return [r for r in rows if r not in names]\n";
        assert_eq!(
            fixed(src, R),
            "def keep(rows, wanted):\n    names = list(wanted)\n    names_set = 1\n    names_set_1 = set(names)\n    return [r for r in rows if r not in names_set_1]\n"
        );
        // Unhashable items: the fixed code raises where the original ran.
        let src = "def keep(rows, wanted):\n    names = list(wanted)\n    return [r for r in rows if r in names]\n";
        let fixed_text = fixed(src, R);
        let (ok, _, err) = run_python(&format!("{fixed_text}\nkeep([[1]], [[1]])\n"));
        assert!(!ok && err.contains("unhashable"), "{err}");
    }

    #[test]
    fn no_fix_in_a_class_body() {
        let src = "class A:\n    names = list(load())\n    ok = [r for r in rows if r in names]\n";
        let _ = findings(src, R);
        let src = "class A:\n    names = list(load())\n    for r in rows:\n        if r in names:\n            pass\n";
        let found = findings(src, R);
        assert_eq!(found.len(), 1);
        assert!(found[0].fix.is_none());
    }

    #[test]
    fn card_examples() {
        assert_card_examples(R);
    }

    #[test]
    fn half_typed_code_does_not_panic() {
        for src in [
            "seen = []\nfor x in :\n    if x not in seen\n        seen.append(",
            "names = list(\nwhile x in names:\n",
            "ok = [1,2,3,4,5,6,7,8,9,]\n[x for x in if x in ok]\n",
            "for x in y:\n    x in\n",
        ] {
            let _ = findings(src, R);
        }
    }
}
