//! `iterate-materialised-list` (peer: Ruff PERF101 for `list(x)` of a known sequence; no Pylint
//! peer). `for x in [f(y) for y in ys]:` and `for x in list(map(f, ys)):` build the whole list
//! before the first iteration, only to read it once: a generator expression (or the iterator
//! itself) would stream the items with no full copy in memory.
//!
//! A hint: the loop works, and for small inputs the list costs little; the message says so.
//! Detection: a non-async `for` whose iterable is a list comprehension, or `list(<arg>)` with one
//! positional argument where `<arg>` is a generator expression, a `zip`/`enumerate`/`reversed`/
//! `range` call, a `map`/`filter` of a side-effect-free builtin (`map(str, xs)`), or a name the
//! model knows is a list, tuple or set. A comprehension or generator counts only when it calls nothing but
//! such builtins: `for f in [pool.submit(job, x) for x in xs]: f.result()` submits every job
//! before waiting for the first, and the lazy form would run them one at a time.
//!
//! `list(d.keys())`/`.values()`/`.items()` is not reported: the copy is what makes it safe for the
//! body to change the dict, even indirectly (`for w in list(self.children.values()): w.destroy()`
//! where `destroy` removes `w` from that dict), which the model cannot see.
//!
//! Excluded as well: loops whose body changes what the list was built from (the snapshot is then the
//! point: `for k in list(d): del d[k]`): a mutating method call on it, an item or attribute
//! store, `del`, `+=`, rebinding it, or passing it to any call (which may mutate it); sources the
//! model cannot name (`list(get_rows())`). Test code is treated like any code.
//!
//! Fix (unsafe: the items are then computed while the body runs, so a body with side effects on
//! what the comprehension reads sees different values): `[...]` -> `(...)`, `list(x)` -> `x`.

use ruff_python_ast::{Expr, Stmt, StmtFor};
use ruff_text_size::{Ranged, TextRange};

use crate::analysis::checker::Checker;
use crate::analysis::finding::{Edit, Finding, Fix, Severity};
use crate::analysis::rule::Rule;
use crate::analysis::semantic::uses::is_mutating_method;
use crate::analysis::semantic::{NodeId, NodeRef, SimpleType, Use};

/// During the walk, at a `for` whose iterable has the shape: looked at once its body is known.
pub(crate) fn check(checker: &mut Checker, for_stmt: &StmtFor) {
    if for_stmt.is_async {
        return;
    }
    let candidate = match &*for_stmt.iter {
        Expr::ListComp(_) => true,
        Expr::Call(call) => {
            matches!(&*call.func, Expr::Name(n) if n.id.as_str() == "list")
                && call.arguments.args.len() == 1
                && call.arguments.keywords.is_empty()
        }
        _ => false,
    };
    if candidate && let Some(node) = checker.node_id() {
        checker.defer(Rule::IterateMaterialisedList, node);
    }
}

/// What the list is made from: the expressions whose change the body must not make, and a
/// description; `None` when the shape does not stream or the sources are not nameable.
fn sources<'e>(checker: &Checker, iter: &'e Expr) -> Option<(Vec<&'e Expr>, &'static str)> {
    match iter {
        Expr::ListComp(comp) => Some((vec![&comp.generators.first()?.iter], "a list comprehension")),
        Expr::Call(call) => {
            if !checker.resolves_to(&call.func, "builtins.list") {
                return None;
            }
            let arg = call.arguments.args.first()?;
            match arg {
                Expr::Generator(g) => Some((vec![&g.generators.first()?.iter], "`list(...)` of a generator")),
                Expr::Call(inner) => {
                    if let Some(name) = checker.resolves_to_any(
                        &inner.func,
                        &[
                            "builtins.map",
                            "builtins.filter",
                            "builtins.zip",
                            "builtins.enumerate",
                            "builtins.reversed",
                            "builtins.range",
                        ],
                    ) {
                        if inner.arguments.keywords.iter().any(|k| k.arg.is_none()) {
                            return None;
                        }
                        let skip = usize::from(matches!(name, "builtins.map" | "builtins.filter"));
                        // A function of the code's own runs later, between iterations, once lazy.
                        if skip == 1 && !inner.arguments.args.first().is_some_and(|f| pure_function(checker, f)) {
                            return None;
                        }
                        let srcs = inner.arguments.args.iter().skip(skip).collect();
                        let what =
                            if name == "builtins.range" { "`list(range(...))`" } else { "`list(...)` of an iterator" };
                        return Some((srcs, what));
                    }
                    None
                }
                Expr::Name(name) => match checker.semantic().type_of_name(name)? {
                    SimpleType::List => Some((vec![arg], "a copy of a list")),
                    SimpleType::Tuple => Some((vec![arg], "a list copy of a tuple")),
                    SimpleType::Set | SimpleType::FrozenSet => Some((vec![arg], "a list copy of a set")),
                    _ => None,
                },
                _ => None,
            }
        }
        _ => None,
    }
}

/// Builtins without side effects: evaluating them later, between iterations, changes nothing.
const PURE: &[&str] = &[
    "builtins.abs",
    "builtins.bool",
    "builtins.bytes",
    "builtins.chr",
    "builtins.float",
    "builtins.int",
    "builtins.isinstance",
    "builtins.len",
    "builtins.max",
    "builtins.min",
    "builtins.ord",
    "builtins.repr",
    "builtins.round",
    "builtins.str",
    "builtins.sum",
    "builtins.tuple",
];

fn pure_function(checker: &Checker, func: &Expr) -> bool {
    func.is_none_literal_expr() || checker.resolves_to_any(func, PURE).is_some()
}

/// Does the comprehension (or generator) `expr` call only side-effect-free builtins? Any other
/// call may do something (`pool.submit(...)`, `Thread(...).start()`) that the loop relies on
/// having happened for every item before the body runs.
fn only_pure_calls(checker: &Checker, expr: &Expr) -> bool {
    let model = checker.semantic();
    let Some(id) = model.expr_id(expr) else { return false };
    model.descendants(id).all(|n| match model.node(n) {
        NodeRef::Expr(Expr::Call(call)) => pure_function(checker, &call.func),
        NodeRef::Expr(Expr::Await(_) | Expr::Yield(_) | Expr::YieldFrom(_) | Expr::Named(_)) => false,
        _ => true,
    })
}

pub(crate) fn check_deferred(checker: &mut Checker, node: NodeId) {
    let model = checker.semantic();
    let Some(stmt @ Stmt::For(for_stmt)) = model.node(node).as_stmt() else { return };
    let Some((srcs, what)) = sources(checker, &for_stmt.iter) else { return };
    let lazy_part = match &*for_stmt.iter {
        Expr::Call(call) => call.arguments.args.first(),
        other => Some(other),
    };
    if lazy_part.is_some_and(|e| matches!(e, Expr::ListComp(_) | Expr::Generator(_)) && !only_pure_calls(checker, e)) {
        return;
    }
    // Only sources the model can name: names and attribute chains on names (and literals).
    if !srcs.iter().all(|s| nameable(s)) {
        return;
    }
    let texts: Vec<&str> = srcs.iter().filter(|s| !is_literal(s)).map(|s| checker.source.slice(*s)).collect();
    if body_changes(checker, node, for_stmt, &texts) {
        return;
    }
    let message = format!(
        "the loop iterates {what}, which is built in full before the first iteration and read once: this \
         works, and costs little for small inputs, but {} streams the items without the copy",
        if matches!(&*for_stmt.iter, Expr::ListComp(_)) {
            "a generator expression"
        } else {
            "iterating the argument directly"
        }
    );
    let fix = unwrap_fix(checker, &for_stmt.iter);
    let _ = stmt;
    let finding =
        Finding::new(Rule::IterateMaterialisedList, for_stmt.iter.range(), message).with_severity(Severity::Hint);
    checker.report(finding.with_fix(fix));
}

fn nameable(expr: &Expr) -> bool {
    match expr {
        Expr::Name(_) => true,
        Expr::Attribute(attr) => nameable(&attr.value),
        // `d.items()` / `range(len(xs))`: the receiver or the arguments are what may change.
        Expr::Call(call) => {
            call.arguments.keywords.is_empty()
                && call.arguments.args.iter().all(nameable)
                && match &*call.func {
                    Expr::Attribute(attr) => nameable(&attr.value),
                    Expr::Name(_) => true,
                    _ => false,
                }
        }
        other => is_literal(other),
    }
}

fn is_literal(expr: &Expr) -> bool {
    matches!(expr, Expr::NumberLiteral(_) | Expr::StringLiteral(_) | Expr::BytesLiteral(_))
        || matches!(expr, Expr::UnaryOp(u) if matches!(&*u.operand, Expr::NumberLiteral(_)))
}

/// Does the loop's body (or `else:`) change one of the sources, or an object reached from one?
/// Judged by the uses of each source's head name in the body: `self.items.remove(x)` changes the
/// source `self.items`; any call on or with the head that may change something counts.
fn body_changes(checker: &Checker, node: NodeId, for_stmt: &StmtFor, texts: &[&str]) -> bool {
    let model = checker.semantic();
    let body = TextRange::new(for_stmt.body.first().map_or(for_stmt.end(), Ranged::start), for_stmt.end());
    let heads: Vec<&str> = texts.iter().map(|t| t.split(['.', '(', '[', ' ']).next().unwrap_or(t)).collect();
    model.descendants(node).any(|n| {
        let NodeRef::Expr(Expr::Name(name)) = model.node(n) else { return false };
        if !body.contains_range(name.range) || !heads.contains(&name.id.as_str()) {
            return false;
        }
        if !name.ctx.is_load() {
            return true;
        }
        // `x`, then `x.a`, `x.a[k]`...: the first use that may change the object ends the climb.
        let mut current = n;
        for _ in 0..16 {
            match model.use_of_node(current) {
                Use::MethodCall { method, .. } => return is_mutating_method(method) || !is_read_only_method(method),
                Use::SubscriptStore | Use::AttributeStore(_) | Use::AugmentedAssignment | Use::Deleted => return true,
                Use::Stored { .. } => return true,
                Use::Argument { call } => return !model.is_read_only_call(call),
                Use::AttributeLoad(_) | Use::SubscriptLoad(_) => match model.parent_id(current) {
                    Some(parent) => current = parent,
                    None => return false,
                },
                _ => return false,
            }
        }
        false
    })
}

/// Methods of lists, dicts, sets and strings that only read.
fn is_read_only_method(method: &str) -> bool {
    matches!(
        method,
        "get"
            | "keys"
            | "values"
            | "items"
            | "count"
            | "index"
            | "copy"
            | "startswith"
            | "endswith"
            | "split"
            | "strip"
            | "lower"
            | "upper"
            | "format"
            | "join"
            | "issubset"
            | "issuperset"
            | "isdisjoint"
            | "union"
            | "intersection"
            | "difference"
    )
}

fn unwrap_fix(checker: &Checker, iter: &Expr) -> Option<Fix> {
    if checker.source.has_comments(iter.range()) {
        return None;
    }
    let text = checker.source.slice(iter);
    let content = match iter {
        Expr::ListComp(_) if text.starts_with('[') && text.ends_with(']') => format!("({})", &text[1..text.len() - 1]),
        Expr::Call(call) => {
            let arg = call.arguments.args.first()?;
            match arg {
                // `list(x for x in y)`: the call's parentheses were the generator's.
                Expr::Generator(g) if !g.parenthesized => format!("({})", checker.source.slice(arg)),
                _ => checker.source.slice(arg).to_string(),
            }
        }
        _ => return None,
    };
    Fix::unsafe_("Iterate lazily instead of building a list", vec![Edit::replace(iter.range(), content)])
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use crate::analysis::finding::{Applicability, Severity};
    use crate::analysis::rule::Rule::IterateMaterialisedList as R;

    #[test]
    fn hints_on_lists_built_to_be_looped_once() {
        let src = "def f(rows):\n    for name in [r.name for r in rows if r]:\n        print(name)\n";
        assert_tier(src, R, Severity::Hint, "a list comprehension, which is built in full");
        assert_count("for i in list(range(10)):\n    print(i)\n", R, 1);
        assert_count("def f(xs):\n    for s in list(map(str, xs)):\n        print(s)\n", R, 1);
        assert_count("def f(xs):\n    for i, x in list(enumerate(xs)):\n        print(i, x)\n", R, 1);
        assert_count("def f(xs):\n    for x in list(x for x in xs if x):\n        print(x)\n", R, 1);
        assert_count("def f():\n    xs = [1, 2]\n    for x in list(xs):\n        print(x)\n", R, 1);
        assert_count("def f():\n    xs = ('a', 'b')\n    for x in list(xs):\n        print(x)\n", R, 1);
        assert_clean("def f():\n    xs = {1, 2}\n    for x in list(xs):\n        xs.discard(x)\n", R);
        assert_count(
            "class C:\n    def f(self):\n        for x in [i for i in self.items]:\n            print(x)\n",
            R,
            1,
        );
    }

    #[test]
    fn ignores_snapshots_taken_to_mutate_the_source() {
        assert_clean("def f(d):\n    for k in list(d.keys()):\n        del d[k]\n", R);
        assert_clean("def f(d):\n    for k, v in list(d.items()):\n        d.pop(k)\n", R);
        assert_clean("def f(xs):\n    for x in [x for x in xs]:\n        xs.remove(x)\n", R);
        assert_clean("def f(xs):\n    for x in list(xs):\n        xs.append(x)\n", R);
        assert_clean(
            "class C:\n    def f(self):\n        for x in [i for i in self.items]:\n            self.items.remove(x)\n",
            R,
        );
        assert_clean("def f(d):\n    for k in list(d.keys()):\n        d[k + '_'] = 1\n", R);
        assert_clean("def f(d):\n    for k in list(d.keys()):\n        cleanup(d)\n", R);
        assert_clean("def f(xs):\n    for x in list(map(str, xs)):\n        xs = []\n", R);
    }

    #[test]
    fn ignores_side_effects_and_dict_views() {
        assert_clean("def f(pool, xs):\n    for fut in [pool.submit(job, x) for x in xs]:\n        fut.result()\n", R);
        assert_clean("def f(xs):\n    for r in [fetch(x) for x in xs]:\n        print(r)\n", R);
        assert_clean("def f(xs):\n    for r in list(map(fetch, xs)):\n        print(r)\n", R);
        assert_clean(
            "class W:\n    def destroy(self):\n        for c in list(self.children.values()):\n            c.destroy()\n",
            R,
        );
        assert_clean("def f(d):\n    for k, v in list(d.items()):\n        print(k, v)\n", R);
    }

    #[test]
    fn ignores_other_shapes() {
        assert_clean("def f(xs):\n    for x in list(xs):\n        print(x)\n", R);
        assert_clean("def f():\n    for x in list(get_rows()):\n        print(x)\n", R);
        assert_clean("async def f(xs):\n    async for x in [y for y in xs]:\n        print(x)\n", R);
        assert_clean("def f(xs):\n    for x in sorted(xs):\n        print(x)\n", R);
        assert_clean("list = tuple\nfor x in list(range(3)):\n    print(x)\n", R);
        assert_clean("def f(xs):\n    for x in list(xs, 1):\n        print(x)\n", R);
    }

    #[test]
    fn fix_streams_and_keeps_the_output() {
        let src = "def f(rows):\n    for name in [str(r) for r in rows]:\n        print(name)\n";
        assert_eq!(fixed(src, R), src.replace("[str(r) for r in rows]", "(str(r) for r in rows)"));
        assert_fix_keeps_output(src, R, "f(['a', 'b'])\n");
        assert_eq!(first_fix_applicability(src, R), Some(Applicability::Unsafe));
        let src = "for i in list(range(3)):\n    print(i)\n";
        assert_eq!(assert_fix_keeps_output(src, R, ""), "for i in range(3):\n    print(i)\n");
        let src = "def f(xs):\n    for x in list(x * 2 for x in xs):\n        print(x)\n";
        assert_eq!(
            assert_fix_keeps_output(src, R, "f([1, 2])\n"),
            src.replace("list(x * 2 for x in xs)", "(x * 2 for x in xs)")
        );
    }

    #[test]
    fn card_example() {
        assert_card_examples(R);
    }

    #[test]
    fn half_typed_code_does_not_panic() {
        for src in ["for x in [y for y in", "for x in list(\n", "for x in list(range(3)):\n"] {
            let _ = findings(src, R);
        }
    }
}
