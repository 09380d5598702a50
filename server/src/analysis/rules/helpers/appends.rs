//! What the append rules share (`manual-list-comprehension`, `manual-list-copy-or-extend`,
//! `repeated-append`): whether the list appended to is known to be a `list` and where it comes
//! from, whether other code appends to it while a loop runs, and the `res = []` statement a loop
//! can be merged with.

use ruff_python_ast::{Expr, Stmt, StmtFor};
use ruff_text_size::{Ranged, TextRange};

use crate::analysis::checker::Checker;
use crate::analysis::semantic::{BindingId, BindingKind, NodeId, ScopeKind, SimpleType};

/// Where the list appended to comes from.
pub(crate) enum Origin {
    /// Bound in this scope, once before the loop.
    Local,
    /// A parameter annotated as a list, or a list bound in an enclosing scope.
    Elsewhere,
}

/// The list's binding, when (as Ruff's PERF401 requires) it is the only binding of the name in
/// the scope before the loop and it is known to be a list.
pub(crate) fn list_origin(checker: &Checker, list: BindingId, for_stmt: &StmtFor) -> Option<Origin> {
    let model = checker.semantic();
    let scope = checker.scope();
    let binding = model.binding(list);
    if model.scope(scope).declaration(binding.name).is_some() || !is_list(checker, list) {
        return None;
    }
    if binding.scope != scope {
        // A list of an enclosing scope, appended to from a function that never binds the name.
        let in_function = matches!(model.scope(scope).kind, ScopeKind::Function(_));
        return (in_function && model.bindings_of(scope, binding.name).next().is_none()).then_some(Origin::Elsewhere);
    }
    let earlier = model.bindings_of(scope, binding.name).filter(|b| model.binding(*b).start() < for_stmt.start());
    if earlier.count() != 1 {
        return None;
    }
    Some(if matches!(binding.kind, BindingKind::Parameter(_)) { Origin::Elsewhere } else { Origin::Local })
}

/// Is the value `binding` gives its name known to be a list (a display, comprehension, `list()`,
/// `[0] * n`, a `list` annotation, or its place in a tuple assigned to a tuple)?
pub(crate) fn is_list(checker: &Checker, binding: BindingId) -> bool {
    let model = checker.semantic();
    if model.type_of_binding(binding) == Some(SimpleType::List) {
        return true;
    }
    let b = model.binding(binding);
    // `n, out = 0, []` too: the value at the name's place of a tuple assigned to a tuple.
    matches!(b.kind, BindingKind::Assignment | BindingKind::AnnotatedAssignment)
        && model.assigned_value(binding).is_some_and(|v| is_list_value(checker, v))
}

/// `[0] * n` and `a + b` of lists, which the model's simple types do not follow.
fn is_list_value(checker: &Checker, value: &Expr) -> bool {
    match value {
        Expr::List(_) | Expr::ListComp(_) => true,
        Expr::Call(call) => checker.resolves_to(&call.func, "builtins.list"),
        Expr::BinOp(binop) => match binop.op {
            ruff_python_ast::Operator::Add => {
                is_list_value(checker, &binop.left) && is_list_value(checker, &binop.right)
            }
            ruff_python_ast::Operator::Mult => binop.left.is_list_expr() || binop.right.is_list_expr(),
            _ => false,
        },
        _ => false,
    }
}

/// Does other code of this function append to the list while the loop runs? A nested function
/// that captures the list and is defined before the loop ends can be run by the iteration itself
/// (a generator being iterated), so the list is a shared log rather than a list being built.
pub(crate) fn shared_with_a_closure(checker: &Checker, list: BindingId, for_stmt: &StmtFor) -> bool {
    let model = checker.semantic();
    model.references(list).any(|r| r.start() < for_stmt.end() && model.is_captured(r, list))
}

/// The `res = []` statement the loop can be merged with: directly before the loop in the same
/// block, with no comment in between (it would be lost).
pub(crate) fn empty_list_just_before<'a>(
    checker: &Checker<'a>,
    node: NodeId,
    list: BindingId,
    for_stmt: &StmtFor,
) -> Option<&'a Stmt> {
    let model = checker.semantic();
    let binding = model.binding(list);
    let init = model.node(binding.source?).as_stmt()?;
    let (suite, index) = model.suite_of(node)?;
    let previous = index.checked_sub(1).and_then(|i| suite.get(i))?;
    // Only then is `init` before the loop: in broken code the binding can sit elsewhere.
    if !std::ptr::eq(previous, init) {
        return None;
    }
    let between = TextRange::new(init.end(), for_stmt.start());
    (empty_list_value(init).is_some()
        && !checker.source.has_comments(between)
        && !checker.source.has_multiline_string(init.range()))
    .then_some(init)
}

/// `res = []` / `res = list()` / `res: T = []` with a single name target: the value text to drop.
pub(crate) fn empty_list_value(stmt: &Stmt) -> Option<&Expr> {
    let value = match stmt {
        Stmt::Assign(assign) if assign.targets.len() == 1 && assign.targets[0].is_name_expr() => &*assign.value,
        Stmt::AnnAssign(assign) if assign.target.is_name_expr() => assign.value.as_deref()?,
        _ => return None,
    };
    let empty = match value {
        Expr::List(list) => list.elts.is_empty(),
        Expr::Call(call) => {
            matches!(&*call.func, Expr::Name(n) if n.id.as_str() == "list")
                && call.arguments.args.is_empty()
                && call.arguments.keywords.is_empty()
        }
        _ => false,
    };
    empty.then_some(value)
}

/// The left-hand side of the `res = []` a fix rewrites: `res`, or `res: T` when annotated.
pub(crate) fn assignment_target(checker: &Checker, init: &Stmt, name: &str) -> String {
    match init {
        Stmt::AnnAssign(a) => format!("{}: {}", checker.source.slice(&*a.target), checker.source.slice(&*a.annotation)),
        _ => name.to_string(),
    }
}
