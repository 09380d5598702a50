//! `generator-reuse` (peer: Pylint looping-through-iterator W4801 for the nested-loop case; no
//! Ruff peer: B031 covers only `itertools.groupby` groups). A generator or other one-shot iterator
//! yields its items once: a second pass over the same object sees nothing (or only what the first
//! left), silently. Reported as a warning, only where the model shows the same object consumed
//! twice:
//!
//! - a name bound by `x = <iterator>` (a generator expression; a call of `map`, `filter`, `zip`,
//!   `reversed`, `enumerate`, a finite `itertools` iterator, or a generator function defined in
//!   this file), then read twice through that same binding in its own scope: first by a full pass
//!   (`for` without `break`, `yield from`, a list/set/dict comprehension's iterable, or `list`,
//!   `tuple`, `set`, `frozenset`, `dict`, `sorted`, `sum`, `min`, `max`, `"".join`), later by any
//!   consuming use (those, or `any`, `all`, `next`, `in`), on one path: not in different branches
//!   of an `if`/`match`/conditional expression, not separated by a `try`'s handler, and not after a
//!   `return`/`raise`/`break`/`continue` that ends the first use's block (or a `return` holding
//!   it); not inside the body of the first use's own `for` loop (`for x in it: next(it)` and
//!   `for a in it: for b in it:` take turns on purpose), and not inside an assertion
//!   (`assertEqual(list(g), [])`: tests of the iterator protocol check the empty pass);
//! - or one full pass inside a `for`/`while` body when the binding is made before that loop and
//!   not again inside it, and the loop has no `break`/`return`/`raise` (it runs again, on an
//!   exhausted iterator).
//!
//! Not reported: `iter(x)` (written to be consumed in steps, e.g. `for line in it: ... break`
//! then `for line in it:`), a first pass that can stop early (`for` with `break`, `any`, `in`),
//! reads from nested functions or lambdas (they run at an unknown time), names declared
//! `global`/`nonlocal`. Test code is treated like any code: a test that iterates a generator twice
//! asserts on an empty second pass.
//!
//! Fix (unsafe: the items are computed at the binding, and all held in memory — the trade-off the
//! question is about; an infinite generator would hang): materialise once, `x = [...]` for a
//! generator expression, `x = list(<call>)` otherwise.

use ruff_python_ast::{CmpOp, Expr, Stmt, StmtAssign};
use ruff_text_size::{Ranged, TextRange};

use super::helpers::assertions::in_assertion;
use super::helpers::generators::{enclosing_loops, has_own_break, is_generator_body};
use crate::analysis::checker::Checker;
use crate::analysis::finding::{Edit, Finding, Fix};
use crate::analysis::rule::Rule;
use crate::analysis::semantic::{BindingId, BindingKind, NodeId, NodeRef, Reference, SemanticModel};

const ITERATOR_BUILTINS: &[&str] =
    &["builtins.map", "builtins.filter", "builtins.zip", "builtins.reversed", "builtins.enumerate"];

/// `itertools` functions that return a finite one-shot iterator over finite input (not `count`,
/// `cycle`, `repeat`, nor `tee`, which returns a tuple).
const ITERTOOLS: &[&str] = &[
    "itertools.accumulate",
    "itertools.batched",
    "itertools.chain",
    "itertools.combinations",
    "itertools.combinations_with_replacement",
    "itertools.compress",
    "itertools.dropwhile",
    "itertools.filterfalse",
    "itertools.groupby",
    "itertools.islice",
    "itertools.pairwise",
    "itertools.permutations",
    "itertools.product",
    "itertools.starmap",
    "itertools.takewhile",
    "itertools.zip_longest",
];

/// During the walk, at `name = <genexp or call>`: looked at again once every read is known.
pub(crate) fn check(checker: &mut Checker, assign: &StmtAssign) {
    let [Expr::Name(_)] = assign.targets.as_slice() else { return };
    // Cheap first: the callee's last name must be one of the tables', or a `def` already bound
    // (code in a function body runs after its module's `def`s are all known).
    let candidate = match &*assign.value {
        Expr::Generator(_) => true,
        Expr::Call(call) => match &*call.func {
            Expr::Name(name) => {
                in_tables(name.id.as_str())
                    || checker.lookup(name.id.as_str()).is_some_and(|b| matches!(b.kind, BindingKind::FunctionDef(_)))
            }
            Expr::Attribute(attr) => in_tables(attr.attr.as_str()),
            _ => false,
        },
        _ => false,
    };
    if candidate && let Some(node) = checker.node_id() {
        checker.defer(Rule::GeneratorReuse, node);
    }
}

/// Is `last` the last segment of a name in `ITERATOR_BUILTINS` or `ITERTOOLS`?
fn in_tables(last: &str) -> bool {
    matches!(
        last,
        "map"
            | "filter"
            | "zip"
            | "reversed"
            | "enumerate"
            | "accumulate"
            | "batched"
            | "chain"
            | "combinations"
            | "combinations_with_replacement"
            | "compress"
            | "dropwhile"
            | "filterfalse"
            | "groupby"
            | "islice"
            | "pairwise"
            | "permutations"
            | "product"
            | "starmap"
            | "takewhile"
            | "zip_longest"
    )
}

/// What made the iterator, for the message; `None` when the value is not a one-shot iterator.
fn iterator_kind(checker: &Checker, value: &Expr) -> Option<String> {
    match value {
        Expr::Generator(_) => Some("a generator expression".to_string()),
        Expr::Call(call) => {
            if let Some(name) = checker.resolves_to_any(&call.func, ITERATOR_BUILTINS) {
                return Some(format!("a `{}` iterator", &name["builtins.".len()..]));
            }
            if let Some(name) = checker.resolves_to_any(&call.func, ITERTOOLS) {
                return Some(format!("an `{name}` iterator"));
            }
            let Expr::Name(func) = &*call.func else { return None };
            let model = checker.semantic();
            let BindingKind::FunctionDef(function) = model.binding(model.resolve_name(func)?).kind else {
                return None;
            };
            let scope = model.function_scope(function)?;
            (!function.is_async && is_generator_body(model, function, scope))
                .then(|| format!("a generator (`{}` yields)", function.name.as_str()))
        }
        _ => None,
    }
}

/// How a read consumes the iterator.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Consume {
    /// Every item is taken.
    Full,
    /// Items are taken until some condition holds.
    Partial,
}

/// How the read at `reference` consumes what it reads, with a short description of the use.
fn consumption(checker: &Checker, reference: &Reference) -> Option<(Consume, String)> {
    let model = checker.semantic();
    let node = reference.node;
    let NodeRef::Expr(expr) = model.node(node) else { return None };
    let is = |other: &Expr| std::ptr::eq(other, expr);
    let parent_id = model.parent_id(node)?;
    match model.node(parent_id) {
        NodeRef::Stmt(Stmt::For(for_stmt)) if is(&for_stmt.iter) && !for_stmt.is_async => {
            if has_own_break(model, parent_id) {
                Some((Consume::Partial, "the `for` loop".into()))
            } else {
                Some((Consume::Full, "the `for` loop".into()))
            }
        }
        NodeRef::Expr(Expr::YieldFrom(_)) => Some((Consume::Full, "`yield from`".into())),
        NodeRef::Expr(Expr::ListComp(c)) if c.generators.first().is_some_and(|g| is(&g.iter)) => {
            Some((Consume::Full, "the comprehension".into()))
        }
        NodeRef::Expr(Expr::SetComp(c)) if c.generators.first().is_some_and(|g| is(&g.iter)) => {
            Some((Consume::Full, "the comprehension".into()))
        }
        NodeRef::Expr(Expr::DictComp(c)) if c.generators.first().is_some_and(|g| is(&g.iter)) => {
            Some((Consume::Full, "the comprehension".into()))
        }
        NodeRef::Expr(Expr::Compare(compare))
            if compare
                .comparators
                .iter()
                .zip(&compare.ops)
                .any(|(c, op)| is(c) && matches!(op, CmpOp::In | CmpOp::NotIn)) =>
        {
            Some((Consume::Partial, "`in`".into()))
        }
        NodeRef::Expr(Expr::Call(call)) if call.arguments.args.first().is_some_and(is) && !is(&call.func) => {
            if let Expr::Attribute(attr) = &*call.func
                && attr.attr.as_str() == "join"
                && matches!(&*attr.value, Expr::StringLiteral(_))
                && call.arguments.len() == 1
            {
                return Some((Consume::Full, "`join`".into()));
            }
            const FULL: &[&str] = &[
                "builtins.list",
                "builtins.tuple",
                "builtins.set",
                "builtins.frozenset",
                "builtins.dict",
                "builtins.sorted",
                "builtins.sum",
                "builtins.min",
                "builtins.max",
            ];
            const PARTIAL: &[&str] = &["builtins.any", "builtins.all", "builtins.next"];
            if let Some(name) = checker.resolves_to_any(&call.func, FULL) {
                return Some((Consume::Full, format!("`{}()`", &name["builtins.".len()..])));
            }
            let name = checker.resolves_to_any(&call.func, PARTIAL)?;
            // `next(g, default)` expects the end: asking whether anything is left is no bug.
            if name == "builtins.next" && call.arguments.len() != 1 {
                return None;
            }
            Some((Consume::Partial, format!("`{}()`", &name["builtins.".len()..])))
        }
        _ => None,
    }
}

pub(crate) fn check_deferred(checker: &mut Checker, node: NodeId) {
    let model = checker.semantic();
    let Some(Stmt::Assign(assign)) = model.node(node).as_stmt() else { return };
    let [Expr::Name(target)] = assign.targets.as_slice() else { return };
    let Some(binding_id) = model.nodes.id_of_name(target).and_then(|id| model.nodes.binding(id)) else { return };
    let binding = model.binding(binding_id);
    if binding.bound_in != binding.scope || model.scope(binding.scope).declaration(binding.name).is_some() {
        return;
    }
    let Some(kind) = iterator_kind(checker, &assign.value) else { return };
    let uses: Vec<(&Reference, Consume, String)> = model
        .references(binding_id)
        .filter(|r| r.scope == binding.scope)
        .filter_map(|r| consumption(checker, r).map(|(c, d)| (r, c, d)))
        .collect();
    let name = binding.name;
    let line = |at: TextRange| checker.source.line_number(at.start());
    // Two uses on one path.
    for (i, (first, how, first_desc)) in uses.iter().enumerate() {
        if *how != Consume::Full {
            continue;
        }
        if let Some((second, _, second_desc)) = uses[i + 1..].iter().find(|(second, _, _)| {
            same_path(model, first.node, second.node)
                && !inside_loop_over(model, first.node, second.node)
                && !in_assertion(model, second.node)
        }) {
            let message = format!(
                "`{name}` is {kind} (line {}), which yields its items once: {first_desc} on line {} already \
                 used them up, so {second_desc} here sees none; materialise it once (`list(...)`) or create a \
                 new one for each pass",
                line(binding.range),
                line(first.range)
            );
            let finding = Finding::new(Rule::GeneratorReuse, second.range, message);
            let fix = materialise_fix(checker, assign);
            checker.report(finding.with_fix(fix));
            return;
        }
    }
    // One full pass repeated by a loop around it.
    for (use_, how, desc) in &uses {
        if *how != Consume::Full {
            continue;
        }
        let Some(loop_id) =
            enclosing_loops(model, use_.node).find(|l| !model.node(*l).range().contains_range(assign.range))
        else {
            continue;
        };
        if model.nodes.scope(loop_id) != binding.scope
            || loop_may_stop(model, loop_id)
            || rebinds_in(model, binding_id, loop_id)
        {
            continue;
        }
        let loop_kind = if matches!(model.node(loop_id), NodeRef::Stmt(Stmt::For(_))) { "for" } else { "while" };
        let same_iterator = matches!(model.node(loop_id), NodeRef::Stmt(Stmt::For(f))
            if matches!(&*f.iter, Expr::Name(n) if model.resolve_name(n) == Some(binding_id)));
        let message = if same_iterator {
            format!(
                "`{name}` is {kind} (line {}), which yields its items once, and the `for` loop on line {} iterates \
                 it too: this inner loop takes all the remaining items, so the outer loop runs once and only its \
                 first item meets the others; materialise it once (`list(...)`) to pair every item",
                line(binding.range),
                line(model.node(loop_id).range())
            )
        } else {
            format!(
                "`{name}` is {kind} (line {}), which yields its items once, and {desc} using it runs inside the \
             `{loop_kind}` loop on line {}: from the loop's second iteration on it sees no items; \
             materialise it once (`list(...)`) or create it inside the loop",
                line(binding.range),
                line(model.node(loop_id).range())
            )
        };
        let finding = Finding::new(Rule::GeneratorReuse, use_.range, message);
        let fix = materialise_fix(checker, assign);
        checker.report(finding.with_fix(fix));
        return;
    }
}

/// Is `second` inside the body of the `for` loop whose iterable is `first`? Then the two take
/// turns (`for x in it: next(it)` skips an item, `for a in it: for b in it:` pairs the first
/// with the rest): a deliberate interleaving, not a second pass.
fn inside_loop_over(model: &SemanticModel, first: NodeId, second: NodeId) -> bool {
    model.parent_id(first).is_some_and(|p| {
        matches!(model.node(p), NodeRef::Stmt(Stmt::For(_)))
            && model.node(p).range().contains_range(model.node(second).range())
    })
}

/// Can the loop end before running its body again: `break`, `return` or `raise` inside it.
fn loop_may_stop(model: &SemanticModel, loop_id: NodeId) -> bool {
    let scope = model.nodes.scope(loop_id);
    model.descendants(loop_id).any(|n| {
        model.nodes.scope(n) == scope
            && matches!(model.node(n), NodeRef::Stmt(Stmt::Break(_) | Stmt::Return(_) | Stmt::Raise(_)))
    })
}

/// Is the name of `binding` bound again inside the statement `within`?
fn rebinds_in(model: &SemanticModel, binding: BindingId, within: NodeId) -> bool {
    let b = model.binding(binding);
    let range = model.node(within).range();
    model.bindings_of(b.scope, b.name).any(|other| other != binding && range.contains_range(model.binding(other).range))
}

/// Can the read at `second` run after the one at `first` finished, in one run of the code?
/// Conservative: different branches of one `if`/`match`/conditional expression, a `try` body and
/// its handler, and a first use whose block ends (`return`, `raise`, `break`, `continue`) before
/// the second all count as different paths.
fn same_path(model: &SemanticModel, first: NodeId, second: NodeId) -> bool {
    let first_ancestors: Vec<NodeId> = model.ancestor_ids(first).collect();
    let Some(common) = model.ancestor_ids(second).find(|a| first_ancestors.contains(a)) else { return true };
    let first_range = model.node(first).range();
    let second_range = model.node(second).range();
    let branch = |ranges: &[TextRange], at: TextRange| ranges.iter().position(|r| r.contains_range(at));
    let exclusive = match model.node(common) {
        NodeRef::Stmt(Stmt::If(if_stmt)) => {
            let mut ranges = vec![block(&if_stmt.body)];
            ranges.extend(if_stmt.elif_else_clauses.iter().map(|c| block(&c.body)));
            let (a, b) = (branch(&ranges, first_range), branch(&ranges, second_range));
            a.is_some() && b.is_some() && a != b
        }
        NodeRef::Stmt(Stmt::Match(match_stmt)) => {
            let ranges: Vec<TextRange> = match_stmt.cases.iter().map(|c| block(&c.body)).collect();
            let (a, b) = (branch(&ranges, first_range), branch(&ranges, second_range));
            a.is_some() && b.is_some() && a != b
        }
        NodeRef::Stmt(Stmt::Try(try_stmt)) => {
            let handlers: Vec<TextRange> = try_stmt.handlers.iter().map(Ranged::range).collect();
            branch(&handlers, first_range) != branch(&handlers, second_range)
        }
        NodeRef::Expr(Expr::If(if_expr)) => {
            let ranges = [if_expr.body.range(), if_expr.orelse.range()];
            let (a, b) = (branch(&ranges, first_range), branch(&ranges, second_range));
            a.is_some() && b.is_some() && a != b
        }
        _ => false,
    };
    if exclusive {
        return false;
    }
    // A block that ends after the first use, below the common ancestor.
    for &ancestor in &first_ancestors {
        if ancestor == common {
            break;
        }
        // `return [x for x in g]` ends the path itself; a later `return`/`break`... ends the block.
        if let Some((suite, index)) = model.suite_of(ancestor)
            && (matches!(suite[index], Stmt::Return(_) | Stmt::Raise(_))
                || suite[index + 1..]
                    .iter()
                    .any(|s| matches!(s, Stmt::Return(_) | Stmt::Raise(_) | Stmt::Break(_) | Stmt::Continue(_))))
        {
            // Only a block that does not also hold the second use.
            if !block(suite).contains_range(second_range) {
                return false;
            }
        }
    }
    true
}

fn block(body: &[Stmt]) -> TextRange {
    match (body.first(), body.last()) {
        (Some(first), Some(last)) => TextRange::new(first.start(), last.end()),
        _ => TextRange::default(),
    }
}

fn materialise_fix(checker: &Checker, assign: &StmtAssign) -> Option<Fix> {
    let value = &*assign.value;
    if checker.source.has_comments(value.range()) {
        return None;
    }
    let text = checker.source.slice(value);
    let content = match value {
        Expr::Generator(generator) if generator.parenthesized && text.starts_with('(') && text.ends_with(')') => {
            format!("[{}]", &text[1..text.len() - 1])
        }
        Expr::Generator(_) => format!("[{text}]"),
        _ => format!("list({text})"),
    };
    Fix::unsafe_("Materialise the items once in a list", vec![Edit::replace(value.range(), content)])
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use crate::analysis::finding::{Applicability, Severity};
    use crate::analysis::rule::Rule::GeneratorReuse as R;

    #[test]
    fn flags_a_second_pass() {
        let src = "def f(xs):\n    squares = (x * x for x in xs)\n    total = sum(squares)\n    biggest = max(squares)\n    return total, biggest\n";
        assert_tier(src, R, Severity::Warning, "`sum()` on line 3 already used them up, so `max()` here sees none");
        assert_count("def f(xs):\n    m = map(str, xs)\n    for s in m:\n        print(s)\n    print(list(m))\n", R, 1);
        assert_count("import itertools\nc = itertools.chain(a, b)\nn = len(list(c))\nfor x in c:\n    pass\n", R, 1);
        assert_count("def gen():\n    yield 1\n\ndef f():\n    g = gen()\n    print(list(g), 1 in g)\n", R, 1);
        assert_count(
            "def f(xs):\n    z = zip(xs, xs)\n    a = [p for p in z]\n    if z_check:\n        b = dict(z)\n",
            R,
            1,
        );
        // Module level, and `"".join`.
        assert_count(
            "parts = (str(i) for i in range(3))\nprint(\", \".join(parts))\nprint(\", \".join(parts))\n",
            R,
            1,
        );
    }

    #[test]
    fn flags_a_pass_repeated_by_a_loop() {
        let src = "def f(rows, cols):\n    wanted = (c.upper() for c in cols)\n    for row in rows:\n        for c in wanted:\n            print(row, c)\n";
        assert_tier(src, R, Severity::Warning, "from the loop's second iteration on it sees no items");
    }

    #[test]
    fn ignores_lists_iter_and_early_stops() {
        assert_clean("def f(xs):\n    s = [x for x in xs]\n    print(sum(s), max(s))\n", R);
        assert_clean(
            "def f(xs):\n    it = iter(xs)\n    for a in it:\n        pass\n    for b in it:\n        pass\n",
            R,
        );
        assert_clean(
            "def f(lines):\n    g = (l.strip() for l in lines)\n    for l in g:\n        if not l:\n            break\n    body = list(g)\n",
            R,
        );
        assert_clean("def f(xs):\n    g = (x for x in xs)\n    if any(g):\n        print(list(g))\n", R);
        assert_clean("def f(xs):\n    g = (x for x in xs)\n    print(list(g))\n", R);
        // A default for `next` expects the end.
        assert_clean("def f(xs):\n    g = (x for x in xs)\n    print(list(g))\n    print(next(g, 'done'))\n", R);
        assert_count("def f(xs):\n    g = (x for x in xs)\n    print(list(g))\n    print(next(g))\n", R, 1);
        // Rebound in between: another object.
        assert_clean(
            "def f(xs):\n    g = (x for x in xs)\n    print(list(g))\n    g = (x for x in xs)\n    print(list(g))\n",
            R,
        );
        assert_clean("def f(xs):\n    g = range(3)\n    print(list(g), list(g))\n", R);
        assert_clean("def f(xs):\n    g = [x for x in xs]\n    h = map(str, g)\n    print(list(g), list(g))\n", R);
    }

    #[test]
    fn ignores_uses_on_different_paths() {
        assert_clean(
            "def f(xs, c):\n    g = (x for x in xs)\n    if c:\n        return list(g)\n    else:\n        return set(g)\n",
            R,
        );
        assert_clean(
            "def f(xs, c):\n    g = (x for x in xs)\n    if c:\n        print(list(g))\n        return\n    print(set(g))\n",
            R,
        );
        assert_clean("def f(xs, c):\n    g = (x for x in xs)\n    return list(g) if c else set(g)\n", R);
        assert_clean(
            "def f(xs, c):\n    g = map(int, xs)\n    try:\n        return list(g)\n    except ValueError:\n        return sorted(g)\n",
            R,
        );
        assert_clean(
            "def f(xs, c):\n    g = map(int, xs)\n    match c:\n        case 1:\n            print(list(g))\n        case _:\n            print(set(g))\n",
            R,
        );
        assert_clean(
            "def f(xs, c):\n    g = map(int, xs)\n    if c:\n        return [x for x in g]\n    return list(g)\n",
            R,
        );
        // A closure runs at another time.
        assert_clean("def f(xs):\n    g = map(int, xs)\n    print(list(g))\n    return lambda: list(g)\n", R);
    }

    #[test]
    fn flags_an_outer_loop_over_the_same_iterator() {
        let src = "def pairs(items):\n    it = map(str, items)\n    for a in it:\n        for b in it:\n            print(a, b)\n";
        assert_tier(src, R, Severity::Warning, "the outer loop runs once and only its first item meets the others");
        let (_, out, _) = run_python(&format!("{src}\npairs([1, 2, 3])\n"));
        assert_eq!(out, "1 2\n1 3\n");
    }

    #[test]
    fn ignores_interleaving_and_assertions() {
        assert_clean(
            "def f(args):\n    it = enumerate(args)\n    for i, a in it:\n        if a:\n            next(it)\n",
            R,
        );
        assert_clean(
            "def f(xs):\n    g = (x for x in xs if x)\n    for first in g:\n        for rest in g:\n            print(first, rest)\n        return first\n",
            R,
        );
        assert_clean(
            "def test(self):\n    b = map(str, [1])\n    self.assertEqual(list(b), ['1'])\n    self.assertEqual(list(b), [])\n",
            R,
        );
        assert_clean("def test():\n    b = map(str, [1])\n    assert list(b) == ['1']\n    assert list(b) == []\n", R);
    }

    #[test]
    fn ignores_loops_that_stop_or_recreate() {
        assert_clean(
            "def f(rows, cols):\n    for row in rows:\n        wanted = (c for c in cols)\n        for c in wanted:\n            print(row, c)\n",
            R,
        );
        assert_clean(
            "def f(rows, cols):\n    wanted = (c for c in cols)\n    for row in rows:\n        for c in wanted:\n            print(row, c)\n        break\n",
            R,
        );
        assert_clean(
            "def f(rows, cols):\n    wanted = (c for c in cols)\n    for row in rows:\n        print(list(wanted))\n        wanted = (c for c in cols)\n",
            R,
        );
        assert_clean(
            "def f(cols):\n    wanted = (c for c in cols)\n    while True:\n        print(list(wanted))\n        return\n",
            R,
        );
    }

    #[test]
    fn ignores_other_names() {
        assert_clean("def f(xs):\n    global g\n    g = (x for x in xs)\n    print(list(g), list(g))\n", R);
        assert_clean("def f(xs):\n    g = map\n    print(list(g), list(g))\n", R);
        assert_clean("async def agen():\n    yield 1\ndef f():\n    g = agen()\n    print(list(g), list(g))\n", R);
    }

    #[test]
    fn fix_materialises_and_both_passes_see_the_items() {
        let src =
            "def f(xs):\n    squares = (x * x for x in xs)\n    return sum(squares), max(squares, default=None)\n";
        assert_eq!(
            fixed(src, R),
            "def f(xs):\n    squares = [x * x for x in xs]\n    return sum(squares), max(squares, default=None)\n"
        );
        assert_eq!(fixed_output(src, R, "print(f([1, 2, 3]))\n"), "(14, 9)\n");
        let (_, before, _) = run_python(&format!("{src}\nprint(f([1, 2, 3]))\n"));
        assert_eq!(before, "(14, None)\n");
        assert_eq!(first_fix_applicability(src, R), Some(Applicability::Unsafe));
        let src = "def f(xs):\n    m = map(str, xs)\n    print(list(m))\n    print(list(m))\n";
        assert_eq!(fixed(src, R), src.replace("map(str, xs)", "list(map(str, xs))"));
        assert_eq!(fixed_output(src, R, "f([1])\n"), "['1']\n['1']\n");
        assert_eq!(fixed("g = (x for x in y)\nlist(g)\nlist(g)\n", R), "g = [x for x in y]\nlist(g)\nlist(g)\n");
    }

    #[test]
    fn card_example() {
        assert_card_examples(R);
    }

    #[test]
    fn half_typed_code_does_not_panic() {
        for src in
            ["g = (x for x in", "g = map(\nlist(g)\nlist(g", "g = (x for x in y)\nfor in g:\n    pass\nlist(g)\n"]
        {
            let _ = findings(src, R);
        }
    }
}
