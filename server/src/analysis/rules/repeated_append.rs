//! `repeated-append` (peer: Ruff FURB113, preview). Several `out.append(...)` statements in a
//! row add known items one call at a time: `out.extend((a, b, c))` adds them in one call. The
//! code works; nothing goes wrong that the rule can see, so it reports a hint whose message says
//! so.
//!
//! Shape, on the finished model: consecutive expression statements `X.append(<item>)` (one
//! positional argument) on the same name, in one block, where `X` is known to be a list (every
//! binding of the name in its scope a list display, comprehension, `list(...)` or `list`
//! annotation: a `deque` or a user class has its own `append`), and at least [`MIN_RUN`] of
//! them.
//!
//! Not reported: an append whose item reads the list (`out.append(len(out))` sees the earlier
//! appends; batching them would change its value), which splits the run there; receivers that
//! are attributes (`self.items`: their type is not known here). Test code is treated like any
//! code.
//!
//! Fix (unsafe: if evaluating a later item raises, the earlier items are no longer appended, and
//! an item that reads the list through other code sees it earlier): the run becomes
//! `X.extend((<a>, <b>, ...))`, one line, or one item per line when that would be long. None with
//! comments among the statements or an item that spans lines.

use ruff_python_ast::{Expr, ExprName, Stmt, StmtExpr};
use ruff_text_size::{Ranged, TextRange};

use super::helpers::idioms::is_known_list;
use super::helpers::loops::{is_read_in, wrap_if_needed};
use crate::analysis::checker::Checker;
use crate::analysis::finding::{Edit, Finding, Fix, Severity};
use crate::analysis::rule::Rule;
use crate::analysis::semantic::NodeId;

/// The fewest appends in a row the rule reports.
const MIN_RUN: usize = 2;
/// Longest one-line `X.extend((...))` the fix writes (with its indentation); longer goes one
/// item per line.
const MAX_LINE: usize = 88;

/// During the walk, at an expression statement: the first append of a run is looked at again
/// after the walk (whether the receiver is a list depends on all its bindings).
pub(crate) fn check(checker: &mut Checker, expr_stmt: &StmtExpr) {
    let Some((receiver, _)) = append_parts(&expr_stmt.value) else { return };
    let Some((suite, index)) = checker.current_suite() else { return };
    let same = |stmt: Option<&Stmt>| stmt.and_then(append_of).is_some_and(|(r, _)| r.id == receiver.id);
    // Only the first of a run: the others are looked at with it.
    if index.checked_sub(1).is_some_and(|i| same(suite.get(i))) || !same(suite.get(index + 1)) {
        return;
    }
    if let Some(node) = checker.node_id() {
        checker.defer(Rule::RepeatedAppend, node);
    }
}

/// `X.append(<item>)` as a statement: the receiver and the item.
fn append_of(stmt: &Stmt) -> Option<(&ExprName, &Expr)> {
    let Stmt::Expr(expr_stmt) = stmt else { return None };
    append_parts(&expr_stmt.value)
}

fn append_parts(expr: &Expr) -> Option<(&ExprName, &Expr)> {
    let Expr::Call(call) = expr else { return None };
    let Expr::Attribute(attr) = &*call.func else { return None };
    let Expr::Name(receiver) = &*attr.value else { return None };
    let ([item], []) = (&*call.arguments.args, &*call.arguments.keywords) else { return None };
    (attr.attr.as_str() == "append" && !item.is_starred_expr() && !receiver.id.is_empty()).then_some((receiver, item))
}

pub(crate) fn check_deferred(checker: &mut Checker, node: NodeId) {
    let model = checker.semantic();
    let Some(first) = model.node(node).as_stmt() else { return };
    let Some((suite, index)) = model.suite_of(node) else { return };
    let Some((receiver, _)) = append_of(first) else { return };
    let Some(list) = model.resolve_name(receiver) else { return };
    if !is_known_list(checker, suite_receiver(first)) {
        return;
    }
    let mut runs: Vec<Vec<(&Stmt, &Expr)>> = vec![Vec::new()];
    for stmt in &suite[index..] {
        let Some((r, item)) = append_of(stmt) else { break };
        // Same name, same binding (a walrus in an item could rebind it).
        if r.id != receiver.id || model.resolve_name(r) != Some(list) {
            break;
        }
        let current = runs.last_mut().expect("runs starts non-empty");
        // An item that reads the list sees the appends before it: a new run starts there.
        if !current.is_empty() && is_read_in(model, list, item.range()) {
            runs.push(Vec::new());
        }
        runs.last_mut().expect("runs is non-empty").push((stmt, item));
    }
    for run in runs.into_iter().filter(|run| run.len() >= MIN_RUN) {
        let finding = report(checker, receiver.id.as_str(), &run);
        checker.report(finding);
    }
}

/// The receiver expression of an append statement (for the list test).
fn suite_receiver(stmt: &Stmt) -> &Expr {
    let Stmt::Expr(expr_stmt) = stmt else { unreachable!("an append statement") };
    let Expr::Call(call) = &*expr_stmt.value else { unreachable!("an append call") };
    let Expr::Attribute(attr) = &*call.func else { unreachable!("an append method") };
    &attr.value
}

fn report(checker: &Checker, name: &str, run: &[(&Stmt, &Expr)]) -> Finding {
    let source = &checker.source;
    let (first, last) = (run[0].0, run[run.len() - 1].0);
    let range = TextRange::new(first.start(), last.end());
    let items: Vec<String> = run.iter().map(|(_, item)| item_text(checker, item)).collect();
    let joined = items.join(", ");
    let shown = if joined.len() <= 50 && !joined.contains(['\n', '\r']) {
        format!("{name}.extend(({joined}))")
    } else {
        format!("{name}.extend((...))")
    };
    let message = format!(
        "`{name}.append(...)` is called {} times in a row: this works, and `{shown}` adds the items in one call",
        run.len()
    );
    let fix = (!source.has_comments(range) && !joined.contains(['\n', '\r']))
        .then(|| extend_text(checker, first, name, &items, &joined))
        .flatten()
        .and_then(|text| Fix::unsafe_(format!("Replace with one `{name}.extend(...)`"), vec![Edit::replace(range, text)]));
    Finding::new(Rule::RepeatedAppend, range, message).with_severity(Severity::Hint).with_fix(fix)
}

/// An item as a tuple element: `x for x in y` needs its parentheses there.
fn item_text(checker: &Checker, item: &Expr) -> String {
    let text = checker.source.slice(item);
    match item {
        Expr::Generator(g) if !g.parenthesized => format!("({text})"),
        other => wrap_if_needed(text, other),
    }
}

/// `X.extend((a, b))` on one line, or one item per line when that line would be long.
fn extend_text(checker: &Checker, first: &Stmt, name: &str, items: &[String], joined: &str) -> Option<String> {
    let indent = checker.source.indentation_at(first.start())?;
    let one_line = format!("{name}.extend(({joined}))");
    if indent.len() + one_line.len() <= MAX_LINE {
        return Some(one_line);
    }
    let newline = checker.source.line_ending();
    let inner = format!("{indent}{}", checker.source.indent_unit());
    let mut text = format!("{name}.extend(({newline}");
    for item in items {
        text.push_str(&format!("{inner}{item},{newline}"));
    }
    text.push_str(&format!("{indent}))"));
    Some(text)
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use crate::analysis::finding::{Applicability, Severity};
    use crate::analysis::rule::Rule::RepeatedAppend as R;

    #[test]
    fn flags_consecutive_appends_to_a_list() {
        let src = "def f(a, b):\n    out = []\n    out.append(a)\n    out.append(b)\n    return out\n";
        assert_tier(src, R, Severity::Hint, "`out.extend((a, b))`");
        assert_tier(src, R, Severity::Hint, "this works");
        let found = findings(src, R);
        assert_eq!(&src[found[0].range], "out.append(a)\n    out.append(b)");
        // One finding per run, however long.
        let src = "xs = [0]\nxs.append(1)\nxs.append(2)\nxs.append(3)\nprint(xs)\nxs.append(4)\nxs.append(5)\n";
        assert_count(src, R, 2);
        assert_tier("out: list[str] = []\nout.append('a'); out.append('b')\n", R, Severity::Hint, "2 times");
    }

    #[test]
    fn ignores_single_appends_other_receivers_and_interruptions() {
        assert_clean("out = []\nout.append(1)\nprint(out)\nout.append(2)\n", R);
        assert_clean("out = []\nother = []\nout.append(1)\nother.append(2)\nout.append(3)\n", R);
        // Not known to be lists.
        assert_clean("def f(out):\n    out.append(1)\n    out.append(2)\n", R);
        assert_clean("import collections\nd = collections.deque()\nd.append(1)\nd.append(2)\n", R);
        assert_clean("out = []\nout = make()\nout.append(1)\nout.append(2)\n", R);
        assert_clean(
            "class C:\n    def f(self):\n        self.xs = []\n        self.xs.append(1)\n        self.xs.append(2)\n",
            R,
        );
        // Other calls.
        assert_clean("out = []\nout.append(1, 2)\nout.append(*xs)\nout.add(3)\nout.add(4)\n", R);
    }

    #[test]
    fn an_item_that_reads_the_list_splits_the_run() {
        assert_clean("out = [1]\nout.append(2)\nout.append(len(out))\n", R);
        let src = "out = [1]\nout.append(2)\nout.append(3)\nout.append(out[-1] + 1)\nout.append(9)\n";
        let found = findings(src, R);
        assert_eq!(found.len(), 2, "{found:#?}");
        assert_eq!(&src[found[0].range], "out.append(2)\nout.append(3)");
        assert_eq!(&src[found[1].range], "out.append(out[-1] + 1)\nout.append(9)");
    }

    #[test]
    fn fix_extends_once_and_keeps_the_output() {
        let src = "def f(a, b):\n    out = [0]\n    out.append(a)\n    out.append(b * 2)\n    out.append(x for x in 'ab')\n    return out\n";
        let fixed_text = fixed(src, R);
        assert_eq!(
            fixed_text,
            "def f(a, b):\n    out = [0]\n    out.extend((a, b * 2, (x for x in 'ab')))\n    return out\n"
        );
        assert_eq!(first_fix_applicability(src, R), Some(Applicability::Unsafe));
        let src = "c = 0\nout = []\nout.append(1)\nout.append(lambda: 2)\nout.append(3 if c else 4)\nprint(out[0], out[1](), out[2])\n";
        assert_fix_keeps_output(src, R, "");
    }

    #[test]
    fn long_runs_go_one_item_per_line() {
        let src = "def report(user, orders):\n    lines = []\n    lines.append(f'Report for {user.name} ({user.email})')\n    lines.append(f'{len(orders)} orders in total')\n    return lines\n";
        let fixed_text = fixed(src, R);
        assert_eq!(
            fixed_text,
            "def report(user, orders):\n    lines = []\n    lines.extend((\n        f'Report for {user.name} ({user.email})',\n        f'{len(orders)} orders in total',\n    ))\n    return lines\n"
        );
        let driver = "class U:\n    name, email = 'a', 'b'\nprint(report(U, [1, 2]))\n";
        assert_fix_keeps_output(src, R, driver);
    }

    #[test]
    fn no_fix_with_comments_or_multi_line_items() {
        for src in [
            "out = []\nout.append(1)\n# two\nout.append(2)\n",
            "out = []\nout.append(1)  # one\nout.append(2)\n",
            "out = []\nout.append(1)\nout.append(f(\n    2))\n",
        ] {
            let found = findings(src, R);
            assert_eq!(found.len(), 1, "{src}");
            assert!(found[0].fix.is_none(), "{src}");
        }
    }

    #[test]
    fn card_examples() {
        assert_card_examples(R);
    }

    #[test]
    fn half_typed_code_does_not_panic() {
        for src in [
            "out = []\nout.append(1)\nout.append(",
            "out = []\nout.append(1)\nout.append()\n",
            "out = [\nout.append(1)\nout.append(2)\n",
            "out.append(1)\nout.append(2)\n",
        ] {
            let _ = findings(src, R);
        }
    }
}
