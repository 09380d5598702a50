//! What the generator and scope rules share (`stopiteration-in-generator`, `generator-reuse`,
//! `unbound-local-outer-name`, ...): whether a function body is a generator, whether an exception
//! raised at a node is caught before it leaves the function, and the loops around a node.
//! Every fact comes from the semantic model.

use ruff_python_ast::{ExceptHandler, Expr, Stmt, StmtFunctionDef};
use ruff_text_size::Ranged;

use crate::analysis::checker::Checker;
use crate::analysis::semantic::{NodeId, NodeRef, ScopeId, ScopeKind, SemanticModel};

/// The `def` whose own scope is `scope` (not a class, lambda or comprehension inside it).
pub(crate) fn function_of_scope<'a>(model: &SemanticModel<'a>, scope: ScopeId) -> Option<&'a StmtFunctionDef> {
    match model.scope(scope).kind {
        ScopeKind::Function(function) => Some(function),
        _ => None,
    }
}

/// Does the body of `function` (whose scope is `scope`) contain `yield` of its own? Only the
/// function's nodes are looked at, not the whole module.
pub(crate) fn is_generator_body(model: &SemanticModel, function: &StmtFunctionDef, scope: ScopeId) -> bool {
    model
        .own_nodes(&function.body, scope)
        .any(|n| matches!(model.node(n), NodeRef::Expr(Expr::Yield(_) | Expr::YieldFrom(_))))
}

/// Is an exception raised at `node` caught inside the function (scope `scope`) that runs it: a
/// `try` around it, within the function, with a bare handler or one naming a class of `classes`
/// (qualified: `builtins.StopIteration`; list the exception's builtin bases too). Handlers of
/// other classes (which may be subclasses the model cannot see) do not count.
pub(crate) fn caught_in_function(checker: &Checker, node: NodeId, scope: ScopeId, names: &[&str]) -> bool {
    let model = checker.semantic();
    let mut child = model.node(node).range();
    for ancestor in model.ancestor_ids(node) {
        let parent = model.node(ancestor);
        match parent {
            // The function's own boundary, or a lambda/class/comprehension the node is nested in.
            NodeRef::Stmt(Stmt::FunctionDef(_)) => return false,
            _ if model.nodes.scope(ancestor) != scope => return false,
            NodeRef::Stmt(Stmt::Try(try_stmt)) => {
                let in_body = match (try_stmt.body.first(), try_stmt.body.last()) {
                    (Some(first), Some(last)) => first.start() <= child.start() && child.end() <= last.end(),
                    _ => false,
                };
                if in_body
                    && try_stmt.handlers.iter().any(|ExceptHandler::ExceptHandler(h)| match h.type_.as_deref() {
                        None => true,
                        Some(Expr::Tuple(tuple)) => {
                            tuple.elts.iter().any(|t| checker.resolves_to_any(t, names).is_some())
                        }
                        Some(t) => checker.resolves_to_any(t, names).is_some(),
                    })
                {
                    return true;
                }
            }
            _ => {}
        }
        child = parent.range();
    }
    false
}

/// The `for`/`while` statement whose body (not its iterable, test or `else:`) holds `node`,
/// nearest first, up to the statement `stop` or a scope boundary (`def`, `class`, `lambda`).
pub(crate) fn enclosing_loops<'m, 'a>(model: &'m SemanticModel<'a>, node: NodeId) -> impl Iterator<Item = NodeId> + 'm {
    let mut child = model.node(node).range();
    model
        .ancestor_ids(node)
        .take_while(move |id| {
            !matches!(
                model.node(*id),
                NodeRef::Stmt(Stmt::FunctionDef(_) | Stmt::ClassDef(_)) | NodeRef::Expr(Expr::Lambda(_))
            )
        })
        .filter(move |id| {
            let parent = model.node(*id);
            let body = match parent {
                NodeRef::Stmt(Stmt::For(f)) => Some(&f.body),
                NodeRef::Stmt(Stmt::While(w)) => Some(&w.body),
                _ => None,
            };
            let inside = body.is_some_and(|body| match (body.first(), body.last()) {
                (Some(first), Some(last)) => first.start() <= child.start() && child.end() <= last.end(),
                _ => false,
            });
            child = parent.range();
            inside
        })
}

/// Does the loop statement `loop_id` contain a `break` of its own (not of a loop nested in it)?
pub(crate) fn has_own_break(model: &SemanticModel, loop_id: NodeId) -> bool {
    model.descendants(loop_id).any(|n| {
        matches!(model.node(n), NodeRef::Stmt(Stmt::Break(_))) && enclosing_loops(model, n).next() == Some(loop_id)
    })
}
