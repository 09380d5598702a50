//! `nested-loop-lookup` (no Ruff or Pylint peer). For each item of one collection, a nested loop
//! scans a second collection for the item whose key equals it:
//!
//! ```python
//! for order in orders:
//!     for customer in customers:
//!         if customer.id == order.customer_id:
//!             order.customer = customer
//!             break
//! ```
//!
//! That is O(len(orders) × len(customers)) comparisons; a dict from the key to the item, built
//! once before the outer loop, finds each match in O(1) on average — the "one-pass index" answer
//! to a join.
//!
//! Shape, on the finished model: a synchronous `for b in B:` (the scan) whose whole body is one
//! `if` without `elif`/`else` testing `<key_a> == <key_b>` (either order, one `==`), whose `if`
//! body only appends, assigns, returns, breaks or continues (expression calls, assignments,
//! `return`, `break`, `continue`), and which sits in the body of a synchronous `for` (the nearest
//! loop around it in the same function, possibly under an `if`). `<key_b>` reads the scan's
//! target and nothing the outer loop binds; `<key_a>` reads something the outer loop binds (its
//! target, or a name bound in its body) and not the scan's target. `B` is a name or an attribute
//! chain on a name — or `enumerate(B)`, `range(len(B))`, `B.items()`, `B.keys()`, `B.values()` —
//! not rebound inside the outer loop, and when a name, not changed there either (read only): the
//! index can be built once. The same scan written as a comprehension with one `for` and one
//! `if <key_a> == <key_b>` (`[b for b in B if b.k == a.k][0]`, `next((b for b in B if ...), None)`)
//! in the outer loop's body is reported the same way, without a fix. When the scan walks a mapping's keys and compares the key itself
//! (`for k, v in d.items(): if k == key:`), the message says the mapping already finds it by hash.
//!
//! Not reported: tests other than one `==` (`<`, `in`, `is`, ranges: a dict cannot answer them),
//! `B` a literal display (built anew on every pass) or a name bound to a literal of at most eight
//! items, an outer loop over a
//! literal of at most eight items or `range(<= 8)` (the code keeps the product small), `B` that is
//! any other call or expression (evaluated anew on every pass, so the index could not be hoisted
//! without changing what is read), `B` rebuilt or changed inside the outer loop (the growing
//! "seen" list is `list-membership-in-loop`'s shape), and inner bodies that do more than the
//! match's action, a loop inside `except TypeError:` (the fallback code writes for items a dict
//! cannot hold: sympy's `multiset_derangements` remaps unhashable items this way), and `for a in
//! xs: for b in xs: if a == b:` over one collection with the bare items compared (every pair on
//! purpose, as a test of `__eq__` does). Test code is otherwise treated like any code: the cost is
//! the same.
//!
//! Tiers: warning when both loops run over data whose size the code does not bound (names of
//! parameters or locals built from data): the message names both collections and the product.
//! Hint when either runs over an attribute (`self.fields`: usually an object's few parts) or a
//! `*args` parameter (what a caller wrote out): the shape is the one interviewers ask about, and
//! the message says it is cheap while the collection stays short.
//!
//! Fix ("Build an index", unsafe), offered when the scan is `for b in B` itself, the match's
//! action ends with `break` or `return` (the loop wants the first match) and contains no other
//! `break`/`continue`, the inner target is one name, `<key_a>` is a plain reference (a name, attribute or subscript chain on names: it is
//! evaluated twice), and no comment or multi-line string would be lost or re-indented:
//! `index = {}` / `for b in B: index.setdefault(<key_b>, b)` before the outer loop (first match
//! wins, as in the scan), and the inner loop becomes `if <key_a> in index: b = index[<key_a>]` with
//! its action (the loop's `else:` becomes the `if`'s). Unsafe because the keys must be hashable
//! (unhashable keys raise `TypeError`), items equal but hashed differently (an `__eq__` without a
//! matching `__hash__`) stop matching, `<key_b>` is evaluated once per item instead of once per
//! pair, `B` is read once before the outer loop (also when the outer loop has no items), and `b`
//! no longer holds the last item after an unmatched scan.

use ruff_python_ast::{
    CmpOp, ExceptHandler, Expr, ExprCompare, ExprGenerator, ExprListComp, ExprSetComp, Stmt, StmtFor, StmtIf,
};
use ruff_text_size::{Ranged, TextRange};

use super::helpers::containers::{
    Change, Repeat, SMALL_LITERAL, change_in, is_data, iterates_data, literal_len, runs_few_times,
};
use super::helpers::idioms::is_known_dict;
use super::helpers::loops::{enclosing_loops, short, taken_names};
use crate::analysis::checker::{Checker, Frame};
use crate::analysis::finding::{Edit, Finding, Fix, Severity};
use crate::analysis::helpers;
use crate::analysis::rule::Rule;
use crate::analysis::semantic::{NodeId, NodeRef, ScopeKind, SemanticModel};

/// The parts of `for b in B: if <l> == <r>: <action>`, or of `[... for b in B if <l> == <r>]`
/// (not yet told apart: which side is whose).
struct Scan<'a> {
    target: &'a Expr,
    iter: &'a Expr,
    /// The whole scan: the `for` statement or the comprehension.
    range: TextRange,
    /// Where the finding goes: `for b in B`.
    header: TextRange,
    test: &'a ExprCompare,
    /// The statement form and its match's action (the only form the index fix rewrites).
    statement: Option<(&'a StmtFor, &'a [Stmt])>,
}

fn scan(node: NodeRef<'_>) -> Option<Scan<'_>> {
    match node {
        NodeRef::Stmt(Stmt::For(inner)) if !inner.is_async => {
            let [Stmt::If(StmtIf { test, body, elif_else_clauses, .. })] = inner.body.as_slice() else {
                return None;
            };
            let test = equality(test)?;
            if !elif_else_clauses.is_empty() || !is_action(body) {
                return None;
            }
            Some(Scan {
                target: &inner.target,
                iter: &inner.iter,
                range: inner.range(),
                header: TextRange::new(inner.start(), inner.iter.end()),
                test,
                statement: Some((inner, body)),
            })
        }
        NodeRef::Expr(Expr::ListComp(ExprListComp { generators, .. }))
        | NodeRef::Expr(Expr::SetComp(ExprSetComp { generators, .. }))
        | NodeRef::Expr(Expr::Generator(ExprGenerator { generators, .. })) => {
            let [generator] = generators.as_slice() else { return None };
            let [test] = generator.ifs.as_slice() else { return None };
            if generator.is_async {
                return None;
            }
            Some(Scan {
                target: &generator.target,
                iter: &generator.iter,
                range: node.range(),
                header: TextRange::new(generator.start(), generator.iter.end()),
                test: equality(test)?,
                statement: None,
            })
        }
        _ => None,
    }
}

/// `<l> == <r>`, one link.
fn equality(test: &Expr) -> Option<&ExprCompare> {
    match test {
        Expr::Compare(compare) if matches!(*compare.ops, [CmpOp::Eq]) => Some(compare),
        _ => None,
    }
}

/// What a match does: appends, assigns, returns, breaks, continues.
fn is_action(body: &[Stmt]) -> bool {
    !body.is_empty()
        && body.iter().all(|s| {
            matches!(s, Stmt::Expr(e) if e.value.is_call_expr())
                || matches!(
                    s,
                    Stmt::Assign(_)
                        | Stmt::AugAssign(_)
                        | Stmt::AnnAssign(_)
                        | Stmt::Return(_)
                        | Stmt::Break(_)
                        | Stmt::Continue(_)
                )
        })
}

/// During the walk: a scan of the right shape (a `for` statement, or a comprehension with one
/// `for` and one `if`) in the body of a `for` is looked at again once every read is known.
pub(crate) fn check(checker: &mut Checker, node: NodeRef) {
    let around = checker.frames().find(|f| !matches!(f, Frame::Comprehension));
    if matches!(around, Some(Frame::Loop(Stmt::For(outer))) if !outer.is_async)
        && scan(node).is_some()
        && let Some(id) = checker.node_id()
    {
        checker.defer(Rule::NestedLoopLookup, id);
    }
}

/// A scan told apart: the key from the outer item, the key from the inner one.
struct Lookup<'a> {
    scan: Scan<'a>,
    key_a: &'a Expr,
    key_b: &'a Expr,
}

pub(crate) fn check_deferred(checker: &mut Checker, inner_id: NodeId) {
    let model = checker.semantic();
    let inner_node = model.node(inner_id);
    let Some(scan) = scan(inner_node) else { return };
    // The loop that repeats the scan: the nearest one around it, in the same function, with the
    // scan in its body. A comprehension is looked up from the statement holding it.
    let from = match inner_node {
        NodeRef::Stmt(_) => Some(inner_id),
        NodeRef::Expr(_) => model.statement_id(inner_id),
    };
    let Some(from) = from else { return };
    let outer_loop = enclosing_loops(model, from).first().copied();
    let Some((node, outer_stmt @ Stmt::For(outer))) = outer_loop else { return };
    if outer.is_async || !outer.body.iter().any(|s| s.range().contains_range(scan.range)) {
        return;
    }
    let outer_repeat = Repeat::Loop(node, outer_stmt);
    if runs_few_times(checker, outer_repeat) || in_type_error_handler(checker, node) {
        return;
    }
    let Some(lookup) = lookup(checker, outer, scan) else { return };
    let Some(collection) = collection_of(checker, lookup.scan.iter) else { return };
    let inner_repeat = match inner_node {
        NodeRef::Stmt(stmt) => Repeat::Loop(inner_id, stmt),
        NodeRef::Expr(expr) => Repeat::Comprehension(expr),
    };
    if runs_few_times(checker, inner_repeat) || !hoistable(checker, outer, collection.items) {
        return;
    }
    let data = (iterates_data(checker, outer_repeat), is_data(checker, collection.items));
    let finding = finding(checker, node, outer, &lookup, &collection, data);
    checker.report(finding);
}

/// How the scan walks the second collection `items`.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Walk {
    /// `for b in items`
    Items,
    /// `enumerate(items)`, `range(len(items))`, `items.values()`
    Positions,
    /// `items.items()`, `items.keys()`: the keys of a mapping.
    Keys,
}

struct Collection<'a> {
    items: &'a Expr,
    walk: Walk,
}

/// `B`, or `enumerate(B)`, `range(len(B))`, `B.items()`, `B.keys()`, `B.values()`.
fn collection_of<'a>(checker: &Checker, iter: &'a Expr) -> Option<Collection<'a>> {
    let Expr::Call(call) = iter else { return Some(Collection { items: iter, walk: Walk::Items }) };
    if !call.arguments.keywords.is_empty() {
        return None;
    }
    match (&*call.func, &*call.arguments.args) {
        (Expr::Attribute(attr), []) => {
            let walk = match attr.attr.as_str() {
                "items" | "keys" => Walk::Keys,
                "values" => Walk::Positions,
                _ => return None,
            };
            Some(Collection { items: &attr.value, walk })
        }
        (func, [arg]) if checker.resolves_to(func, "builtins.enumerate") => {
            Some(Collection { items: arg, walk: Walk::Positions })
        }
        (func, [Expr::Call(len)]) if checker.resolves_to(func, "builtins.range") => match &*len.arguments.args {
            [arg] if len.arguments.keywords.is_empty() && checker.resolves_to(&len.func, "builtins.len") => {
                Some(Collection { items: arg, walk: Walk::Positions })
            }
            _ => None,
        },
        _ => None,
    }
}

/// Which side of `==` is keyed on which loop, if the test joins the two.
fn lookup<'a>(checker: &Checker, outer: &StmtFor, scan: Scan<'a>) -> Option<Lookup<'a>> {
    let model = checker.semantic();
    let inner_range = scan.range;
    let outer_range = outer.range();
    let target_range = scan.target.range();
    // What a side reads: (the inner target, something else the outer loop binds).
    let reads = |side: &Expr| {
        let id = model.expr_id(side)?;
        let (mut inner, mut outer) = (false, false);
        for binding in model.bindings_read_in(id) {
            let at = model.binding(binding).range;
            if inner_range.contains_range(at) {
                // Anything bound inside the scan (its target, a walrus) changes per inner item.
                inner |= true;
                outer |= !target_range.contains_range(at);
            } else if outer_range.contains_range(at) {
                outer = true;
            }
        }
        Some((inner, outer))
    };
    let [right] = &*scan.test.comparators else { return None };
    let left = &*scan.test.left;
    let (l, r) = (reads(left)?, reads(right)?);
    let (key_a, key_b) = match (l, r) {
        ((false, true), (true, false)) => (left, right),
        ((true, false), (false, true)) => (right, left),
        _ => return None,
    };
    // `for a in xs: for b in xs: if a == b:` visits every pair of one collection on purpose (a
    // test of `__eq__`, a duplicate report): there is no second collection to index.
    let bare = |key: &Expr, target: &Expr| matches!((key, target), (Expr::Name(k), Expr::Name(t)) if k.id == t.id);
    if bare(key_a, &outer.target)
        && bare(key_b, scan.target)
        && checker.source.slice(&*outer.iter) == checker.source.slice(scan.iter)
    {
        return None;
    }
    Some(Lookup { scan, key_a, key_b })
}

/// Is the loop inside `except TypeError:` (or a tuple naming it)? That is the fallback code writes
/// for items a dict cannot hold (`unhashable type`), where the scan is the answer.
fn in_type_error_handler(checker: &Checker, node: NodeId) -> bool {
    let model = checker.semantic();
    let at = model.node(node).range();
    model.ancestors(node).any(|ancestor| {
        let NodeRef::Stmt(Stmt::Try(try_stmt)) = ancestor else { return false };
        try_stmt.handlers.iter().any(|handler| {
            let ExceptHandler::ExceptHandler(handler) = handler;
            let names_type_error = |e: &Expr| checker.resolves_to(e, "builtins.TypeError");
            handler.range.contains_range(at)
                && handler.type_.as_deref().is_some_and(|t| match t {
                    Expr::Tuple(tuple) => tuple.elts.iter().any(names_type_error),
                    other => names_type_error(other),
                })
        })
    })
}

/// Can `B` be read once before the outer loop? A name or attribute chain on a name, its name not
/// rebound inside the outer loop; a name also not changed there, and not a short literal.
fn hoistable(checker: &Checker, outer: &StmtFor, iter: &Expr) -> bool {
    let model = checker.semantic();
    let mut root = iter;
    while let Expr::Attribute(attr) = root {
        root = &attr.value;
    }
    let Expr::Name(name) = root else { return false };
    let Some(binding) = model.resolve_name(name) else { return !name.id.is_empty() };
    let b = model.binding(binding);
    if model.bindings_of(b.scope, b.name).any(|other| outer.range().contains_range(model.binding(other).range)) {
        return false;
    }
    if iter.is_name_expr() {
        if b.value.and_then(literal_len).is_some_and(|n| n <= SMALL_LITERAL) {
            return false;
        }
        if !matches!(change_in(model, binding, outer.range()), Change::None) {
            return false;
        }
    }
    true
}

/// `data`: whether the outer loop and the scanned collection are data of a size the code does not
/// bound.
fn finding(
    checker: &Checker,
    node: NodeId,
    outer: &StmtFor,
    lookup: &Lookup,
    collection: &Collection,
    data: (bool, bool),
) -> Finding {
    let scan = &lookup.scan;
    let range = scan.header;
    // `enumerate(xs)` and `d.items()` run as often as `xs` and `d`.
    let outer_items = collection_of(checker, &outer.iter).map_or(&*outer.iter, |c| c.items);
    let (a_items, b_items) = (short(checker, outer_items), short(checker, collection.items));
    let to = if collection.walk == Walk::Positions { "its position" } else { "the item" };
    let (key_a, key_b) = (short(checker, lookup.key_a), short(checker, lookup.key_b));
    let header = format!("for {} in {}", short(checker, scan.target), short(checker, scan.iter));
    let key_target = match (scan.target, collection.walk) {
        (Expr::Tuple(t), Walk::Keys) => t.elts.first(),
        (target, Walk::Keys) => Some(target),
        // `for k in d:` over a known dict walks its keys too.
        (target, Walk::Items) if is_known_dict(checker, collection.items) => Some(target),
        _ => None,
    };
    // `for k, v in d.items(): if k == key:` walks a mapping for one of its own keys.
    let own_key =
        key_target.is_some_and(|t| matches!((t, lookup.key_b), (Expr::Name(t), Expr::Name(k)) if t.id == k.id));
    let severity = if data == (true, true) { Severity::Warning } else { Severity::Hint };
    let message = if own_key {
        let mapping = if is_known_dict(checker, collection.items) {
            format!("`{b_items}` is a dict, which")
        } else {
            format!("if `{b_items}` is a dict, it")
        };
        let cost = if severity == Severity::Warning {
            format!("O(len({a_items}) × len({b_items})) comparisons")
        } else {
            format!(
                "`{}` is usually a few items, so this is cheap while it stays short",
                if data.0 { b_items } else { a_items }
            )
        };
        format!(
            "`{header}` walks the keys of `{b_items}` for every item of `{a_items}` to find the key equal to \
             `{key_a}`: {cost}; {mapping} finds that key by hashing, `{key_a} in {b_items}` / \
             `{b_items}.get({key_a})` in O(1) on average"
        )
    } else if severity == Severity::Warning {
        format!(
            "`{header}` scans `{b_items}` once for every item of `{a_items}` to find the items whose `{key_b}` \
             equals `{key_a}`: O(len({a_items}) × len({b_items})) comparisons; a dict from `{key_b}` to {to}, \
             built once before the outer loop, finds each match in O(1) on average"
        )
    } else {
        let short_one = if data.0 { b_items } else { a_items };
        format!(
            "`{header}` scans `{b_items}` for every item of `{a_items}` to find the items whose `{key_b}` equals \
             `{key_a}`; `{short_one}` is usually a few items (an attribute or `*args`), so this is cheap while it \
             stays short, and a dict from `{key_b}` to {to}, built once, makes each match O(1) if it grows"
        )
    };
    let fix = if collection.walk == Walk::Items { index_fix(checker, node, outer, lookup) } else { None };
    Finding::new(Rule::NestedLoopLookup, range, message).with_severity(severity).with_fix(fix)
}

/// A name, or an attribute / subscript chain on names and literals: reading it twice reads the
/// same value and runs no call.
fn is_plain_reference(expr: &Expr) -> bool {
    match expr {
        Expr::Name(_) => true,
        Expr::Attribute(attr) => is_plain_reference(&attr.value),
        Expr::Subscript(sub) => {
            is_plain_reference(&sub.value) && (is_plain_reference(&sub.slice) || sub.slice.is_literal_expr())
        }
        _ => false,
    }
}

/// Does `id` contain a `break` or `continue` (at any depth)?
fn has_jump(model: &SemanticModel, stmt: &Stmt) -> bool {
    let Some(id) = model.stmt_id(stmt) else { return true };
    std::iter::once(id)
        .chain(model.descendants(id))
        .any(|n| matches!(model.node(n), NodeRef::Stmt(Stmt::Break(_) | Stmt::Continue(_))))
}

fn index_fix(checker: &Checker, node: NodeId, outer: &StmtFor, lookup: &Lookup) -> Option<Fix> {
    let model = checker.semantic();
    let source = &checker.source;
    let (inner, action) = lookup.scan.statement?;
    let Expr::Name(b) = &*inner.target else { return None };
    let (last, kept) = action.split_last()?;
    let kept = match last {
        Stmt::Break(_) => kept,
        Stmt::Return(_) => action,
        _ => return None,
    };
    if kept.iter().any(|s| has_jump(model, s)) || !is_plain_reference(lookup.key_a) {
        return None;
    }
    let scope = model.nodes.scope(node);
    if matches!(model.scope(scope).kind, ScopeKind::Class(_)) {
        return None;
    }
    let first_action = action.first()?;
    let outer_indent = source.indentation_at(outer.start())?;
    let inner_indent = source.indentation_at(inner.start())?;
    let if_indent = source.indentation_at(inner.body.first()?.start())?;
    let action_indent = source.indentation_at(first_action.start())?;
    // Nothing lost between `for` and the action, nothing re-indented inside a string.
    if source.has_comments(TextRange::new(inner.start(), first_action.start()))
        || source.has_multiline_string(inner.range())
        || !action_indent.starts_with(if_indent)
        || action_indent.len() == if_indent.len()
    {
        return None;
    }
    let nl = source.line_ending();
    let base = match &*inner.iter {
        Expr::Name(n) => n.id.as_str(),
        Expr::Attribute(a) => a.attr.as_str(),
        _ => return None,
    };
    let preferred = match lookup.key_b {
        Expr::Attribute(a) if matches!(&*a.value, Expr::Name(n) if n.id == b.id) => format!("{base}_by_{}", a.attr),
        _ => format!("{base}_index"),
    };
    let index = helpers::fresh_name(&preferred, &taken_names(model, scope));
    let (key_a, key_b, items) = (source.slice(lookup.key_a), source.slice(lookup.key_b), source.slice(&*inner.iter));
    let unit = source.indent_unit();
    let build = format!(
        "{outer_indent}{index} = {{}}{nl}{outer_indent}for {b} in {items}:{nl}{outer_indent}{unit}{index}.setdefault({key_b}, {b}){nl}",
        b = b.id
    );
    let mut replacement = format!("if {key_a} in {index}:{nl}{if_indent}{b} = {index}[{key_a}]", b = b.id);
    if let (Some(first), Some(last)) = (kept.first(), kept.last()) {
        let block = &source.text()[TextRange::new(source.line_start(first.start()), last.end())];
        replacement.push_str(nl);
        replacement.push_str(&dedent(block, action_indent, if_indent)?);
    }
    if let (Some(first), Some(last)) = (inner.orelse.first(), inner.orelse.last()) {
        let block = &source.text()[TextRange::new(source.line_start(first.start()), last.end())];
        replacement.push_str(&format!("{nl}{inner_indent}else:{nl}{block}"));
    }
    let edits = vec![Edit::insert(source.line_start(outer.start()), build), Edit::replace(inner.range(), replacement)];
    Fix::unsafe_(format!("Build `{index}` once and look each match up in it"), edits)
}

/// `block` with every line's `from` indentation replaced by `to`; `None` if a non-blank line does
/// not start with `from` (a continuation line indented less).
fn dedent(block: &str, from: &str, to: &str) -> Option<String> {
    let mut out = String::with_capacity(block.len());
    for line in block.split_inclusive('\n') {
        if line.trim().is_empty() {
            out.push_str(line);
        } else {
            out.push_str(to);
            out.push_str(line.strip_prefix(from)?);
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use crate::analysis::finding::{Applicability, Severity};
    use crate::analysis::rule::Rule::NestedLoopLookup as R;

    const JOIN: &str = "def attach(orders, customers):\n    for order in orders:\n        for customer in customers:\n            if customer.id == order.customer_id:\n                order.customer = customer\n                break\n    return orders\n";

    #[test]
    fn warning_when_both_loops_run_over_data() {
        assert_tier(JOIN, R, Severity::Warning, "O(len(orders) × len(customers)) comparisons");
        let msg = message(JOIN, R);
        assert!(
            msg.starts_with("`for customer in customers` scans `customers` once for every item of `orders`"),
            "{msg}"
        );
        assert!(msg.contains("whose `customer.id` equals `order.customer_id`"), "{msg}");
        // Either side of `==`, any action, a collecting scan without `break`.
        let collect = "def pairs(xs, ys):\n    out = []\n    for x in xs:\n        for y in ys:\n            if x.key == y.key:\n                out.append((x, y))\n    return out\n";
        assert_tier(collect, R, Severity::Warning, "O(len(xs) × len(ys))");
        let ret = "def find(names, people):\n    for n in names:\n        for p in people:\n            if p['name'] == n:\n                return p\n";
        assert_count(ret, R, 1);
    }

    #[test]
    fn scans_under_an_if_and_by_position_or_key() {
        assert_count(
            "def f(xs, ys):\n    for x in xs:\n        if x:\n            for y in ys:\n                if x.k == y.k:\n                    print(y)\n",
            R,
            1,
        );
        let positions = "def f(labels, names, xs):\n    for label in labels:\n        for i in range(len(names)):\n            if names[i] == label:\n                print(xs[i])\n";
        assert_tier(positions, R, Severity::Warning, "scans `names` once for every item of `labels`");
        let enumerated = "def f(labels, names):\n    for label in labels:\n        for i, name in enumerate(names):\n            if name == label:\n                print(i)\n";
        assert_tier(enumerated, R, Severity::Warning, "O(len(labels) × len(names))");
        assert_tier(enumerated, R, Severity::Warning, "a dict from `name` to its position");
        let outer = enumerated.replace("for label in labels", "for n, label in enumerate(labels)");
        assert_tier(&outer, R, Severity::Warning, "for every item of `labels`");
        // No index fix for these: what to index by is the reader's choice.
        assert!(findings(enumerated, R)[0].fix.is_none());
        // A mapping walked for one of its own keys.
        let keys = "def f(results, table):\n    for key in results:\n        for k, v in table.items():\n            if k == key:\n                print(v)\n";
        assert_tier(keys, R, Severity::Warning, "if `table` is a dict, it finds that key by hashing, `key in table`");
        let known = "def f(results, pairs):\n    table = dict(pairs)\n    for key in results:\n        for k in table.keys():\n            if key == k:\n                print(k)\n";
        assert_tier(known, R, Severity::Warning, "`table` is a dict, which finds that key by hashing");
        let plain = known.replace("for k in table.keys()", "for k in table");
        assert_tier(&plain, R, Severity::Warning, "`table` is a dict, which finds that key by hashing");
        // `enumerate(g())`, `d.get(...)`: not a collection read once.
        assert_clean(
            "def f(xs, g):\n    for x in xs:\n        for i, y in enumerate(g()):\n            if x == y:\n                print(i)\n",
            R,
        );
        assert_clean(
            "def f(xs, d):\n    for x in xs:\n        for y in d.get(x):\n            if x == y.k:\n                print(y)\n",
            R,
        );
    }

    #[test]
    fn comprehensions_that_scan_for_a_match_in_a_loop() {
        let first = "def f(a, b):\n    d = {}\n    for rsa in a:\n        d[rsa] = [rsb for rsb in b if rsa.symbol == rsb.symbol][0]\n    return d\n";
        assert_tier(first, R, Severity::Warning, "`for rsb in b` scans `b` once for every item of `a`");
        // No index fix for the comprehension form.
        assert!(findings(first, R)[0].fix.is_none());
        let next = "def f(names, fields):\n    for name in names:\n        field = next((f for f in fields if f.name == name), None)\n        print(field)\n";
        assert_count(next, R, 1);
        // In the loop's own iterable, with two clauses or a filter that is not one `==`: not this.
        assert_clean("def f(xs, ys):\n    for x in [y for y in ys if y.k == 1]:\n        print(x)\n", R);
        assert_clean("def f(xs, ys):\n    for x in xs:\n        print([y for y in ys if y.k > x.k])\n", R);
        assert_clean(
            "def f(xs, ys, zs):\n    for x in xs:\n        print([y for y in ys for z in zs if y.k == x.k])\n",
            R,
        );
        // Not in a loop; inside a lambda in a loop (runs at another time).
        assert_clean("def f(x, ys):\n    return [y for y in ys if y.k == x.k]\n", R);
        assert_clean("def f(xs, ys):\n    for x in xs:\n        g = lambda x=x: [y for y in ys if y.k == x.k]\n", R);
    }

    #[test]
    fn hint_when_a_collection_is_an_attribute_or_star_args() {
        let src = "class C:\n    def f(self, names):\n        for n in names:\n            for field in self.fields:\n                if field.name == n:\n                    return field\n";
        assert_tier(src, R, Severity::Hint, "`self.fields` is usually a few items");
        let src = "def f(*wanted, items):\n    for w in wanted:\n        for i in items:\n            if i.name == w:\n                print(i)\n";
        assert_tier(src, R, Severity::Hint, "`wanted` is usually a few items");
    }

    #[test]
    fn ignores_tests_that_a_dict_cannot_answer() {
        for test in
            ["x.start < y.end", "x.k != y.k", "x.k in y.keys", "x is y", "x.k == y.k == 1", "x.k == y.k and x.v"]
        {
            let src = format!(
                "def f(xs, ys):\n    for x in xs:\n        for y in ys:\n            if {test}:\n                print(x, y)\n"
            );
            assert_clean(&src, R);
        }
        // A key that reads both items, or neither loop's item.
        for test in ["x.k == y.k + x.d", "y.k == limit", "x.k == limit"] {
            let src = format!(
                "def f(xs, ys, limit):\n    for x in xs:\n        for y in ys:\n            if {test}:\n                print(x, y)\n"
            );
            assert_clean(&src, R);
        }
    }

    #[test]
    fn ignores_the_unhashable_fallback_and_all_pairs_of_one_collection() {
        let src = "def f(s):\n    try:\n        ms = {x: 1 for x in s}\n    except TypeError:\n        key = dict(enumerate(s))\n        h = []\n        for si in s:\n            for k in key:\n                if key[k] == si:\n                    h.append(k)\n                    break\n        return h\n";
        assert_clean(src, R);
        assert_count(&src.replace("except TypeError:", "except (ValueError, TypeError):"), R, 0);
        assert_count(&src.replace("except TypeError:", "except ValueError:"), R, 1);
        let pairs = "def t(items):\n    for a in items:\n        for b in items:\n            if a == b:\n                seen.append((a, b))\n";
        assert_clean(pairs, R);
        // Two collections, or keys rather than the items themselves: a real lookup.
        assert_count(&pairs.replace("for b in items", "for b in others").replace("(items)", "(items, others)"), R, 1);
        assert_count(&pairs.replace("if a == b", "if a.k == b.k"), R, 1);
    }

    #[test]
    fn ignores_short_literals_and_few_passes() {
        assert_clean(
            "def f(xs):\n    for x in xs:\n        for y in ['a', 'b', 'c']:\n            if x.k == y:\n                print(y)\n",
            R,
        );
        assert_clean(
            "def f(xs):\n    ys = ('a', 'b', 'c')\n    for x in xs:\n        for y in ys:\n            if x.k == y:\n                print(y)\n",
            R,
        );
        assert_clean(
            "def f(ys):\n    for x in range(3):\n        for y in ys:\n            if x == y.k:\n                print(y)\n",
            R,
        );
        assert_clean(
            "def f(ys):\n    for x in (1, 2):\n        for y in ys:\n            if x == y.k:\n                print(y)\n",
            R,
        );
        // A literal of more than eight items still costs a scan per item.
        assert_count(
            "def f(xs):\n    ys = [1, 2, 3, 4, 5, 6, 7, 8, 9]\n    for x in xs:\n        for y in ys:\n            if x.k == y:\n                print(y)\n",
            R,
            1,
        );
    }

    #[test]
    fn ignores_collections_read_anew_or_changed_per_pass() {
        // A call, a subscript: evaluated on every pass.
        assert_clean(
            "def f(xs, g):\n    for x in xs:\n        for y in g():\n            if x == y.k:\n                print(y)\n",
            R,
        );
        assert_clean(
            "def f(xs, t):\n    for x in xs:\n        for y in t[x]:\n            if x == y.k:\n                print(y)\n",
            R,
        );
        // Rebound or grown inside the outer loop (the growing "seen" list).
        assert_clean(
            "def f(xs, ys):\n    for x in xs:\n        ys = x.children\n        for y in ys:\n            if x.k == y.k:\n                print(y)\n",
            R,
        );
        assert_clean(
            "def f(xs):\n    out = []\n    for x in xs:\n        for y in out:\n            if x.k == y.k:\n                break\n        else:\n            out.append(x)\n",
            R,
        );
    }

    #[test]
    fn ignores_scans_that_do_more_than_match() {
        assert_clean(
            "def f(xs, ys):\n    for x in xs:\n        for y in ys:\n            log(y)\n            if x.k == y.k:\n                print(y)\n",
            R,
        );
        assert_clean(
            "def f(xs, ys):\n    for x in xs:\n        for y in ys:\n            if x.k == y.k:\n                print(y)\n            else:\n                print(x)\n",
            R,
        );
        assert_clean(
            "def f(xs, ys):\n    for x in xs:\n        for y in ys:\n            if x.k == y.k:\n                for z in y:\n                    print(z)\n",
            R,
        );
        // In the `else:` of the outer loop, or in an async loop.
        assert_clean(
            "def f(xs, ys):\n    for x in xs:\n        pass\n    else:\n        for y in ys:\n            if x.k == y.k:\n                print(y)\n",
            R,
        );
        assert_clean(
            "async def f(xs, ys):\n    for x in xs:\n        async for y in ys:\n            if x.k == y.k:\n                print(y)\n",
            R,
        );
    }

    #[test]
    fn fix_builds_the_index_and_keeps_the_first_match() {
        let fixed_text = fixed(JOIN, R);
        assert_eq!(
            fixed_text,
            "def attach(orders, customers):\n    customers_by_id = {}\n    for customer in customers:\n        customers_by_id.setdefault(customer.id, customer)\n    for order in orders:\n        if order.customer_id in customers_by_id:\n            customer = customers_by_id[order.customer_id]\n            order.customer = customer\n    return orders\n"
        );
        assert_eq!(first_fix_applicability(JOIN, R), Some(Applicability::Unsafe));
        // Duplicate keys: the first match wins in both.
        let driver = "class O:\n    def __init__(s, c): s.customer_id = c; s.customer = None\nclass C:\n    def __init__(s, i, n): s.id = i; s.n = n\nos = attach([O(1), O(2), O(3)], [C(1, 'a'), C(2, 'b'), C(1, 'c')])\nprint([o.customer and o.customer.n for o in os])\n";
        assert_fix_keeps_output(JOIN, R, driver);
    }

    #[test]
    fn fix_keeps_the_loop_else_and_a_return() {
        let src = "def f(xs, ys):\n    out = []\n    for x in xs:\n        for y in ys:\n            if y[0] == x:\n                out.append(y[1])\n                break\n        else:\n            out.append(None)\n    return out\n";
        let fixed_text =
            assert_fix_keeps_output(src, R, "print(f([1, 2, 5], [(1, 'a'), (2, 'b'), (1, 'c')]), f([], []))");
        assert!(fixed_text.contains("        else:\n            out.append(None)\n"), "{fixed_text}");
        let src = "def find(names, people):\n    for n in names:\n        for p in people:\n            if p['name'] == n:\n                return p\n    return None\n";
        assert_fix_keeps_output(
            src,
            R,
            "print(find(['x', 'b'], [{'name': 'a'}, {'name': 'b', 'v': 1}, {'name': 'b'}]))",
        );
    }

    #[test]
    fn no_fix_when_the_scan_collects_or_the_key_is_a_call() {
        let collect = "def pairs(xs, ys):\n    out = []\n    for x in xs:\n        for y in ys:\n            if x.key == y.key:\n                out.append((x, y))\n    return out\n";
        assert!(findings(collect, R)[0].fix.is_none());
        let call = "def f(xs, ys):\n    for x in xs:\n        for y in ys:\n            if y.k == key(x):\n                return y\n";
        assert!(findings(call, R)[0].fix.is_none());
        let continues = "def f(xs, ys):\n    for x in xs:\n        for y in ys:\n            if y.k == x:\n                if y.skip:\n                    continue\n                return y\n";
        assert!(findings(continues, R).is_empty() || findings(continues, R)[0].fix.is_none());
    }

    #[test]
    fn card_examples() {
        assert_card_examples(R);
    }

    #[test]
    fn half_typed_code_does_not_panic() {
        for src in [
            "for x in xs:\n    for y in ys:\n        if x ==",
            "for x in xs:\n    for y in :\n        if x == y.k:\n            break\n",
            "for x in xs:\n    for in ys:\n        if x == y.k:\n            break\n",
            "for x in xs:\n    for y in ys:\n        if == y.k:\n            break\n",
        ] {
            let _ = findings(src, R);
        }
    }
}
