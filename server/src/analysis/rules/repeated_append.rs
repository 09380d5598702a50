//! `repeated-append` (peer: Ruff FURB113, preview). A block of `out.append(...)` statements adds
//! known items one call at a time: `out.extend((a, b, c))` adds them in one call, and
//! `out = [a, b, c]` says it outright when `out = []` is the statement just before. The code
//! works; nothing goes wrong that the rule can see, so it reports a hint whose message says so.
//!
//! Shape, on the finished model: at least [`MIN_RUN`] consecutive expression statements
//! `X.append(<item>)` (one positional argument) on the same name, in one block, where `X` is known
//! to be a list (every binding of the name in its scope a list display, comprehension,
//! `list(...)` or `list` annotation: a `deque` or a user class has its own `append`).
//!
//! Narrower than the catalogue row (two or more) and than FURB113: on the corpus, pairs of appends
//! were mostly a list built line by line (a header and a blank line, a flag and its value, one
//! step then the next) where one `extend` reads no better, so a pair is not reported. A blank
//! line or a comment on its own line between two appends ends the run too: the author set them
//! apart as separate steps (often each with its comment), which the card itself says to keep.
//!
//! Not reported: an append whose item reads the list (`out.append(len(out))` sees the earlier
//! appends; batching them would change its value), which also ends the run; receivers that are
//! attributes (`self.items`: their type is not known here). Test code is treated like any code.
//!
//! Fix (unsafe: if evaluating a later item raises, the earlier items are no longer appended, and
//! an item that reads the list through other code sees it earlier): the run becomes
//! `X.extend((<a>, <b>, ...))`, or `X = [<a>, <b>, ...]` replacing the `X = []` just before, on
//! one line or one item per line when that would be long. None with comments among the
//! statements or an item that spans lines.

use ruff_python_ast::token::TokenKind;
use ruff_python_ast::{Expr, ExprName, Stmt, StmtExpr};
use ruff_text_size::{Ranged, TextRange, TextSize};

use super::helpers::appends::{assignment_target, empty_list_value};
use super::helpers::idioms::is_known_list;
use super::helpers::loops::{is_read_in, wrap_if_needed};
use crate::analysis::checker::Checker;
use crate::analysis::finding::{Edit, Finding, Fix, Severity};
use crate::analysis::rule::Rule;
use crate::analysis::semantic::NodeId;

/// The fewest appends in a row the rule reports.
const MIN_RUN: usize = 3;
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
    if !receiver_expr(first).is_some_and(|r| is_known_list(checker, r)) {
        return;
    }
    let mut runs: Vec<Vec<(&Stmt, &Expr)>> = vec![Vec::new()];
    for stmt in &suite[index..] {
        let Some((r, item)) = append_of(stmt) else { break };
        // Same name, same binding (a walrus in an item could rebind it).
        if r.id != receiver.id || model.resolve_name(r) != Some(list) {
            break;
        }
        let current = runs.last().expect("runs starts non-empty");
        // An item that reads the list sees the appends before it, and a blank line or a comment
        // line between two appends makes them separate steps: a new run starts there.
        let split = current.last().is_some_and(|(previous, _)| {
            is_read_in(model, list, item.range()) || separated(checker, previous.end(), stmt.start())
        });
        if split {
            runs.push(Vec::new());
        }
        runs.last_mut().expect("runs is non-empty").push((stmt, item));
    }
    // `X = []` right before the first run: a display says it all.
    let init = index
        .checked_sub(1)
        .and_then(|i| suite.get(i))
        .filter(|init| {
            empty_list_value(init).is_some()
                && model
                    .binding(list)
                    .source
                    .and_then(|s| model.node(s).as_stmt())
                    .is_some_and(|s| std::ptr::eq(s, *init))
        })
        .filter(|init| !separated(checker, init.end(), first.start()))
        // `out = [len(out), ...]` would read the name before it is bound.
        .filter(|_| runs[0].first().is_none_or(|(_, item)| !is_read_in(model, list, item.range())));
    for (i, run) in runs.into_iter().enumerate().filter(|(_, run)| run.len() >= MIN_RUN) {
        let finding = report(checker, receiver.id.as_str(), &run, init.filter(|_| i == 0));
        checker.report(finding);
    }
}

/// Is there a blank line or a comment on its own line between two statements?
fn separated(checker: &Checker, end: TextSize, start: TextSize) -> bool {
    let source = &checker.source;
    let gap = TextRange::new(end, start);
    let breaks = source.slice(&gap).matches('\n').count();
    breaks > 1
        || source
            .tokens_in(gap)
            .iter()
            .any(|t| t.kind() == TokenKind::Comment && source.indentation_at(t.start()).is_some())
}

/// The receiver expression of an append statement (for the list test).
fn receiver_expr(stmt: &Stmt) -> Option<&Expr> {
    let Stmt::Expr(expr_stmt) = stmt else { return None };
    let Expr::Call(call) = &*expr_stmt.value else { return None };
    let Expr::Attribute(attr) = &*call.func else { return None };
    Some(&attr.value)
}

fn report(checker: &Checker, name: &str, run: &[(&Stmt, &Expr)], init: Option<&Stmt>) -> Finding {
    let source = &checker.source;
    let (first, last) = (run[0].0, run[run.len() - 1].0);
    let range = TextRange::new(first.start(), last.end());
    let items: Vec<String> = run.iter().map(|(_, item)| item_text(checker, item)).collect();
    let joined = items.join(", ");
    let short = joined.len() <= 50 && !joined.contains(['\n', '\r']);
    let message = match init {
        Some(_) => {
            let shown = if short { format!("{name} = [{joined}]") } else { format!("{name} = [...]") };
            format!(
                "`{name}` is created empty and then `{name}.append(...)` is called {} times in a row: this \
                 works, and `{shown}` builds the same list in one display",
                run.len()
            )
        }
        None => {
            let shown = if short { format!("{name}.extend(({joined}))") } else { format!("{name}.extend((...))") };
            format!(
                "`{name}.append(...)` is called {} times in a row: this works, and `{shown}` adds the items in \
                 one call",
                run.len()
            )
        }
    };
    let replaced = TextRange::new(init.map_or(first.start(), Ranged::start), last.end());
    let fix = (!source.has_comments(replaced) && !joined.contains(['\n', '\r']))
        .then(|| {
            let anchor = init.unwrap_or(first);
            let (open, close) = match init {
                Some(init) => (format!("{} = [", assignment_target(checker, init, name)), "]"),
                None => (format!("{name}.extend(("), "))"),
            };
            batched_text(checker, anchor, &open, close, &items, &joined)
        })
        .flatten()
        .and_then(|text| {
            let title = match init {
                Some(_) => format!("Build `{name}` with one list display"),
                None => format!("Replace with one `{name}.extend(...)`"),
            };
            Fix::unsafe_(title, vec![Edit::replace(replaced, text)])
        });
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

/// `<open>a, b<close>` on one line, or one item per line when that line would be long.
fn batched_text(
    checker: &Checker,
    anchor: &Stmt,
    open: &str,
    close: &str,
    items: &[String],
    joined: &str,
) -> Option<String> {
    let indent = checker.source.indentation_at(anchor.start())?;
    let one_line = format!("{open}{joined}{close}");
    if indent.len() + one_line.len() <= MAX_LINE {
        return Some(one_line);
    }
    let newline = checker.source.line_ending();
    let inner = format!("{indent}{}", checker.source.indent_unit());
    let mut text = format!("{open}{newline}");
    for item in items {
        text.push_str(&format!("{inner}{item},{newline}"));
    }
    text.push_str(&format!("{indent}{close}"));
    Some(text)
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use crate::analysis::finding::{Applicability, Severity};
    use crate::analysis::rule::Rule::RepeatedAppend as R;

    #[test]
    fn flags_runs_of_three_or_more_appends_to_a_list() {
        let src =
            "def f(a, b):\n    out = [0]\n    out.append(a)\n    out.append(b)\n    out.append(1)\n    return out\n";
        assert_tier(src, R, Severity::Hint, "`out.extend((a, b, 1))`");
        assert_tier(src, R, Severity::Hint, "this works");
        let found = findings(src, R);
        assert_eq!(&src[found[0].range], "out.append(a)\n    out.append(b)\n    out.append(1)");
        // One finding per run, however long.
        let src = "xs = [0]\nxs.append(1)\nxs.append(2)\nxs.append(3)\nprint(xs)\nxs.append(4)\nxs.append(5)\nxs.append(6)\nxs.append(7)\n";
        assert_count(src, R, 2);
        assert_tier(
            "out: list[str] = ['x']\nout.append('a'); out.append('b'); out.append('c')\n",
            R,
            Severity::Hint,
            "3 times",
        );
        // Created empty just before: a display.
        let src = "def f(a):\n    out = []\n    out.append(a)\n    out.append(a + 1)\n    out.append(a + 2)\n    return out\n";
        assert_tier(src, R, Severity::Hint, "`out = [a, a + 1, a + 2]` builds the same list in one display");
    }

    #[test]
    fn ignores_pairs_other_receivers_and_interruptions() {
        assert_clean("out = [1]\nout.append(2)\nout.append(3)\n", R);
        assert_clean("out = []\nout.append(1)\nout.append(2)\nprint(out)\nout.append(3)\n", R);
        assert_clean("out = []\nother = []\nout.append(1)\nout.append(2)\nother.append(2)\nout.append(3)\n", R);
        // Not known to be lists.
        assert_clean("def f(out):\n    out.append(1)\n    out.append(2)\n    out.append(3)\n", R);
        assert_clean("import collections\nd = collections.deque()\nd.append(1)\nd.append(2)\nd.append(3)\n", R);
        assert_clean("out = []\nout = make()\nout.append(1)\nout.append(2)\nout.append(3)\n", R);
        assert_clean(
            "class C:\n    def f(self):\n        self.xs = []\n        self.xs.append(1)\n        self.xs.append(2)\n        self.xs.append(3)\n",
            R,
        );
        // Other calls.
        assert_clean("out = []\nout.append(1, 2)\nout.append(*xs)\nout.add(3)\nout.add(4)\nout.add(5)\n", R);
    }

    #[test]
    fn blank_lines_and_comment_lines_separate_steps() {
        assert_clean("out = [0]\nout.append(1)\nout.append(2)\n\nout.append(3)\n", R);
        assert_clean("out = [0]\nout.append(1)\n# then\nout.append(2)\nout.append(3)\n", R);
        // A comment at the end of a line does not: the run is reported, with no fix (it would go).
        let src = "out = [0]\nout.append(1)  # one\nout.append(2)\nout.append(3)\n";
        let found = findings(src, R);
        assert_eq!(found.len(), 1);
        assert!(found[0].fix.is_none());
    }

    #[test]
    fn an_item_that_reads_the_list_ends_the_run() {
        assert_clean("out = [1]\nout.append(2)\nout.append(3)\nout.append(len(out))\n", R);
        let src = "out = [1]\nout.append(2)\nout.append(3)\nout.append(4)\nout.append(out[-1] + 1)\nout.append(9)\nout.append(8)\n";
        let found = findings(src, R);
        assert_eq!(found.len(), 2, "{found:#?}");
        assert_eq!(&src[found[0].range], "out.append(2)\nout.append(3)\nout.append(4)");
        assert_eq!(&src[found[1].range], "out.append(out[-1] + 1)\nout.append(9)\nout.append(8)");
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
        let src = "c = 0\nout = [0]\nout.append(1)\nout.append(lambda: 2)\nout.append(3 if c else 4)\nprint(out[1], out[2](), out[3])\n";
        assert_fix_keeps_output(src, R, "");
    }

    #[test]
    fn fix_builds_a_display_when_the_list_was_just_created_empty() {
        let src = "def f(a):\n    out: list[int] = []\n    out.append(a)\n    out.append(a + 1)\n    out.append(a + 2)\n    return out\n";
        let fixed_text = assert_fix_keeps_output(src, R, "print(f(1))\n");
        assert_eq!(fixed_text, "def f(a):\n    out: list[int] = [a, a + 1, a + 2]\n    return out\n");
        // The first item reads the list: it would not exist yet in a display.
        let src = "out = []\nout.append(len(out))\nout.append(2)\nout.append(3)\nprint(out)\n";
        assert_eq!(assert_fix_keeps_output(src, R, ""), "out = []\nout.extend((len(out), 2, 3))\nprint(out)\n");
        // A comment between the `out = []` and the appends: `extend`, keeping it.
        let src = "out = []\n# parts\nout.append(1)\nout.append(2)\nout.append(3)\n";
        assert_eq!(fixed(src, R), "out = []\n# parts\nout.extend((1, 2, 3))\n");
    }

    #[test]
    fn long_runs_go_one_item_per_line() {
        let src = "def report(user, orders):\n    lines = ['---']\n    lines.append(f'Report for {user.name} ({user.email})')\n    lines.append(f'{len(orders)} orders in total')\n    lines.append('---')\n    return lines\n";
        let fixed_text = fixed(src, R);
        assert_eq!(
            fixed_text,
            "def report(user, orders):\n    lines = ['---']\n    lines.extend((\n        f'Report for {user.name} ({user.email})',\n        f'{len(orders)} orders in total',\n        '---',\n    ))\n    return lines\n"
        );
        let driver = "class U:\n    name, email = 'a', 'b'\nprint(report(U, [1, 2]))\n";
        assert_fix_keeps_output(src, R, driver);
    }

    #[test]
    fn no_fix_with_multi_line_items() {
        let src = "out = [0]\nout.append(1)\nout.append(2)\nout.append(f(\n    2))\n";
        let found = findings(src, R);
        assert_eq!(found.len(), 1, "{src}");
        assert!(found[0].fix.is_none(), "{src}");
    }

    #[test]
    fn card_examples() {
        assert_card_examples(R);
    }

    #[test]
    fn half_typed_code_does_not_panic() {
        for src in [
            "out = []\nout.append(1)\nout.append(",
            "out = []\nout.append(1)\nout.append(2)\nout.append()\n",
            "out = [\nout.append(1)\nout.append(2)\n",
            "out.append(1)\nout.append(2)\nout.append(3)\n",
        ] {
            let _ = findings(src, R);
        }
    }
}
