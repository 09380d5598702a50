//! The nodes inside a node, from the model's node table: what a `try` body calls, what a handler
//! does, without walking the tree again.
//!
//! The walk numbers nodes in visiting order, so the nodes inside a statement or expression are the
//! run of ids right after it. Function bodies are walked after their enclosing scope (see the
//! model's notes), so the body of a `def` nested in the node is not part of that run: these
//! queries see lambdas and comprehensions inside the node, not nested function bodies.

use ruff_python_ast::{Expr, ExprCall};
use ruff_text_size::Ranged;

use super::model::SemanticModel;
use super::nodes::{NodeId, NodeRef};

impl<'a> SemanticModel<'a> {
    /// The nodes inside `id` (itself excluded), in walk order; nested function bodies excluded.
    pub fn descendant_ids(&self, id: NodeId) -> impl Iterator<Item = (NodeId, NodeRef<'a>)> + '_ {
        let range = self.node(id).range();
        self.nodes
            .iter()
            .skip(id.index() + 1)
            .take_while(move |(_, node)| range.contains_range(node.range()))
            .filter(move |(child, _)| self.ancestor_ids(*child).any(|a| a == id))
    }

    /// The calls inside `id` (itself included when it is a call), in walk order; nested function
    /// bodies excluded.
    pub fn calls_within(&self, id: NodeId) -> impl Iterator<Item = &'a ExprCall> + '_ {
        std::iter::once((id, self.node(id))).chain(self.descendant_ids(id)).filter_map(|(_, node)| match node {
            NodeRef::Expr(Expr::Call(call)) => Some(call),
            _ => None,
        })
    }
}

#[cfg(test)]
mod tests {
    use ruff_python_ast::Stmt;

    use super::*;
    use crate::analysis::checker::Checker;

    fn calls_in_first(src: &str, pick: fn(&Stmt) -> bool) -> Vec<String> {
        Checker::with_model(src, |model| {
            let (id, _) = model.nodes.iter().find(|(_, n)| n.as_stmt().is_some_and(pick)).unwrap();
            model.calls_within(id).map(|c| src[c.range()].to_string()).collect()
        })
    }

    #[test]
    fn calls_inside_a_statement_and_not_after_it() {
        let src = "try:\n    a(b())\n    x = [c(i) for i in d()]\nexcept E:\n    h()\nafter()\n";
        assert_eq!(calls_in_first(src, Stmt::is_try_stmt), ["a(b())", "b()", "d()", "c(i)", "h()"]);
        let src = "x = f(1)\ny = g()\n";
        assert_eq!(calls_in_first(src, Stmt::is_assign_stmt), ["f(1)"]);
    }

    #[test]
    fn nested_function_bodies_are_not_descendants() {
        // The body of `inner` is walked after the module: not part of the statement's run.
        let src = "if a:\n    def inner():\n        hidden()\n    shown(lambda: lam())\nlater()\n";
        assert_eq!(calls_in_first(src, Stmt::is_if_stmt), ["shown(lambda: lam())", "lam()"]);
    }
}
