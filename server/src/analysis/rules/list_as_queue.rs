//! `list-as-queue` (no Ruff or Pylint peer). `items.pop(0)` and `items.insert(0, x)` on a list move
//! every other item one place, O(len(items)) per call; `collections.deque` does both ends in O(1)
//! (`popleft`, `appendleft`). In a loop that drains or builds the list this way the loop is O(n²).
//!
//! Detection: a call `X.pop(0)` or `X.insert(0, v)` where `X` is a name bound, in the same function
//! (or module, or class body), to a list the code makes there (a display, `list(...)`, a
//! comprehension; every binding of the name makes a list), inside a `for` body or a `while` test or
//! body that starts after the list is made.
//!
//! Tiers:
//! - warning, when the loop shows the list is a work queue: `pop(0)` in a loop that also appends
//!   to `X` (a FIFO queue, e.g. breadth-first search), where the items waiting grow with the work.
//!   The message names the append.
//! - hint, otherwise, with the shape the message names: a `while` loop that pops `X` until it is
//!   empty, `insert(0, v)` on every pass, a `pop(0)` guarded by a length test against a number (a
//!   bounded window), or a loop over an attribute or `*args`. Read in the corpus, such lists are
//!   mostly a few items long (a class's MRO, the parts of a version string, a chain of parents),
//!   so the O(n²) is stated with the size it depends on, not as harm shown.
//!
//! Not reported: one-off calls outside loops, loops over a literal of at most eight items or
//! `range(<n <= 8>)`, lists built from a literal of at most eight items that the loop does not
//! grow, `pop()` / `pop(-1)` / `insert(len(X), v)` (O(1) at the end), parameters and attributes (the
//! list may be shared or of another type), and test code (a `test*` function, a `Test*` /
//! `*Test(s)` class): its lists are small, and a list is there on purpose as the reference a
//! deque is checked against (CPython's `test_deque`).
//!
//! Fix (unsafe: a deque has no slicing or `sort`, indexing the middle is O(n), and its type shows
//! in `repr`, JSON and `isinstance` checks): rebind `X` to `collections.deque(...)` and rewrite
//! `X.pop(0)` -> `X.popleft()`, `X.insert(0, v)` -> `X.appendleft(v)` everywhere. Offered only when
//! `X` has one binding and every use of it is one a deque supports the same way (its methods,
//! `len`, truth tests, iteration, `in`, `X[0]` / `X[-1]`), and it does not leave the function.

use ruff_python_ast::{Expr, ExprCall, Number, Stmt, UnaryOp};
use ruff_text_size::{Ranged, TextRange};

use super::helpers::containers::{
    ListOrigin, Repeat, SMALL_LITERAL, iterates_data, local_list, repeating_after, runs_few_times, same_frame,
};
use super::helpers::handlers::in_test;
use super::helpers::messages::shown_call;
use crate::analysis::checker::{Checker, Frame};
use crate::analysis::finding::{Edit, Finding, Fix, Severity};
use crate::analysis::helpers;
use crate::analysis::rule::Rule;
use crate::analysis::semantic::{BindingId, NodeId, NodeRef, SemanticModel, Use};

/// During the walk: `X.pop(0)` / `X.insert(0, v)` in a loop is looked at again once every use of
/// `X` is known.
pub(crate) fn check(checker: &mut Checker, call: &ExprCall) {
    if front_call(call).is_none() || in_test(checker) {
        return;
    }
    let Some(node) = checker.node_id() else { return };
    let in_loop = matches!(checker.frames().next(), Some(Frame::Loop(_)))
        || matches!(checker.semantic().statement(node), Some(Stmt::While(_)));
    if in_loop {
        checker.defer(Rule::ListAsQueue, node);
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Front {
    Pop,
    Insert,
}

/// `X.pop(0)` or `X.insert(0, v)`: which, and the name `X`.
fn front_call(call: &ExprCall) -> Option<(Front, &ruff_python_ast::ExprName)> {
    let Expr::Attribute(attr) = &*call.func else { return None };
    let Expr::Name(name) = &*attr.value else { return None };
    if !call.arguments.keywords.is_empty() {
        return None;
    }
    let front = match (attr.attr.as_str(), call.arguments.args.as_ref()) {
        ("pop", [index]) if is_zero(index) => Front::Pop,
        ("insert", [index, value]) if is_zero(index) && !value.is_starred_expr() => Front::Insert,
        _ => return None,
    };
    Some((front, name))
}

fn is_zero(expr: &Expr) -> bool {
    matches!(expr, Expr::NumberLiteral(n) if matches!(&n.value, Number::Int(i) if i.as_u8() == Some(0)))
}

pub(crate) fn check_deferred(checker: &mut Checker, node: NodeId) {
    let model = checker.semantic();
    let Some(Expr::Call(call)) = model.node(node).as_expr() else { return };
    let Some((front, name)) = front_call(call) else { return };
    let Some((binding, origin)) = local_list(checker, name) else { return };
    if !same_frame(model, node, binding) {
        return;
    }
    let Some(made) = model.binding(binding).source.map(|s| model.node(s).range()) else { return };
    let Some(repeat @ Repeat::Loop(loop_id, loop_stmt)) = repeating_after(model, node, made) else { return };
    if runs_few_times(checker, repeat) {
        return;
    }
    let list = name.id.as_str();
    let growth = match change_in_besides(model, binding, repeat.range()) {
        Some(growth) => growth,
        None => return,
    };
    if front == Front::Pop && growth.is_none() && matches!(origin, ListOrigin::Literal(n) if n <= SMALL_LITERAL) {
        return;
    }
    let line = |r: TextRange| checker.source.line_number(r.start());
    let shown = shown_call(checker, call);
    let cost = match front {
        Front::Pop => {
            format!("{shown} moves every remaining item of the list `{list}` one place left, O(len({list})) per call")
        }
        Front::Insert => {
            format!("{shown} moves every item of the list `{list}` one place right, O(len({list})) per call")
        }
    };
    let window = (front == Front::Pop).then(|| length_guard(checker, node, list)).flatten();
    let drains = match loop_stmt {
        Stmt::While(w) => model.name_loads_in(loop_id, list).any(|(_, load)| w.test.range().contains_range(load.range)),
        _ => false,
    };
    let data = iterates_data(checker, repeat);
    let unknown = format!("how long `{list}` gets is not known here (often a few items)");
    let (severity, evidence) = match (front, window, growth) {
        (Front::Pop, Some(limit), _) => (
            Severity::Hint,
            format!(
                "the `if` around it keeps the list at about {limit} items, so the cost is bounded; \
                 `collections.deque(maxlen={limit})` drops the oldest item by itself"
            ),
        ),
        (Front::Pop, None, Some(at)) => (
            Severity::Warning,
            format!(
                "this loop also appends to it (line {}), so it is a FIFO work queue and n items cost O(n²) to pass \
                 through; `collections.deque` does this in O(1) with `popleft()`",
                line(at)
            ),
        ),
        (Front::Pop, None, None) if drains => (
            Severity::Hint,
            format!(
                "this `while` loop pops until `{list}` is empty, O(n²) for n items, and {unknown}; \
                 `collections.deque` pops from the front in O(1) with `popleft()`"
            ),
        ),
        (Front::Insert, _, _) if data => (
            Severity::Hint,
            format!(
                "every pass of this {} adds an item at the front, O(n²) for n items, and {unknown}; \
                 `collections.deque` adds at the front in O(1) with `appendleft(v)`, or append and reverse once",
                repeat.kind()
            ),
        ),
        _ => (
            Severity::Hint,
            format!("{unknown}; if it can be long, this loop is O(n²) and a `collections.deque` makes each call O(1)"),
        ),
    };
    let message = format!("{cost}: {evidence}");
    let fix = deque_fix(checker, binding);
    checker.report(Finding::new(Rule::ListAsQueue, call.range(), message).with_severity(severity).with_fix(fix));
}

/// `Some(None)`: the loop does not grow the list; `Some(Some(at))`: it appends at `at`; `None`:
/// it changes the list in other ways than the front calls and appends (nothing to say then).
fn change_in_besides(model: &SemanticModel, binding: BindingId, range: TextRange) -> Option<Option<TextRange>> {
    let b = model.binding(binding);
    let mut appends = None;
    for other in model.bindings_of(b.scope, b.name) {
        if range.contains_range(model.binding(other).range) {
            return None;
        }
        for reference in model.references(other).filter(|r| range.contains_range(r.range)) {
            match model.use_of(reference) {
                Use::MethodCall { method: "append" | "extend", .. } => {
                    appends.get_or_insert(reference.range);
                }
                Use::MethodCall { method: "pop" | "insert", call } if front_call(call).is_some() => {}
                _ => {}
            }
        }
    }
    // Anything else that changes it (sorting, slicing stores, removing) is another algorithm.
    let others_change = model.bindings_of(b.scope, b.name).any(|other| {
        model.references(other).filter(|r| range.contains_range(r.range)).any(|r| match model.use_of(r) {
            Use::MethodCall { method, call } => {
                !matches!(method, "append" | "extend" | "pop" | "insert")
                    && crate::analysis::semantic::uses::is_mutating_method(method)
                    || (matches!(method, "insert") && front_call(call).is_none())
            }
            Use::SubscriptStore | Use::Deleted => true,
            _ => false,
        })
    });
    (!others_change).then_some(appends)
}

/// `if len(X) > N:` (or `>=`) around the call: the list stays about `N` long.
fn length_guard(checker: &Checker, node: NodeId, list: &str) -> Option<String> {
    let model = checker.semantic();
    model.ancestors(node).find_map(|ancestor| {
        let NodeRef::Stmt(Stmt::If(if_stmt)) = ancestor else { return None };
        let Expr::Compare(compare) = &*if_stmt.test else { return None };
        let [right] = compare.comparators.as_ref() else { return None };
        let Expr::Call(len) = &*compare.left else { return None };
        let is_len = checker.resolves_to(&len.func, "builtins.len")
            && matches!(len.arguments.args.as_ref(), [Expr::Name(n)] if n.id.as_str() == list);
        (is_len && right.is_number_literal_expr()).then(|| checker.source.slice(right).to_string())
    })
}

/// Rebinds the list to a deque and rewrites the front calls, when every use allows it.
fn deque_fix(checker: &Checker, binding: BindingId) -> Option<Fix> {
    let model = checker.semantic();
    let b = model.binding(binding);
    if model.bindings_of(b.scope, b.name).count() != 1 || model.first_escape(binding).is_some() {
        return None;
    }
    let value = b.value?;
    let mut edits = Vec::new();
    for reference in model.references(binding) {
        match model.use_of(reference) {
            Use::MethodCall { call, .. } if front_call(call).is_some() => {
                let (front, _) = front_call(call)?;
                let Expr::Attribute(attr) = &*call.func else { return None };
                let replacement = match front {
                    Front::Pop => format!("{}.popleft()", b.name),
                    Front::Insert => {
                        format!("{}.appendleft({})", b.name, checker.source.slice(&call.arguments.args[1]))
                    }
                };
                edits.push(Edit::replace(TextRange::new(attr.value.start(), call.end()), replacement));
            }
            Use::MethodCall { method, call } => {
                let ok = match method {
                    "append" | "appendleft" | "extend" | "clear" | "count" | "remove" | "copy" | "reverse" => true,
                    "pop" => call.arguments.is_empty(),
                    _ => false,
                };
                if !ok {
                    return None;
                }
            }
            Use::Iterated => {}
            Use::Argument { call } if model.is_read_only_call(call) => {}
            Use::SubscriptLoad(sub) if is_end_index(&sub.slice) => {}
            Use::Read if is_test_or_membership(model, reference.node) => {}
            _ => return None,
        }
    }
    let (deque, import) = helpers::import_member(checker, "collections", "deque");
    let text = checker.source.slice(value);
    let rebound = match value {
        Expr::List(l) if l.elts.is_empty() => format!("{deque}()"),
        Expr::Call(call) if call.arguments.is_empty() => format!("{deque}()"),
        Expr::Call(call) => format!("{deque}{}", checker.source.slice(&call.arguments)),
        _ => format!("{deque}({text})"),
    };
    edits.push(Edit::replace(value.range(), rebound));
    edits.extend(import);
    Fix::unsafe_(format!("Make `{}` a `collections.deque`", b.name), edits)
}

/// `0` or `-1`: the ends, which a deque indexes in O(1).
fn is_end_index(index: &Expr) -> bool {
    match index {
        Expr::UnaryOp(u) if u.op == UnaryOp::USub => {
            matches!(&*u.operand, Expr::NumberLiteral(n) if matches!(&n.value, Number::Int(i) if i.as_u8() == Some(1)))
        }
        other => is_zero(other),
    }
}

/// `while X:`, `if not X:`, `X and ...`, `v in X`: uses a deque answers the same way.
fn is_test_or_membership(model: &SemanticModel, node: NodeId) -> bool {
    let Some(parent) = model.parent_id(node) else { return false };
    let expr = model.node(node);
    match model.node(parent) {
        NodeRef::Stmt(Stmt::While(w)) => NodeRef::Expr(&w.test).is(expr),
        NodeRef::Stmt(Stmt::If(i)) => NodeRef::Expr(&i.test).is(expr),
        NodeRef::Expr(Expr::UnaryOp(u)) => u.op == UnaryOp::Not,
        NodeRef::Expr(Expr::If(i)) => NodeRef::Expr(&i.test).is(expr),
        NodeRef::Expr(Expr::BoolOp(_)) => true,
        NodeRef::Expr(Expr::Compare(c)) => {
            c.ops.len() == 1
                && matches!(c.ops[0], ruff_python_ast::CmpOp::In | ruff_python_ast::CmpOp::NotIn)
                && c.comparators.first().is_some_and(|r| NodeRef::Expr(r).is(expr))
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use crate::analysis::finding::{Applicability, Severity};
    use crate::analysis::rule::Rule::ListAsQueue as R;

    const BFS: &str = "def bfs(graph, start):\n    order = []\n    queue = [start]\n    seen = {start}\n    while queue:\n        node = queue.pop(0)\n        order.append(node)\n        for nxt in graph[node]:\n            if nxt not in seen:\n                seen.add(nxt)\n                queue.append(nxt)\n    return order\n";

    #[test]
    fn warning_for_a_fifo_queue_hint_for_a_drained_list_and_front_inserts() {
        assert_tier(BFS, R, Severity::Warning, "this loop also appends to it (line 11), so it is a FIFO work queue");
        let src = "def f(items):\n    todo = list(items)\n    while todo:\n        print(todo.pop(0))\n";
        assert_tier(
            src,
            R,
            Severity::Hint,
            "this `while` loop pops until `todo` is empty, O(n²) for n items, and how long `todo` gets is not known here",
        );
        let src = "def f(items):\n    out = []\n    for x in items:\n        out.insert(0, x)\n    return out\n";
        assert_tier(src, R, Severity::Hint, "every pass of this `for` loop adds an item at the front");
        let msg = message(BFS, R);
        assert!(
            msg.starts_with(
                "`queue.pop(0)` moves every remaining item of the list `queue` one place left, O(len(queue)) per call"
            ),
            "{msg}"
        );
    }

    #[test]
    fn hint_when_the_length_is_not_shown() {
        let src = "def f(items, n):\n    buf = list(items)\n    for _ in range(n):\n        use(buf.pop(0))\n";
        assert_tier(src, R, Severity::Hint, "how long `buf` gets is not known here");
        let src = "def f(items):\n    window = []\n    for x in items:\n        window.append(x)\n        if len(window) > 50:\n            window.pop(0)\n";
        assert_tier(src, R, Severity::Hint, "keeps the list at about 50 items");
        let src = "def f(self):\n    out = []\n    for x in self.parts:\n        out.insert(0, x)\n    return out\n";
        assert_tier(src, R, Severity::Hint, "not known here");
    }

    #[test]
    fn ignores_end_calls_one_offs_short_literals_and_foreign_lists() {
        assert_clean(
            "def f(items):\n    todo = list(items)\n    while todo:\n        todo.pop()\n        todo.pop(-1)\n",
            R,
        );
        assert_clean("def f(items):\n    todo = list(items)\n    first = todo.pop(0)\n    return first\n", R);
        assert_clean("def f():\n    todo = [1, 2, 3]\n    while todo:\n        todo.pop(0)\n", R);
        assert_clean("def f(todo):\n    while todo:\n        todo.pop(0)\n", R);
        assert_clean("def f(self):\n    while self.todo:\n        self.todo.pop(0)\n", R);
        // A test checking a deque against a list.
        assert_clean(
            "def test_popleft(d):\n    l = list(d)\n    while l:\n        assert d.popleft() == l.pop(0)\n        l.append(1)\n",
            R,
        );
        assert_clean("def f(items):\n    todo = list(items)\n    for x in (1, 2):\n        todo.pop(0)\n", R);
        assert_clean(
            "def f(items):\n    todo = list(items)\n    while todo:\n        todo.pop(0)\n        todo.sort()\n",
            R,
        );
        // A list made again on every pass, a nested function.
        assert_clean("def f(items):\n    for x in items:\n        todo = list(x)\n        todo.pop(0)\n", R);
        assert_clean(
            "def f(items):\n    todo = list(items)\n    for x in items:\n        def g():\n            todo.pop(0)\n",
            R,
        );
    }

    #[test]
    fn fix_makes_the_list_a_deque() {
        let fixed_text = assert_fix_keeps_output(BFS, R, "print(bfs({1: [2, 3], 2: [4], 3: [4], 4: []}, 1))\n");
        assert_eq!(
            fixed_text,
            BFS.replace("queue = [start]", "queue = collections.deque([start])")
                .replace("queue.pop(0)", "queue.popleft()")
                .replacen("def bfs", "import collections\ndef bfs", 1)
        );
        assert_eq!(first_fix_applicability(BFS, R), Some(Applicability::Unsafe));
        let src = "from collections import deque\ndef f(items):\n    out = []\n    for x in items:\n        out.insert(0, x * 2)\n    return list(out)\n";
        assert_eq!(
            assert_fix_keeps_output(src, R, "print(f([1, 2, 3]))\n"),
            "from collections import deque\ndef f(items):\n    out = deque()\n    for x in items:\n        out.appendleft(x * 2)\n    return list(out)\n"
        );
        let src = "def f(items):\n    todo = list(items)\n    while todo:\n        print(todo.pop(0), len(todo), todo[0] if todo else None)\n";
        assert!(fixed(src, R).contains("todo = collections.deque(items)"));
        assert_fix_keeps_output(src, R, "f('abc')\n");
    }

    #[test]
    fn no_fix_when_a_use_needs_a_list() {
        for src in [
            "def f(items):\n    todo = list(items)\n    while todo:\n        todo.pop(0)\n    return todo\n",
            "def f(items):\n    todo = list(items)\n    while todo:\n        todo.pop(0)\n        print(todo[1:])\n",
            "def f(items):\n    todo = list(items)\n    if x:\n        todo = []\n    while todo:\n        todo.pop(0)\n",
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
        for src in
            ["q = []\nwhile q:\n    q.pop(0", "q = list(\nfor x in y:\n    q.insert(0,)\n", "q = []\nwhile q.pop(0):\n"]
        {
            let _ = findings(src, R);
        }
    }
}
