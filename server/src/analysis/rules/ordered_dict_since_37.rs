//! `ordered-dict-since-37` (no Ruff or Pylint peer): the optional hint of the concept card. A
//! local name bound to `collections.OrderedDict(...)` that uses none of what `OrderedDict` still
//! adds over a plain dict (`move_to_end`, `popitem(last=...)`, order-sensitive `==`): plain dicts
//! keep insertion order (guaranteed since Python 3.7), so the shape is teachable and harmless here.
//! Hint tier only: nothing goes wrong with an `OrderedDict`, it is only heavier and older.
//!
//! Reported when the name is bound once in its function, by `x = OrderedDict(...)` (or
//! `x: T = ...`), and every read of it is one a dict answers the same way: item reads, stores and
//! deletes; `get`, `items`, `keys`, `values`, `setdefault`, `update`, `pop`, `clear` and a bare
//! `popitem()` (last in, first out for both); iteration and unpacking; `k in x`; truth tests;
//! `del x`; passing it to `len`, `list`, `sorted`, `dict` and other builtins that only read it, or
//! to `json.dump(s)` (which writes both in insertion order). `keys()`, `values()` and `items()`
//! count only where the view is consumed (iterated, unpacked, read by such a builtin, a membership
//! or truth test): handed on, it is an `odict_keys`... that other code may rely on (a pandas test
//! does exactly that).
//!
//! Not reported: module and class level names (another module may import them and reorder them),
//! names that leave the function (returned, stored, passed to other code, captured by a closure)
//! whose later users may need the extras, any `==`/`!=` or other operator on the name, `repr`,
//! `print` and formatting (the two types print differently), `copy()`, stubs. Test code is treated
//! like other code: tests of `OrderedDict` itself use its extras or hand the object to the code
//! under test, which already keeps the hint away.
//!
//! Fix 'Replace with dict' (unsafe: the error raised when the mapping changes during iteration
//! differs in wording and in when it is raised, and an `OrderedDict` import may be left unused):
//! the callee becomes `dict`, when the builtin is visible there.

use ruff_python_ast::{CmpOp, Expr, ExprCall, ExprName, Stmt, UnaryOp};
use ruff_text_size::Ranged;

use crate::analysis::checker::Checker;
use crate::analysis::finding::{Edit, Finding, Fix, Severity};
use crate::analysis::rule::Rule;
use crate::analysis::semantic::{BindingFlags, NodeId, NodeRef, ScopeKind, SemanticModel, Use};

/// During the walk: `x = OrderedDict(...)` in a function is looked at again once every read of
/// `x` is known.
pub(crate) fn check(checker: &mut Checker, call: &ExprCall) {
    // Cheapest first: the callee's spelling (no allocation, no search), the scope, then the
    // statement around it, then resolving.
    let spelled = match &*call.func {
        Expr::Attribute(attribute) => attribute.attr.as_str() == "OrderedDict",
        Expr::Name(name) => {
            name.id.as_str() == "OrderedDict"
                || checker
                    .binding_of(name)
                    .and_then(|b| b.import_name())
                    .is_some_and(|q| q.segments().last() == Some(&"OrderedDict"))
        }
        _ => false,
    };
    if !spelled || checker.is_stub || !checker.semantic().current_scope().kind.is_function_like() {
        return;
    }
    let Some(node) = checker.node_id() else { return };
    if assigned_name(checker.semantic(), node, call).is_none()
        || !checker.resolves_to(&call.func, "collections.OrderedDict")
    {
        return;
    }
    checker.defer(Rule::OrderedDictSince37, node);
}

/// The `Name` the call (node `node`) is bound to, as the whole value of an assignment. (The walk
/// visits the value before the target, so the target has no node id yet when the call is seen.)
fn assigned_name<'a>(model: &SemanticModel<'a>, node: NodeId, call: &ExprCall) -> Option<&'a ExprName> {
    let parent = model.parent_id(node)?;
    let target = match model.node(parent) {
        NodeRef::Stmt(Stmt::Assign(assign)) if assign.targets.len() == 1 => &assign.targets[0],
        NodeRef::Stmt(Stmt::AnnAssign(assign)) => &*assign.target,
        _ => return None,
    };
    let value = match model.node(parent) {
        NodeRef::Stmt(Stmt::Assign(assign)) => Some(&*assign.value),
        NodeRef::Stmt(Stmt::AnnAssign(assign)) => assign.value.as_deref(),
        _ => None,
    }?;
    if !matches!(value, Expr::Call(c) if std::ptr::eq(c, call)) {
        return None;
    }
    target.as_name_expr()
}

/// Methods a plain dict has and answers exactly as an `OrderedDict` does.
const SAME_METHODS: &[&str] = &["clear", "get", "items", "keys", "pop", "setdefault", "update", "values"];

/// Builtins that only read the mapping (its keys, or its items for `dict`). Not `reversed`: a
/// plain dict has it only since 3.8.
const READING_BUILTINS: &[&str] = &[
    "all",
    "any",
    "bool",
    "dict",
    "enumerate",
    "frozenset",
    "iter",
    "len",
    "list",
    "max",
    "min",
    "set",
    "sorted",
    "sum",
    "tuple",
    "zip",
];

pub(crate) fn check_deferred(checker: &mut Checker, node: NodeId) {
    let model = checker.semantic();
    let Some(Expr::Call(call)) = model.node(node).as_expr() else { return };
    let Some(name) = assigned_name(model, node, call) else { return };
    let Some(binding_id) = model.nodes.id_of_name(name).and_then(|id| model.nodes.binding(id)) else { return };
    let binding = model.binding(binding_id);
    let scope = binding.scope;
    if !matches!(model.scope(scope).kind, ScopeKind::Function(_))
        || binding.flags.intersects(BindingFlags::GLOBAL | BindingFlags::NONLOCAL)
        || model.scope(scope).declaration(binding.name).is_some()
        || model.bindings_of(scope, binding.name).count() != 1
    {
        return;
    }
    let mut reads = 0;
    for reference in model.references(binding_id) {
        if model.is_captured(reference, binding_id) || !same_as_dict(checker, reference.node) {
            return;
        }
        reads += 1;
    }
    if reads == 0 {
        return;
    }
    let name = binding.name;
    let message = format!(
        "`{name}` is an `OrderedDict` that uses none of its extras (`move_to_end`, `popitem(last=...)`, \
         order-sensitive `==`) and stays in this function: a plain dict keeps insertion order too (guaranteed \
         since Python 3.7), so nothing goes wrong here; `dict` is the lighter default"
    );
    let fix = model
        .is_builtin_visible(scope, "dict")
        .then(|| Fix::unsafe_("Replace with dict", vec![Edit::replace(call.func.range(), "dict")]))
        .flatten();
    let finding =
        Finding::new(Rule::OrderedDictSince37, call.func.range(), message).with_severity(Severity::Hint).with_fix(fix);
    checker.report(finding);
}

/// Does a plain dict answer this read (node `id`) exactly as the `OrderedDict` does?
fn same_as_dict(checker: &Checker, id: NodeId) -> bool {
    let model = checker.semantic();
    match model.use_of_node(id) {
        // A view (`odict_keys`...) handed to other code carries the type on: only where it is
        // consumed on the spot.
        Use::MethodCall { method: "items" | "keys" | "values", .. } => {
            model.parent_id(id).and_then(|attribute| model.parent_id(attribute)).is_some_and(|call| {
                matches!(model.use_of_node(call), Use::Iterated | Use::Unpacked)
                    || consumed_by_builtin(model, call)
                    || is_membership_or_truth_test(model, call)
            })
        }
        Use::MethodCall { method, call } => {
            SAME_METHODS.contains(&method) || method == "popitem" && call.arguments.is_empty()
        }
        Use::SubscriptLoad(_) | Use::SubscriptStore | Use::Iterated | Use::Unpacked | Use::Deleted => true,
        Use::Argument { call } => {
            consumed_by_builtin(model, id)
                || checker.resolves_to_any(&call.func, &["json.dumps", "json.dump"]).is_some()
        }
        Use::Read => is_membership_or_truth_test(model, id),
        _ => false,
    }
}

/// The value at `id` is an argument of a builtin that only reads it (`len(x)`, `sorted(x)`).
fn consumed_by_builtin(model: &SemanticModel, id: NodeId) -> bool {
    let Use::Argument { call } = model.use_of_node(id) else { return false };
    let Expr::Name(func) = &*call.func else { return false };
    READING_BUILTINS.contains(&func.id.as_str()) && model.is_builtin_visible(model.nodes.scope(id), func.id.as_str())
}

/// `k in x`, `k not in x`, `not x`, `if x:`, `while x:`, `a if x else b`, also as an operand of
/// `and`/`or` in such a test.
fn is_membership_or_truth_test(model: &SemanticModel, id: NodeId) -> bool {
    let (mut id, mut parent) = (id, model.parent_id(id));
    while let Some(p) = parent
        && matches!(model.node(p), NodeRef::Expr(Expr::BoolOp(_)))
    {
        (id, parent) = (p, model.parent_id(p));
    }
    let (NodeRef::Expr(expr), Some(parent)) = (model.node(id), parent) else { return false };
    let through_bool_op = !matches!(model.node(id), NodeRef::Expr(Expr::Name(_)));
    match model.node(parent) {
        // `k in (x or y)` is not a test of `x`.
        NodeRef::Expr(Expr::Compare(_)) if through_bool_op => false,
        NodeRef::Expr(Expr::Compare(compare)) => compare
            .comparators
            .iter()
            .zip(compare.ops.iter())
            .any(|(c, op)| std::ptr::eq(c, expr) && matches!(op, CmpOp::In | CmpOp::NotIn)),
        NodeRef::Expr(Expr::UnaryOp(unary)) => unary.op == UnaryOp::Not,
        NodeRef::Expr(Expr::If(if_expr)) => std::ptr::eq(&*if_expr.test, expr),
        NodeRef::Stmt(Stmt::If(if_stmt)) => std::ptr::eq(&*if_stmt.test, expr),
        NodeRef::Stmt(Stmt::While(while_stmt)) => std::ptr::eq(&*while_stmt.test, expr),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use crate::analysis::finding::{Applicability, Severity};
    use crate::analysis::rule::Rule::OrderedDictSince37 as R;

    #[test]
    fn hints_on_an_ordered_dict_used_as_a_dict() {
        let src = "from collections import OrderedDict\nimport json\n\ndef counts(words):\n    seen = OrderedDict()\n    for w in words:\n        seen[w] = seen.get(w, 0) + 1\n    if 'a' in seen and seen:\n        del seen['a']\n    return json.dumps(seen), sorted(seen), len(seen), [k for k in seen]\n";
        assert_tier(src, R, Severity::Hint, "so nothing goes wrong here");
        assert!(message(src, R).starts_with("`seen` is an `OrderedDict` that uses none of its extras"));
        let src = "import collections\n\ndef f(pairs):\n    d: dict = collections.OrderedDict(pairs)\n    d.update(x=1)\n    k, v = d.popitem()\n    for key, value in d.items():\n        print(key, value)\n    return dict(d)\n";
        assert_count(src, R, 1);
        assert_eq!(first_fix_applicability(src, R), Some(Applicability::Unsafe));
        assert!(fixed(src, R).contains("    d: dict = dict(pairs)\n"));
    }

    #[test]
    fn the_dict_gives_the_same_output() {
        let src = "from collections import OrderedDict\nimport json\n\ndef counts(words):\n    seen = OrderedDict()\n    for w in words:\n        seen[w] = seen.get(w, 0) + 1\n    last = seen.popitem() if seen else None\n    return json.dumps(seen), list(seen.items()), last, 'b' in seen\n";
        assert_fix_keeps_output(src, R, "print(counts('abracadabra'.split('r')))\nprint(counts([]))\n");
    }

    #[test]
    fn no_hint_where_the_extras_are_used_or_the_dict_leaves() {
        for body in [
            // The extras: reordering, popping from the front, order-sensitive equality.
            "d.move_to_end('a')",
            "d.popitem(last=False)",
            "print(d == other)",
            "print(d != other)",
            // Leaves the function, or is shown (`repr` differs).
            "return d",
            "self.cache = d",
            "other.append(d)",
            "use(d)",
            "print(d)",
            "print(f'{d}')",
            "e = d.copy()",
            // A view handed to other code is an `odict_keys`... that it may rely on.
            "use(d.keys())",
            "other.extend(d.items())",
            "g = lambda: d['a']",
        ] {
            let src = format!(
                "from collections import OrderedDict\n\ndef f(self, other, use):\n    d = OrderedDict(a=1)\n    d['b'] = 2\n    {body}\n"
            );
            assert_clean(&src, R);
        }
        for src in [
            // Module and class level; rebound; never read; a local `OrderedDict`.
            "from collections import OrderedDict\nd = OrderedDict()\nd['a'] = 1\n",
            "from collections import OrderedDict\nclass C:\n    d = OrderedDict()\n    d['a'] = 1\n",
            "from collections import OrderedDict\ndef f(c):\n    d = OrderedDict()\n    if c:\n        d = OrderedDict(c)\n    d.move_to_end('a')\n",
            "from collections import OrderedDict\ndef f():\n    d = OrderedDict()\n",
            "class OrderedDict(dict):\n    pass\ndef f():\n    d = OrderedDict()\n    d['a'] = 1\n",
            // Not bound to a name.
            "from collections import OrderedDict\ndef f():\n    return OrderedDict(a=1)\n",
        ] {
            assert_clean(src, R);
        }
    }

    #[test]
    fn no_fix_when_dict_is_shadowed() {
        let src = "from collections import OrderedDict\n\ndef f(dict):\n    d = OrderedDict()\n    d['a'] = 1\n    return len(d)\n";
        assert_count(src, R, 1);
        assert!(findings(src, R)[0].fix.is_none());
    }

    #[test]
    fn half_typed_code_does_not_panic() {
        for src in [
            "from collections import OrderedDict\ndef f():\n    d = OrderedDict(",
            "def f():\n    d = OrderedDict()\n    d.",
        ] {
            let _ = findings(src, R);
        }
    }
}
