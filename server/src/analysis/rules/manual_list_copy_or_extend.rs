//! `manual-list-copy-or-extend` (peer: Ruff PERF402). `for x in items: out.append(x)` adds every
//! item of an iterable one call at a time: `out.extend(items)` says the same in one call, and
//! `out = list(items)` when `out` was created empty just before. The loop works; nothing goes
//! wrong that the rule can see, so it reports a hint whose message says so.
//!
//! Shape, on the finished model (the loop is deferred until every read is known): a synchronous
//! `for` whose target is a name and whose whole body is `<list>.append(<that name>)`, with no
//! condition (a filtered copy is `manual-list-comprehension`'s shape). The list is known to be a
//! list and is the only binding of its name in the scope before the loop (or a list of an
//! enclosing scope this function never binds), as `manual-list-comprehension` requires.
//!
//! Not reported: the iterable reads the list (`for x in out:` never ends; `for x in
//! reversed(out)` copies from a list that grows); the loop variable is read after the loop, by a
//! closure, or by an outer loop's next pass (the rewrite no longer binds it); a list that a nested
//! function defined before the loop also appends to or reads (a generator being iterated may log
//! to it meanwhile); `async for` (no `extend` takes an async iterable); test code (a `test*`
//! function, a method of a `Test*` / `*Test(s)` class). There a loop that copies an iterable by
//! hand is usually exercising that iterable's iteration, the `for` statement's `__iter__` /
//! `__getitem__` path (`test_row_iteration`, a test of exception propagation through a sequence
//! iterator), and `list()` / `extend` take another path: they ask `__len__` /
//! `__length_hint__` first and iterate in C, so the rewrite would change what the test tests.
//!
//! Fix (unsafe: the loop variable no longer exists after the loop, and another name for the same
//! list in the iterable would now be copied once instead of looping forever):
//! `out = list(items)` when `out = []` is the statement just before the loop, `out.extend(items)`
//! otherwise. None with comments in the loop, an `else:`, or `list` / the list's `extend` not the
//! builtin (`list` rebound).

use ruff_python_ast::{Expr, ExprCall, ExprName, Stmt, StmtFor};
use ruff_text_size::{Ranged, TextRange};

use super::helpers::appends::{Origin, assignment_target, empty_list_just_before, list_origin, shared_with_a_closure};
use super::helpers::handlers::in_test;
use super::helpers::loops::{is_read_in, loop_header, short, target_bindings, target_read_outside, wrap_if_needed};
use crate::analysis::checker::Checker;
use crate::analysis::finding::{Edit, Finding, Fix, Severity};
use crate::analysis::rule::Rule;
use crate::analysis::semantic::NodeId;

/// During the walk, at a `for` statement: a copy loop is looked at again once every read is known.
pub(crate) fn check(checker: &mut Checker, for_stmt: &StmtFor) {
    if match_copy_loop(for_stmt).is_some()
        && let Some(node) = checker.node_id()
    {
        checker.defer(Rule::ManualListCopyOrExtend, node);
    }
}

/// The parts of `for <t> in <it>: <list>.append(<t>)`.
struct CopyLoop<'a> {
    list: &'a ExprName,
    call: &'a ExprCall,
}

fn match_copy_loop(for_stmt: &StmtFor) -> Option<CopyLoop<'_>> {
    let Expr::Name(target) = &*for_stmt.target else { return None };
    let [Stmt::Expr(expr_stmt)] = for_stmt.body.as_slice() else { return None };
    let Expr::Call(call) = &*expr_stmt.value else { return None };
    let Expr::Attribute(attr) = &*call.func else { return None };
    let Expr::Name(list) = &*attr.value else { return None };
    let ([Expr::Name(item)], []) = (&*call.arguments.args, &*call.arguments.keywords) else { return None };
    let is_copy = !for_stmt.is_async
        && attr.attr.as_str() == "append"
        && !target.id.is_empty()
        && item.id == target.id
        && list.id != target.id
        && !list.id.is_empty();
    is_copy.then_some(CopyLoop { list, call })
}

/// After the walk, at the deferred `for` statement.
pub(crate) fn check_deferred(checker: &mut Checker, node: NodeId) {
    let model = checker.semantic();
    let Some(loop_stmt @ Stmt::For(for_stmt)) = model.node(node).as_stmt() else { return };
    let Some(copy) = match_copy_loop(for_stmt) else { return };
    let Some(list) = model.resolve_name(copy.list) else { return };
    let Some(origin) = list_origin(checker, list, for_stmt) else { return };
    let model = checker.semantic();
    // `for x in out` (or anything built from `out`) sees the list grow while it is copied.
    if is_read_in(model, list, for_stmt.iter.range()) {
        return;
    }
    let Some(targets) = target_bindings(model, &for_stmt.target) else { return };
    if target_read_outside(model, node, loop_stmt, &targets).is_some() {
        return;
    }
    if matches!(origin, Origin::Local) && shared_with_a_closure(checker, list, for_stmt) {
        return;
    }
    if in_test(checker) {
        return;
    }
    let merge_with = empty_list_just_before(checker, node, list, for_stmt);
    let name = copy.list.id.as_str();
    let header = loop_header(checker, &for_stmt.target, &for_stmt.iter);
    let items = short(checker, &for_stmt.iter);
    let message = match merge_with {
        Some(_) => format!(
            "`{header}` only appends each item to `{name}`, created empty just before: this works, and \
             `{name} = list({items})` makes the same copy in one call, faster"
        ),
        None => format!(
            "`{header}` only appends each item to `{name}`: this works, and `{name}.extend({items})` \
             adds them all in one call, faster"
        ),
    };
    let fix = fix(checker, for_stmt, name, merge_with);
    let finding = Finding::new(Rule::ManualListCopyOrExtend, copy.call.range(), message)
        .with_severity(Severity::Hint)
        .with_fix(fix);
    checker.report(finding);
}

fn fix(checker: &Checker, for_stmt: &StmtFor, name: &str, merge_with: Option<&Stmt>) -> Option<Fix> {
    let source = &checker.source;
    if !for_stmt.orelse.is_empty() || source.has_comments(for_stmt.range()) {
        return None;
    }
    // `for x in a, b:` iterates a tuple: `extend((a, b))`.
    let items = wrap_if_needed(source.slice(&*for_stmt.iter), &for_stmt.iter);
    match merge_with {
        Some(init) => {
            if checker.lookup("list").is_some() {
                return None;
            }
            let lhs = assignment_target(checker, init, name);
            let edit = Edit::replace(TextRange::new(init.start(), for_stmt.end()), format!("{lhs} = list({items})"));
            Fix::unsafe_(format!("Replace the loop with `{name} = list(...)`"), vec![edit])
        }
        None => {
            let edit = Edit::replace(for_stmt.range(), format!("{name}.extend({items})"));
            Fix::unsafe_(format!("Replace the loop with `{name}.extend(...)`"), vec![edit])
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use crate::analysis::finding::{Applicability, Severity};
    use crate::analysis::rule::Rule::ManualListCopyOrExtend as R;

    #[test]
    fn flags_copy_loops() {
        let src = "def f(xs):\n    out = []\n    for x in xs:\n        out.append(x)\n    return out\n";
        assert_tier(src, R, Severity::Hint, "`out = list(xs)`");
        assert_tier(src, R, Severity::Hint, "this works");
        let found = findings(src, R);
        assert_eq!(&src[found[0].range], "out.append(x)");
        // Pre-filled, a parameter annotated as a list, a list of the enclosing scope.
        let src = "def f(xs):\n    out = [0]\n    for x in xs:\n        out.append(x)\n    return out\n";
        assert_tier(src, R, Severity::Hint, "`out.extend(xs)`");
        assert_count("def f(xs, out: list[int]):\n    for x in xs:\n        out.append(x)\n", R, 1);
        assert_count("out = []\ndef f(xs):\n    for x in xs:\n        out.append(x)\n", R, 1);
        // Created empty earlier, with other code in between: `extend`.
        let src = "def f(xs):\n    out = []\n    log(xs)\n    for x in xs:\n        out.append(x)\n    return out\n";
        assert_tier(src, R, Severity::Hint, "`out.extend(xs)`");
    }

    #[test]
    fn ignores_other_loop_shapes() {
        // Transformed or filtered items are manual-list-comprehension's shape.
        assert_clean("def f(xs):\n    out = []\n    for x in xs:\n        out.append(x + 1)\n", R);
        assert_clean("def f(xs):\n    out = []\n    for x in xs:\n        if x:\n            out.append(x)\n", R);
        assert_clean("def f(xs):\n    out = []\n    for x in xs:\n        out.append(x)\n        print(x)\n", R);
        assert_clean("def f(xs):\n    out = []\n    for k, v in xs:\n        out.append(k)\n", R);
        assert_clean("def f(xs):\n    out = []\n    for x in xs:\n        out.insert(0, x)\n", R);
        assert_clean("async def f(xs):\n    out = []\n    async for x in xs:\n        out.append(x)\n", R);
    }

    #[test]
    fn ignores_unknown_or_rebound_lists() {
        assert_clean("def f(xs, out):\n    for x in xs:\n        out.append(x)\n", R);
        assert_clean("def f(xs):\n    out = deque()\n    for x in xs:\n        out.append(x)\n", R);
        assert_clean(
            "def f(xs, c):\n    out = []\n    if c:\n        out = [0]\n    for x in xs:\n        out.append(x)\n",
            R,
        );
        assert_clean("def f(xs):\n    global out\n    out = []\n    for x in xs:\n        out.append(x)\n", R);
    }

    #[test]
    fn ignores_iterables_that_read_the_list() {
        assert_clean("def f():\n    out = [1]\n    for x in out:\n        out.append(x)\n", R);
        assert_clean("def f():\n    out = [1]\n    for x in reversed(out):\n        out.append(x)\n", R);
        assert_clean("def f():\n    out = [1]\n    for x in out[:]:\n        out.append(x)\n", R);
    }

    #[test]
    fn ignores_when_the_loop_variable_is_still_needed() {
        assert_clean("def f(xs):\n    out = []\n    for x in xs:\n        out.append(x)\n    return out, x\n", R);
        assert_clean(
            "def f(xs):\n    def last():\n        return x\n    out = []\n    for x in xs:\n        out.append(x)\n    return last\n",
            R,
        );
        assert_clean(
            "def f(xss):\n    x = 0\n    for xs in xss:\n        print(x)\n        out = []\n        for x in xs:\n            out.append(x)\n",
            R,
        );
    }

    #[test]
    fn ignores_test_code() {
        let body = "        rows = []\n        for row in r:\n            rows.append(row)\n        check(rows)\n";
        assert_clean(&format!("class TestRows:\n    def check_rows(self, r):\n{body}"), R);
        assert_clean(&format!("class Other:\n    def test_rows(self, r):\n{body}"), R);
        assert_clean("def test_row_iteration(r):\n    rows = []\n    for row in r:\n        rows.append(row)\n", R);
        // Helpers of a test runner are not tests.
        assert_count(&format!("class Runner:\n    def _run_tests(self, r):\n{body}"), R, 1);
    }

    #[test]
    fn ignores_lists_a_closure_appends_to_during_the_loop() {
        let src = "def run():\n    trace = []\n    def g():\n        trace.append('start')\n        yield 1\n    for x in g():\n        trace.append(x)\n    return trace\n";
        assert_clean(src, R);
    }

    #[test]
    fn fix_makes_a_list_or_extends_and_keeps_the_output() {
        let src = "def f(xs):\n    out = []\n    for x in xs:\n        out.append(x)\n    return out\n";
        let fixed_text = assert_fix_keeps_output(src, R, "print(f(range(4)), f('ab'), f({1: 2}), f([]))\n");
        assert_eq!(fixed_text, "def f(xs):\n    out = list(xs)\n    return out\n");
        assert_eq!(first_fix_applicability(src, R), Some(Applicability::Unsafe));
        let src = "def f(xs):\n    out = [0]\n    for x in xs:\n        out.append(x)\n    return out\n";
        let fixed_text = assert_fix_keeps_output(src, R, "print(f(range(4)), f(x * 2 for x in 'ab'))\n");
        assert_eq!(fixed_text, "def f(xs):\n    out = [0]\n    out.extend(xs)\n    return out\n");
        // A tuple iterable keeps its parentheses; an annotation stays.
        let src = "a, b = 1, 2\nout: list[int] = []\nfor x in a, b:\n    out.append(x)\nprint(out)\n";
        let fixed_text = assert_fix_keeps_output(src, R, "");
        assert_eq!(fixed_text, "a, b = 1, 2\nout: list[int] = list((a, b))\nprint(out)\n");
        let src = "out = [9]\nfor x in 1, 2:\n    out.append(x)\nprint(out)\n";
        assert_eq!(assert_fix_keeps_output(src, R, ""), "out = [9]\nout.extend((1, 2))\nprint(out)\n");
    }

    #[test]
    fn no_fix_with_comments_an_else_or_a_rebound_list_builtin() {
        for src in [
            "out = []\nfor x in xs:\n    # copy\n    out.append(x)\n",
            "out = []\nfor x in xs:\n    out.append(x)\nelse:\n    pass\n",
            "list = type([])\nout = []\nfor x in xs:\n    out.append(x)\n",
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
            "out = []\nfor x in :\n    out.append(x)\n",
            "for in xs:\n    .append(x)\n",
            "out = []\nfor x in xs:\n    out.append(x\n",
            "def f(:\n    out = []\n    for x in xs:\n        out.append(x)\n",
        ] {
            let _ = findings(src, R);
        }
    }
}
