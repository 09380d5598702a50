//! `manual-index-counter` (peer: Ruff SIM113). `i = 0` before a loop and `i += 1` in it count the
//! passes by hand, the "Java in Python" habit: `for i, x in enumerate(xs):` hands out the index
//! with each item. The loop works; nothing goes wrong that the rule can see, so it reports a hint
//! whose message says so.
//!
//! Shape, on the finished model (the loop is deferred until every read is known): a synchronous
//! `for` with a top-level `i += 1` in its body (not under an `if`, not in a nested loop), where
//! `i` is a local bound by `i = <non-negative int literal>` (or that place of a tuple assigned to a
//! tuple, `best, i = None, 0`) in the same block before the loop, that
//! increment is the only binding of `i` inside the loop, and `i` is read in the body besides the
//! increment.
//!
//! Not reported: a `continue` of this loop before the increment (the counter then counts only
//! some passes, which `enumerate` does not); `i` read anywhere but the loop body (after the loop,
//! in its `else:`, between the `i = 0` and the loop, or on an outer loop's next pass): after the
//! loop the counter holds the number of passes, `enumerate`'s index one less, and nothing for an
//! empty iterable; `global` / `nonlocal` counters (other code sees them); `async for` (`enumerate`
//! takes no async iterable); other steps (`i += 2`). Test code is treated like any code.
//!
//! Fix (unsafe: code the model cannot see, such as `locals()` or another module reading a module
//! level counter, would notice that `i` is no longer bound before the loop): the header becomes
//! `for i, x in enumerate(xs):` (`start=` the initial value, plus one when every read follows the
//! increment), and the `i = 0` and `i += 1` lines go. None when reads come both before and after
//! the increment, when a closure reads `i`, when `enumerate` is rebound, or when either statement
//! does not stand alone on its line.

use ruff_python_ast::token::TokenKind;
use ruff_python_ast::{Expr, ExprName, Number, Operator, Stmt, StmtFor};
use ruff_text_size::{Ranged, TextRange};

use super::helpers::loops::{loop_header, target_read_outside, wrap_if_needed};
use crate::analysis::checker::Checker;
use crate::analysis::finding::{Edit, Finding, Fix, Severity};
use crate::analysis::helpers;
use crate::analysis::rule::Rule;
use crate::analysis::semantic::{BindingFlags, BindingId, BindingKind, NodeId, NodeRef};

/// During the walk, at a `for` statement with a top-level `name += 1`.
pub(crate) fn check(checker: &mut Checker, for_stmt: &StmtFor) {
    if !for_stmt.is_async
        && for_stmt.body.iter().any(|s| increment_of(s).is_some())
        && let Some(node) = checker.node_id()
    {
        checker.defer(Rule::ManualIndexCounter, node);
    }
}

/// `name += 1`: the counter's name.
fn increment_of(stmt: &Stmt) -> Option<&ExprName> {
    let Stmt::AugAssign(aug) = stmt else { return None };
    let Expr::Name(name) = &*aug.target else { return None };
    let Expr::NumberLiteral(one) = &*aug.value else { return None };
    (aug.op == Operator::Add && one.value == Number::Int(ruff_python_ast::Int::ONE) && !name.id.is_empty())
        .then_some(name)
}

pub(crate) fn check_deferred(checker: &mut Checker, node: NodeId) {
    let model = checker.semantic();
    let Some(loop_stmt @ Stmt::For(for_stmt)) = model.node(node).as_stmt() else { return };
    for increment in &for_stmt.body {
        let Some(counter) = increment_of(increment) else { continue };
        if let Some(finding) = examine(checker, node, loop_stmt, for_stmt, increment, counter) {
            checker.report(finding);
        }
    }
}

/// What the reads of the counter in the loop body show.
struct Reads {
    before_increment: bool,
    after_increment: bool,
    captured: bool,
}

fn examine(
    checker: &Checker,
    node: NodeId,
    loop_stmt: &Stmt,
    for_stmt: &StmtFor,
    increment: &Stmt,
    counter: &ExprName,
) -> Option<Finding> {
    let model = checker.semantic();
    let aug = model.nodes.binding(model.nodes.id_of_name(counter)?)?;
    let aug_binding = model.binding(aug);
    let shared = BindingFlags::GLOBAL | BindingFlags::NONLOCAL;
    if !matches!(aug_binding.kind, BindingKind::AugmentedAssignment)
        || aug_binding.range != counter.range
        || aug_binding.flags.intersects(shared)
        || aug_binding.scope != checker.scope()
    {
        return None;
    }
    let init = aug_binding.shadowed?;
    let (init_stmt, initial) = initial_value(checker, node, init)?;
    // The increment is the only binding of the counter in the loop.
    let in_loop = model
        .bindings_of(aug_binding.scope, aug_binding.name)
        .filter(|b| loop_stmt.range().contains_range(model.binding(*b).range))
        .count();
    if in_loop != 1 || has_continue_before(checker, node, increment) {
        return None;
    }
    let reads = body_reads(checker, for_stmt, increment, counter, [init, aug])?;
    if target_read_outside(model, node, loop_stmt, &[init, aug]).is_some() {
        return None;
    }
    let name = counter.id.as_str();
    let items = checker.source.slice(&*for_stmt.iter);
    let start = match (reads.before_increment, reads.after_increment) {
        (true, false) => Some(initial),
        (false, true) => initial.checked_add(1),
        _ => None,
    };
    let suggestion = match start {
        Some(0) | None => "enumerate(...)".to_string(),
        Some(n) => format!("enumerate(..., start={n})"),
    };
    let header = loop_header(checker, &for_stmt.target, &for_stmt.iter);
    let message = format!(
        "`{name}` counts the passes of `{header}` by hand (`{}` before the loop, `{name} += 1` in it): this \
         works, and `{suggestion}` hands out the index with each item, so the bookkeeping lines go",
        checker.source.shown(init_stmt)
    );
    let fix = match start {
        Some(start) if !reads.captured => enumerate_fix(checker, for_stmt, init_stmt, increment, name, items, start),
        _ => None,
    };
    Some(Finding::new(Rule::ManualIndexCounter, increment.range(), message).with_severity(Severity::Hint).with_fix(fix))
}

/// The `i = <n>` statement in the loop's own block before it, and `n`.
fn initial_value<'a>(checker: &Checker<'a>, node: NodeId, init: BindingId) -> Option<(&'a Stmt, u64)> {
    let model = checker.semantic();
    let binding = model.binding(init);
    if !matches!(binding.kind, BindingKind::Assignment | BindingKind::AnnotatedAssignment)
        || binding.flags.intersects(BindingFlags::GLOBAL | BindingFlags::NONLOCAL)
    {
        return None;
    }
    // `i = 0`, or `total, i = None, 0`.
    let Some(Expr::NumberLiteral(literal)) = model.assigned_value(init) else { return None };
    let Number::Int(value) = &literal.value else { return None };
    let value = value.as_u64()?;
    let stmt = model.node(binding.source?).as_stmt()?;
    let (suite, index) = model.suite_of(node)?;
    suite[..index].iter().any(|s| std::ptr::eq(s, stmt)).then_some((stmt, value))
}

/// A `continue` of this loop (not of a loop nested in it) before the increment skips it.
fn has_continue_before(checker: &Checker, node: NodeId, increment: &Stmt) -> bool {
    let model = checker.semantic();
    model.descendants(node).any(|id| {
        let NodeRef::Stmt(Stmt::Continue(stop)) = model.node(id) else { return false };
        // A `continue` in a loop's `else:` continues the loop around it.
        let in_body = |body: &[Stmt]| {
            body.first().is_some_and(|s| s.start() <= stop.start())
                && body.last().is_some_and(|s| stop.end() <= s.end())
        };
        let innermost = model.ancestor_ids(id).find(|a| match model.node(*a) {
            NodeRef::Stmt(Stmt::For(f)) => in_body(&f.body),
            NodeRef::Stmt(Stmt::While(w)) => in_body(&w.body),
            _ => false,
        });
        stop.start() < increment.start() && innermost == Some(node)
    })
}

/// The reads of the counter's bindings: `None` when one is outside the loop body, or when the
/// increment's own read is the only one.
fn body_reads(
    checker: &Checker,
    for_stmt: &StmtFor,
    increment: &Stmt,
    counter: &ExprName,
    bindings: [BindingId; 2],
) -> Option<Reads> {
    let model = checker.semantic();
    let body = TextRange::new(for_stmt.body.first()?.start(), for_stmt.body.last()?.end());
    let mut reads = Reads { before_increment: false, after_increment: false, captured: false };
    for binding in bindings {
        for reference in model.references(binding) {
            if !body.contains_range(reference.range) {
                return None;
            }
            if reference.range == counter.range {
                continue;
            }
            if reference.start() < increment.start() {
                reads.before_increment = true;
            } else {
                reads.after_increment = true;
            }
            reads.captured |= model.is_captured(reference, binding);
        }
    }
    (reads.before_increment || reads.after_increment).then_some(reads)
}

fn enumerate_fix(
    checker: &Checker,
    for_stmt: &StmtFor,
    init_stmt: &Stmt,
    increment: &Stmt,
    name: &str,
    items: &str,
    start: u64,
) -> Option<Fix> {
    let source = &checker.source;
    if checker.lookup("enumerate").is_some() {
        return None;
    }
    // Only `i = 0` / `i: int = 0` can go whole: `i = j = 0` also binds `j`.
    let single_target = match init_stmt {
        Stmt::Assign(assign) => matches!(assign.targets.as_slice(), [Expr::Name(_)]),
        Stmt::AnnAssign(assign) => assign.target.is_name_expr(),
        _ => false,
    };
    // `for (x) in (xs):` would need its parentheses rewritten too.
    let before = source.token_before(for_stmt.target.start()).map(|t| t.kind());
    let after = source.token_after(for_stmt.iter.end()).map(|t| t.kind());
    if !single_target || before != Some(TokenKind::For) || after != Some(TokenKind::Colon) {
        return None;
    }
    let target = match &*for_stmt.target {
        Expr::Tuple(t) if !t.parenthesized => format!("({})", source.slice(&*for_stmt.target)),
        other => source.slice(other).to_string(),
    };
    let iter = wrap_if_needed(items, &for_stmt.iter);
    let start_arg = if start == 0 { String::new() } else { format!(", start={start}") };
    let header = format!("{name}, {target} in enumerate({iter}{start_arg})");
    let edits = vec![
        Edit::replace(TextRange::new(for_stmt.target.start(), for_stmt.iter.end()), header),
        helpers::delete_statement(checker, init_stmt)?,
        helpers::delete_statement(checker, increment)?,
    ];
    Fix::unsafe_("Use `enumerate(...)` instead of the counter", edits)
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use crate::analysis::finding::{Applicability, Severity};
    use crate::analysis::rule::Rule::ManualIndexCounter as R;

    const BASIC: &str = "def show(items):\n    i = 0\n    for item in items:\n        print(i, item)\n        i += 1\n";

    #[test]
    fn flags_a_counter_read_in_the_body() {
        assert_tier(BASIC, R, Severity::Hint, "`i` counts the passes of `for item in items`");
        assert_tier(BASIC, R, Severity::Hint, "this works");
        let found = findings(BASIC, R);
        assert_eq!(&BASIC[found[0].range], "i += 1");
        // Read after the increment: `enumerate(..., start=1)`.
        let src = "def f(xs):\n    n = 0\n    for x in xs:\n        n += 1\n        print(n, x)\n";
        assert_tier(src, R, Severity::Hint, "start=1");
        // Another statement between the `i = 0` and the loop, an unpacking target, an annotation.
        let src = "def f(xs):\n    i: int = 0\n    total = 0\n    for a, b in xs:\n        total += a * i\n        i += 1\n    return total\n";
        assert_count(src, R, 1);
        // A counter bound by a tuple assignment.
        assert_count(
            "def f(xs):\n    best, i = None, 0\n    for x in xs:\n        print(best, i)\n        i += 1\n",
            R,
            1,
        );
        assert_clean(
            "def f(xs, pair):\n    best, i = pair\n    for x in xs:\n        print(best, i)\n        i += 1\n",
            R,
        );
        // Module level.
        assert_count("i = 0\nfor line in lines:\n    print(i, line)\n    i += 1\n", R, 1);
    }

    #[test]
    fn ignores_conditional_or_nested_increments_and_other_steps() {
        assert_clean(
            "def f(xs):\n    i = 0\n    for x in xs:\n        if x:\n            i += 1\n        print(i)\n",
            R,
        );
        assert_clean(
            "def f(xss):\n    i = 0\n    for xs in xss:\n        for x in xs:\n            i += 1\n        print(i)\n",
            R,
        );
        assert_clean("def f(xs):\n    i = 0\n    for x in xs:\n        print(i)\n        i += 2\n", R);
        // A second binding in the loop.
        assert_clean(
            "def f(xs):\n    i = 0\n    for x in xs:\n        print(i)\n        i += 1\n        if x:\n            i = 0\n",
            R,
        );
        assert_clean("async def f(xs):\n    i = 0\n    async for x in xs:\n        print(i)\n        i += 1\n", R);
    }

    #[test]
    fn ignores_a_continue_before_the_increment() {
        let src = "def f(xs):\n    i = 0\n    for x in xs:\n        if not x:\n            continue\n        print(i, x)\n        i += 1\n";
        assert_clean(src, R);
        // A `continue` after the increment, or of a nested loop, does not skip it.
        let src = "def f(xs):\n    i = 0\n    for x in xs:\n        print(i, x)\n        i += 1\n        if x:\n            continue\n";
        assert_count(src, R, 1);
        let src = "def f(xs):\n    i = 0\n    for x in xs:\n        for y in x:\n            if y:\n                continue\n        print(i)\n        i += 1\n";
        assert_count(src, R, 1);
        // ... but one in a nested loop's `else:` continues this loop.
        let src = "def f(xs):\n    i = 0\n    for x in xs:\n        for y in x:\n            if y:\n                break\n        else:\n            continue\n        print(i)\n        i += 1\n";
        assert_clean(src, R);
    }

    #[test]
    fn ignores_counters_used_outside_the_loop_body() {
        assert_clean("def f(xs):\n    i = 0\n    for x in xs:\n        print(i)\n        i += 1\n    return i\n", R);
        assert_clean(
            "def f(xs):\n    i = 0\n    for x in xs:\n        print(i)\n        i += 1\n    else:\n        print(i)\n",
            R,
        );
        assert_clean("def f(xs):\n    i = 0\n    print(i)\n    for x in xs:\n        print(x, i)\n        i += 1\n", R);
        // An outer loop reads what the previous pass counted.
        assert_clean(
            "def f(xss):\n    for xs in xss:\n        report(i)\n        i = 0\n        for x in xs:\n            print(i)\n            i += 1\n",
            R,
        );
        // Read only by the increment: a count that nothing uses.
        assert_clean("def f(xs):\n    i = 0\n    for x in xs:\n        print(x)\n        i += 1\n", R);
    }

    #[test]
    fn ignores_shared_or_unknown_counters() {
        assert_clean("def f(xs):\n    global i\n    i = 0\n    for x in xs:\n        print(i)\n        i += 1\n", R);
        assert_clean(
            "def f(xs):\n    i = 0\n    def g():\n        nonlocal i\n        for x in xs:\n            print(i)\n            i += 1\n",
            R,
        );
        assert_clean("def f(xs, i=0):\n    for x in xs:\n        print(i)\n        i += 1\n", R);
        assert_clean(
            "def f(xs, c):\n    if c:\n        i = 0\n    for x in xs:\n        print(i)\n        i += 1\n",
            R,
        );
        assert_clean("def f(xs):\n    i = 0.0\n    for x in xs:\n        print(i)\n        i += 1\n", R);
    }

    #[test]
    fn fix_uses_enumerate_and_keeps_the_output() {
        let fixed_text = assert_fix_keeps_output(BASIC, R, "show('abc')\nshow([])\n");
        assert_eq!(fixed_text, "def show(items):\n    for i, item in enumerate(items):\n        print(i, item)\n");
        assert_eq!(first_fix_applicability(BASIC, R), Some(Applicability::Unsafe));
        let src = "def f(xs):\n    n = 0\n    for x in xs:\n        n += 1\n        print(n, x)\n";
        let fixed_text = assert_fix_keeps_output(src, R, "f('ab')\n");
        assert_eq!(fixed_text, "def f(xs):\n    for n, x in enumerate(xs, start=1):\n        print(n, x)\n");
        let src = "def f(pairs):\n    row = 2  # header rows\n    for a, b in pairs:\n        print(row, a, b)\n        row += 1\n";
        let fixed_text = assert_fix_keeps_output(src, R, "f([(1, 2), (3, 4)])\n");
        assert_eq!(
            fixed_text,
            "def f(pairs):\n      # header rows\n    for row, (a, b) in enumerate(pairs, start=2):\n        print(row, a, b)\n"
        );
        let src = "for x in 'a', 'b':\n    i = 7\nc = 0\nfor x in 'a', 'b':\n    print(c, x)\n    c += 1\n";
        assert_eq!(
            assert_fix_keeps_output(src, R, ""),
            "for x in 'a', 'b':\n    i = 7\nfor c, x in enumerate(('a', 'b')):\n    print(c, x)\n"
        );
    }

    #[test]
    fn no_fix_when_reads_straddle_the_increment_or_a_closure_reads_it() {
        for src in [
            "def f(xs):\n    i = 0\n    for x in xs:\n        print(i)\n        i += 1\n        print(i)\n",
            "def f(xs):\n    fs = []\n    i = 0\n    for x in xs:\n        fs.append(lambda: i)\n        i += 1\n    return fs\n",
            "def f(xs):\n    i = j = 0\n    for x in xs:\n        print(i)\n        i += 1\n",
            "def f(xs):\n    best, i = None, 0\n    for x in xs:\n        print(best, i)\n        i += 1\n",
            "enumerate = None\ni = 0\nfor x in xs:\n    print(i)\n    i += 1\n",
            "i = 0; print(1)\nfor x in xs:\n    print(i)\n    i += 1\n",
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
            "i = 0\nfor x in :\n    print(i)\n    i += 1\n",
            "i = 0\nfor in xs:\n    i += 1\n",
            "i = 0\nfor x in xs:\n    print(i\n    i += 1\n",
            "for x in xs:\n    i += 1\n",
            "i = 0\nfor x in xs:\n    i += \n",
        ] {
            let _ = findings(src, R);
        }
    }
}
