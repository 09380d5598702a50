//! `manual-dict-comprehension` (peer: Ruff PERF403, which fires only when key and value are bare
//! loop names). `d = {}` followed by a loop whose whole body is `d[<k>] = <v>` (optionally under
//! one `if`) builds a dict the long way; `{<k>: <v> for ...}` says the same in one expression and
//! keeps the loop variable out of the enclosing scope. Nothing goes wrong, so the rule reports a
//! hint whose message says the loop works.
//!
//! Shape, on the finished model: a synchronous `for` with no `else` and a plain-names target,
//! whose body is exactly one assignment `D[<k>] = <v>` (or that under an `if` without `elif` /
//! `else`); `D` a name bound to an empty `{}` or `dict()` — the only binding of that name in the
//! scope before the loop — and first filled by this loop (not read in between, and the loop not
//! repeated by an outer loop that starts after the binding: a dict filled in several places or
//! passes is not this shape, and `D.update(...)` there is no clearer than the loop); neither `<k>`, `<v>`
//! nor the condition reads `D` (each item would see the dict grow); the loop target not read after
//! the loop, by a closure, or elsewhere in an enclosing loop. Test code is treated like any code.
//!
//! Reported only when `D = {}` is the statement right before the loop (no comment between): on
//! the corpus, dicts created earlier were mostly filled in several places as well (other
//! branches, a later loop), where `D.update({...})` is no clearer than the loop.
//!
//! Fix (unsafe: the loop variable no longer exists afterwards, and an exception halfway leaves no
//! half-filled dict): `D = {<k>: <v> for ...}` when `D = {}` is the statement just before the loop,
//! `D.update({...})` otherwise. Key order and "last duplicate wins" are the same in both. The loop
//! evaluates `<v>` before `<k>`, a comprehension `<k>` first (3.8+), so the fix is offered only
//! when one of them is a plain name, literal or attribute/subscript chain of names — otherwise
//! two side effects could swap. None in class bodies (a comprehension cannot see class names),
//! with comments or multi-line strings in the loop, or a `yield`/`await`/walrus inside.

use ruff_python_ast::{Expr, Stmt, StmtFor};
use ruff_text_size::{Ranged, TextRange};

use super::helpers::idioms::is_known_dict;
use super::helpers::loops::{
    enclosing_loops, is_names_target, is_read_in, loop_header, target_bindings, target_read_outside,
    unsafe_in_comprehension, wrap_if_needed,
};
use crate::analysis::checker::Checker;
use crate::analysis::finding::{Edit, Finding, Fix, Severity};
use crate::analysis::rule::Rule;
use crate::analysis::semantic::{BindingId, NodeId, ScopeKind};

/// The parts of `for <t> in <it>: [if <cond>:] <D>[<k>] = <v>`.
struct StoreLoop<'a> {
    dict: &'a Expr,
    key: &'a Expr,
    value: &'a Expr,
    cond: Option<&'a Expr>,
    store: &'a Stmt,
}

fn match_store_loop(for_stmt: &StmtFor) -> Option<StoreLoop<'_>> {
    if for_stmt.is_async || !for_stmt.orelse.is_empty() || !is_names_target(&for_stmt.target) {
        return None;
    }
    let (stmt, cond) = match for_stmt.body.as_slice() {
        [Stmt::If(if_stmt)] if if_stmt.elif_else_clauses.is_empty() => match if_stmt.body.as_slice() {
            [stmt] => (stmt, Some(&*if_stmt.test)),
            _ => return None,
        },
        [stmt] => (stmt, None),
        _ => return None,
    };
    let Stmt::Assign(assign) = stmt else { return None };
    let [Expr::Subscript(target)] = assign.targets.as_slice() else { return None };
    if !matches!(&*target.value, Expr::Name(n) if !n.id.is_empty()) || target.slice.is_slice_expr() {
        return None;
    }
    Some(StoreLoop { dict: &target.value, key: &target.slice, value: &assign.value, cond, store: stmt })
}

/// During the walk: a loop of the right shape is looked at again once every read is known.
pub(crate) fn check(checker: &mut Checker, for_stmt: &StmtFor) {
    if match_store_loop(for_stmt).is_some()
        && let Some(node) = checker.node_id()
    {
        checker.defer(Rule::ManualDictComprehension, node);
    }
}

pub(crate) fn check_deferred(checker: &mut Checker, node: NodeId) {
    let model = checker.semantic();
    let Some(loop_stmt @ Stmt::For(for_stmt)) = model.node(node).as_stmt() else { return };
    let Some(store) = match_store_loop(for_stmt) else { return };
    let Expr::Name(dict_name) = store.dict else { return };
    let Some(dict) = model.resolve_name(dict_name) else { return };
    let binding = model.binding(dict);
    let scope = checker.scope();
    if binding.scope != scope
        || model.scope(scope).declaration(binding.name).is_some()
        || !is_known_dict(checker, store.dict)
    {
        return;
    }
    let earlier = model.bindings_of(scope, binding.name).filter(|b| model.binding(*b).start() < for_stmt.start());
    if earlier.count() != 1 || !first_filled_here(checker, node, dict, for_stmt) {
        return;
    }
    let reads_dict = |e: Option<&Expr>| e.is_some_and(|e| is_read_in(model, dict, e.range()));
    if reads_dict(Some(store.key)) || reads_dict(Some(store.value)) || reads_dict(store.cond) {
        return;
    }
    let Some(targets) = target_bindings(model, &for_stmt.target) else { return };
    if target_read_outside(model, node, loop_stmt, &targets).is_some() {
        return;
    }
    // Only a dict created empty on the statement before: elsewhere the dict is filled in several
    // places (branches, later loops), and `D.update({...})` is no clearer than the loop.
    let Some(init) = created_just_before(checker, node, dict, for_stmt) else { return };
    let merge_with = Some(init);
    let name = dict_name.id.as_str();
    let header = loop_header(checker, &for_stmt.target, &for_stmt.iter);
    let message = match merge_with {
        Some(_) => format!(
            "`{header}` only stores into `{name}`, created empty just before: this works, and a dict \
             comprehension builds the same dict in one expression, without leaving the loop variable behind"
        ),
        None => format!(
            "`{header}` only stores into `{name}`: this works, and `{name}.update(...)` with a dict \
             comprehension says the same in one statement"
        ),
    };
    let fix = fix(checker, for_stmt, &store, dict, merge_with);
    let finding = Finding::new(Rule::ManualDictComprehension, store.store.range(), message)
        .with_severity(Severity::Hint)
        .with_fix(fix);
    checker.report(finding);
}

/// Is `D` bound to an empty `{}` / `dict()` and first filled by this loop: not read between its
/// binding and the loop, and the loop not repeated by another loop that started after the binding
/// (then each pass adds to what the last one stored)? A dict filled in several places is not
/// this shape.
fn first_filled_here(checker: &Checker, node: NodeId, dict: BindingId, for_stmt: &StmtFor) -> bool {
    let model = checker.semantic();
    let binding = model.binding(dict);
    let Some(value) = binding.value else { return false };
    let empty = match value {
        Expr::Dict(d) => d.items.is_empty(),
        Expr::Call(call) => checker.resolves_to(&call.func, "builtins.dict") && call.arguments.is_empty(),
        _ => false,
    };
    let between = TextRange::new(binding.end(), for_stmt.start());
    empty
        && !model.references(dict).any(|r| between.contains_range(r.range))
        && enclosing_loops(model, node).iter().all(|(_, outer)| outer.start() < binding.start())
}

/// The `D = {}` statement directly before the loop, with no comment in between.
fn created_just_before<'a>(
    checker: &Checker<'a>,
    node: NodeId,
    dict: BindingId,
    for_stmt: &StmtFor,
) -> Option<&'a Stmt> {
    let model = checker.semantic();
    let init = model.node(model.binding(dict).source?).as_stmt()?;
    let (suite, index) = model.suite_of(node)?;
    let previous = index.checked_sub(1).and_then(|i| suite.get(i))?;
    if !std::ptr::eq(previous, init) || checker.source.has_comments(TextRange::new(init.end(), for_stmt.start())) {
        return None;
    }
    let value = match init {
        Stmt::Assign(a) if a.targets.len() == 1 && a.targets[0].is_name_expr() => &*a.value,
        Stmt::AnnAssign(a) if a.target.is_name_expr() => a.value.as_deref()?,
        _ => return None,
    };
    let empty = match value {
        Expr::Dict(d) => d.items.is_empty(),
        Expr::Call(call) => checker.resolves_to(&call.func, "builtins.dict") && call.arguments.is_empty(),
        _ => false,
    };
    empty.then_some(init)
}

/// Evaluating it has no side effect to reorder: a name, a literal, or attribute and subscript
/// reads on those.
fn is_plain(expr: &Expr) -> bool {
    match expr {
        Expr::Name(_)
        | Expr::StringLiteral(_)
        | Expr::BytesLiteral(_)
        | Expr::NumberLiteral(_)
        | Expr::BooleanLiteral(_)
        | Expr::NoneLiteral(_) => true,
        Expr::Attribute(a) => is_plain(&a.value),
        Expr::Subscript(s) => is_plain(&s.value) && is_plain(&s.slice),
        Expr::Tuple(t) => t.elts.iter().all(is_plain),
        _ => false,
    }
}

fn fix(
    checker: &Checker,
    for_stmt: &StmtFor,
    store: &StoreLoop,
    dict: BindingId,
    merge_with: Option<&Stmt>,
) -> Option<Fix> {
    let source = &checker.source;
    let model = checker.semantic();
    let in_class = matches!(model.scope(checker.scope()).kind, ScopeKind::Class(_));
    let parts = [Some(store.key), Some(store.value), store.cond, Some(&*for_stmt.iter)];
    if in_class
        || !(is_plain(store.key) || is_plain(store.value))
        || source.has_comments(for_stmt.range())
        || source.has_multiline_string(for_stmt.range())
        || is_read_in(model, dict, for_stmt.iter.range())
        || parts.into_iter().flatten().any(|e| unsafe_in_comprehension(model, e))
    {
        return None;
    }
    let key = wrap_if_needed(source.slice(store.key), store.key);
    let value = wrap_if_needed(source.slice(store.value), store.value);
    let iter = wrap_if_needed(source.slice(&*for_stmt.iter), &for_stmt.iter);
    let mut text = format!("{key}: {value} for {} in {iter}", source.slice(&*for_stmt.target));
    if let Some(cond) = store.cond {
        text.push_str(&format!(" if {}", wrap_if_needed(source.slice(cond), cond)));
    }
    let name = source.slice(store.dict);
    match merge_with {
        Some(init) => {
            let lhs = match init {
                Stmt::AnnAssign(a) => format!("{}: {}", source.slice(&*a.target), source.slice(&*a.annotation)),
                _ => name.to_string(),
            };
            let edit = Edit::replace(TextRange::new(init.start(), for_stmt.end()), format!("{lhs} = {{{text}}}"));
            Fix::unsafe_("Replace the loop with a dict comprehension", vec![edit])
        }
        None => {
            let edit = Edit::replace(for_stmt.range(), format!("{name}.update({{{text}}})"));
            Fix::unsafe_(format!("Replace the loop with `{name}.update(...)`"), vec![edit])
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use crate::analysis::finding::{Applicability, Severity};
    use crate::analysis::rule::Rule::ManualDictComprehension as R;

    const BASIC: &str =
        "def f(users):\n    by_id = {}\n    for u in users:\n        by_id[u.id] = u\n    return by_id\n";

    #[test]
    fn flags_loops_that_only_store_into_a_new_dict() {
        assert_count(BASIC, R, 1);
        // Created earlier: the dict is often filled in several places; not reported.
        assert_clean("def f(xs):\n    d = {}\n    assert xs\n    for x in xs:\n        d[x] = 1\n    return d\n", R);
        assert_count(
            "def f(pairs):\n    d = dict()\n    for k, v in pairs:\n        if v:\n            d[k] = v\n    return d\n",
            R,
            1,
        );
        assert_count(
            "def f(xs):\n    d: dict[str, int] = {}\n    for x in xs:\n        d[x] = len(x)\n    return d\n",
            R,
            1,
        );
    }

    #[test]
    fn ignores_other_shapes() {
        // Unknown receivers, several bindings, reads of the dict, other bodies.
        assert_clean("def f(d, xs):\n    for x in xs:\n        d[x] = 1\n", R);
        // Filled elsewhere first, filled in several passes, or not empty to begin with.
        assert_clean("def f(xs):\n    d = {}\n    d[0] = 1\n    for x in xs:\n        d[x] = 1\n", R);
        assert_clean("def f(xss):\n    d = {}\n    for xs in xss:\n        for x in xs:\n            d[x] = 1\n", R);
        assert_clean("def f(xs):\n    d = {'a': 1}\n    for x in xs:\n        d[x] = 1\n", R);
        assert_clean(
            "from collections import defaultdict\ndef f(xs):\n    d = defaultdict(int)\n    for x in xs:\n        d[x] = 1\n",
            R,
        );
        assert_clean("def f(xs):\n    d = {}\n    d = load()\n    for x in xs:\n        d[x] = 1\n", R);
        assert_clean("def f(xs):\n    d = {}\n    for x in xs:\n        d[x] = d.get(x, 0) + 1\n", R);
        assert_clean("def f(xs):\n    d = {}\n    for x in xs:\n        if x not in d:\n            d[x] = 1\n", R);
        assert_clean("def f(xs):\n    d = {}\n    for x in xs:\n        d[x] = 1\n        print(x)\n", R);
        assert_clean("def f(xs):\n    d = {}\n    for x in xs:\n        d[x] += 1\n", R);
        assert_clean("def f(xs):\n    d = {}\n    for x in xs:\n        d[x] = 1\n    else:\n        pass\n", R);
        assert_clean("def f(xs):\n    d = {}\n    for x in xs:\n        d[1:2] = x\n", R);
        assert_clean("async def f(xs):\n    d = {}\n    async for x in xs:\n        d[x] = 1\n", R);
        // The loop variable is used after the loop.
        assert_clean("def f(xs):\n    d = {}\n    for x in xs:\n        d[x] = 1\n    return d, x\n", R);
    }

    #[test]
    fn a_hint_that_says_it_works() {
        assert_tier(BASIC, R, Severity::Hint, "this works");
    }

    #[test]
    fn fix_writes_the_comprehension() {
        assert_eq!(fixed(BASIC, R), "def f(users):\n    by_id = {u.id: u for u in users}\n    return by_id\n");
        let filtered = "def f(pairs):\n    d = dict()\n    for k, v in pairs:\n        if v:\n            d[k] = v, 1\n    return d\n";
        assert_eq!(fixed(filtered, R), "def f(pairs):\n    d = {k: (v, 1) for k, v in pairs if v}\n    return d\n");
        let tuple_key = "def f(xs):\n    d = {}\n    for x in xs:\n        d[x, 0] = len(x)\n    return d\n";
        assert_eq!(fixed(tuple_key, R), "def f(xs):\n    d = {(x, 0): len(x) for x in xs}\n    return d\n");
        assert_eq!(first_fix_applicability(BASIC, R), Some(Applicability::Unsafe));
        // Two calls whose order the rewrite would swap, a comment, a class body: no fix.
        for src in [
            "def f(xs):\n    d = {}\n    for x in xs:\n        d[key(x)] = value(x)\n    return d\n",
            "def f(xs):\n    d = {}\n    for x in xs:  # each one\n        d[x] = 1\n    return d\n",
            "class C:\n    d = {}\n    for x in range(3):\n        d[x] = x\n",
        ] {
            let found = findings(src, R);
            assert!(found.len() == 1 && found[0].fix.is_none(), "{src}: {found:#?}");
        }
    }

    #[test]
    fn fixes_keep_the_output() {
        let src = "def f(xs):\n    d = {}\n    for i, x in enumerate(xs):\n        if x:\n            d[x] = i * 2\n    return d\n";
        assert_fix_keeps_output(src, R, "print(f(['a', '', 'b', 'a']), f([]))");
        let calls = "def f(xs):\n    d = {}\n    for x in xs:\n        d[x] = str(x).upper()\n    return d\n";
        assert_fix_keeps_output(calls, R, "print(f([1, 'b', 1]))");
    }

    #[test]
    fn card_examples() {
        assert_card_examples(R);
    }

    #[test]
    fn half_typed_code_does_not_panic() {
        for src in [
            "d = {}\nfor x in xs:\n    d[x] =",
            "d = {}\nfor x in xs:\n    d[] = 1\n",
            "d = {}\nfor in xs:\n    d[x] = 1\n",
        ] {
            let _ = findings(src, R);
        }
    }
}
