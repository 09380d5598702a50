//! Functions as units of code: the scope a `def` opens, the binding it makes, and the nodes its
//! body runs when called (its own statements and the comprehensions in them; not nested `def`s,
//! lambdas or class bodies, which run at another time or not at all).

use ruff_python_ast::StmtFunctionDef;

use super::binding::{BindingId, BindingKind};
use super::model::SemanticModel;
use super::nodes::{NodeId, NodeRef};
use super::scope::{ScopeId, ScopeKind};

impl<'a> SemanticModel<'a> {
    /// The scope whose code is `function`'s body.
    pub fn function_scope(&self, function: &StmtFunctionDef) -> Option<ScopeId> {
        self.scopes()
            .find(|(_, scope)| matches!(scope.kind, ScopeKind::Function(f) if std::ptr::eq(f, function)))
            .map(|(id, _)| id)
    }

    /// The binding `def name` made: the function object under its name, in the scope that holds
    /// the `def` statement. Its references are the places that read the function.
    pub fn binding_of_def(&self, function: &StmtFunctionDef) -> Option<BindingId> {
        let def = self.scope(self.function_scope(function)?).node?;
        let scope = self.nodes.scope(def);
        self.bindings_of(scope, function.name.as_str())
            .find(|id| matches!(self.binding(*id).kind, BindingKind::FunctionDef(f) if std::ptr::eq(f, function)))
    }

    /// The nodes that run as part of a call of the function whose body is `scope`: its
    /// statements and expressions, comprehensions included; not the bodies of nested functions,
    /// lambdas or classes. In walk order (source order within the body).
    pub fn nodes_run_by(&self, scope: ScopeId) -> impl Iterator<Item = (NodeId, NodeRef<'a>)> + '_ {
        self.nodes.iter().filter(move |(id, _)| self.runs_in(self.nodes.scope(*id), scope))
    }

    /// Is code in `inner` run by the function whose body is `function` (itself, or a
    /// comprehension inside it)?
    fn runs_in(&self, inner: ScopeId, function: ScopeId) -> bool {
        let mut current = inner;
        loop {
            if current == function {
                return true;
            }
            let scope = self.scope(current);
            match (scope.kind, scope.parent) {
                (ScopeKind::Comprehension, Some(parent)) => current = parent,
                _ => return false,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use ruff_python_ast::{Expr, Stmt};

    use super::super::{BindingKind, NodeRef, SemanticModel};
    use crate::analysis::checker::Checker;

    fn function<'a>(model: &SemanticModel<'a>, name: &str) -> &'a ruff_python_ast::StmtFunctionDef {
        model
            .nodes
            .iter()
            .find_map(|(_, node)| match node {
                NodeRef::Stmt(Stmt::FunctionDef(f)) if f.name.as_str() == name => Some(f),
                _ => None,
            })
            .expect("the function")
    }

    /// The source of every call run by `name`'s body, in order.
    fn calls_run_by(src: &str, name: &str) -> Vec<String> {
        Checker::with_model(src, |model| {
            let scope = model.function_scope(function(model, name)).expect("its scope");
            model
                .nodes_run_by(scope)
                .filter_map(|(_, node)| match node {
                    NodeRef::Expr(call @ Expr::Call(_)) => Some(src[ruff_text_size::Ranged::range(call)].to_string()),
                    _ => None,
                })
                .collect()
        })
    }

    #[test]
    fn nodes_run_by_a_function_exclude_nested_code() {
        let src = "def f(a=d()):\n    x = g()\n    [h(y) for y in it()]\n    lambda: no()\n    def inner():\n        no()\n    class C:\n        no()\n    k()\n";
        assert_eq!(calls_run_by(src, "f"), ["g()", "it()", "h(y)", "k()"]);
        assert_eq!(calls_run_by(src, "inner"), ["no()"]);
    }

    #[test]
    fn binding_of_def_is_the_function_object_and_its_references() {
        let src = "async def main():\n    pass\nmain = 1\ndef main2():\n    pass\nclass A:\n    def main(self):\n        pass\n";
        Checker::with_model(src, |model| {
            let id = model.binding_of_def(function(model, "main")).expect("a binding");
            assert!(matches!(model.binding(id).kind, BindingKind::FunctionDef(f) if f.is_async));
        });
        // A later read of the name reaches the `def`.
        let src = "import asyncio\nasync def main():\n    pass\nasyncio.run(main())\n";
        Checker::with_model(src, |model| {
            let id = model.binding_of_def(function(model, "main")).expect("a binding");
            assert_eq!(model.references(id).count(), 1);
        });
    }
}
