//! Reads inside assertions: tests check sharing, aliasing and exhaustion on purpose.

use ruff_python_ast::{Expr, Stmt};

use crate::analysis::semantic::{NodeId, NodeRef, SemanticModel};

/// Is the node inside an assertion: an `assert` statement or an `assert...(...)` call
/// (`self.assertIs(a[0], b[0])`, `self.assertEqual(list(g), [])`)?
pub(crate) fn in_assertion(model: &SemanticModel, node: NodeId) -> bool {
    for ancestor in model.ancestors(node) {
        match ancestor {
            NodeRef::Stmt(Stmt::Assert(_)) => return true,
            NodeRef::Stmt(_) => return false,
            NodeRef::Expr(Expr::Call(call)) => {
                let name = match &*call.func {
                    Expr::Attribute(attr) => attr.attr.as_str(),
                    Expr::Name(name) => name.id.as_str(),
                    _ => "",
                };
                if name.starts_with("assert") {
                    return true;
                }
            }
            NodeRef::Expr(_) => {}
        }
    }
    false
}
