//! The nodes inside a node, from the model's flat list: what a statement or expression contains,
//! without walking the tree again.
//!
//! The walk is depth-first and gives a node its id before its children, so a parent's id is always
//! smaller than its children's and a node's descendants follow it as one contiguous run of ids; the
//! first node after the run has a parent outside it. Function bodies are the exception: the walk
//! visits them after their enclosing scope, so the body of a `def` is not part of the run of the
//! `def` (nor of a loop around it). Everything else is: lambdas, comprehensions, class bodies.

use ruff_python_ast::{Expr, ExprName, Stmt};

use super::binding::BindingId;
use super::model::SemanticModel;
use super::nodes::{NodeId, NodeRef};
use super::scope::ScopeId;

impl<'a> SemanticModel<'a> {
    /// The nodes the walk visited inside `id`, in walk order (`id` excluded), except the bodies of
    /// functions defined there. Once the walk has passed `id` this is complete.
    pub fn descendants(&self, id: NodeId) -> impl Iterator<Item = NodeId> + '_ {
        // `skip` on the underlying slice iterator is constant time.
        self.nodes.iter().skip(id.index() + 1).map(|(n, _)| n).take_while(move |n| {
            // Inside the run every parent is `id` or a node after it.
            self.nodes.parent(*n).is_some_and(|p| p >= id)
        })
    }

    /// The `Name` loads of `name` inside `id` (see [`Self::descendants`]), in any scope.
    pub fn name_loads_in(&self, id: NodeId, name: &'a str) -> impl Iterator<Item = (NodeId, &'a ExprName)> + '_ {
        self.descendants(id).filter_map(move |n| match self.nodes.get(n) {
            NodeRef::Expr(Expr::Name(load)) if load.ctx.is_load() && load.id.as_str() == name => Some((n, load)),
            _ => None,
        })
    }

    /// The bindings the `Name` loads in `id` resolve to, `id` itself included (a bare name), in
    /// walk order; unresolved loads are left out. What an expression depends on, by binding.
    pub fn bindings_read_in(&self, id: NodeId) -> impl Iterator<Item = BindingId> + '_ {
        std::iter::once(id).chain(self.descendants(id)).filter_map(move |n| match self.nodes.get(n) {
            NodeRef::Expr(Expr::Name(load)) if load.ctx.is_load() => self.nodes.binding(n),
            _ => None,
        })
    }

    /// The nodes of `body` (a function's or class's statements) and everything inside them that
    /// belongs to `scope` itself: not to a lambda, comprehension or function nested in it.
    pub fn own_nodes(&self, body: &'a [Stmt], scope: ScopeId) -> impl Iterator<Item = NodeId> + '_ {
        body.iter()
            .filter_map(|stmt| self.stmt_id(stmt))
            .flat_map(|id| std::iter::once(id).chain(self.descendants(id)))
            .filter(move |n| self.nodes.scope(*n) == scope)
    }
}

#[cfg(test)]
mod tests {
    use ruff_python_ast::{Expr, Stmt};
    use ruff_text_size::Ranged;

    use crate::analysis::checker::Checker;
    use crate::analysis::semantic::NodeRef;

    /// The source text of every node inside the first statement of kind `pick`.
    fn inside(src: &str, pick: fn(&Stmt) -> bool) -> Vec<String> {
        Checker::with_model(src, |model| {
            let (id, _) = model.nodes.iter().find(|(_, n)| n.as_stmt().is_some_and(pick)).expect("the statement");
            model.descendants(id).map(|n| src[model.node(n).range()].to_string()).collect()
        })
    }

    #[test]
    fn descendants_are_the_nodes_inside_in_walk_order() {
        let src = "for x in xs:\n    f(x)\nprint(x)\n";
        assert_eq!(inside(src, Stmt::is_for_stmt), ["xs", "x", "f(x)", "f(x)", "f", "x"]);
        // The last statement of a suite, and a node without children.
        assert_eq!(inside("a = 1\nb\n", |s| s.is_expr_stmt()), ["b"]);
        assert!(inside("pass\n", Stmt::is_pass_stmt).is_empty());
    }

    #[test]
    fn descendants_include_lambdas_comprehensions_and_classes_but_not_function_bodies() {
        let src = "while c:\n    g = lambda: y\n    [z for z in w]\n    class K:\n        k = 1\n    def h():\n        body_only\nafter\n";
        let found = inside(src, Stmt::is_while_stmt);
        for expected in ["y", "z", "w", "k", "1"] {
            assert!(found.iter().any(|t| t == expected), "{expected} in {found:?}");
        }
        assert!(!found.iter().any(|t| t == "body_only" || t == "after"), "{found:?}");
    }

    #[test]
    fn name_loads_and_own_descendants() {
        let src = "def f(xs):\n    for x in xs:\n        print(x, [x for x in x])\n        x = 1\n";
        Checker::with_model(src, |model| {
            let (id, _) = model.nodes.iter().find(|(_, n)| n.as_stmt().is_some_and(Stmt::is_for_stmt)).unwrap();
            // `x` read by `print`, the comprehension's iterable and its element: stores are not loads.
            assert_eq!(model.name_loads_in(id, "x").count(), 3);
        });
    }

    #[test]
    fn bindings_read_in_an_expression() {
        let src = "a = 1\nb = 2\nc = [a, b, a]\nd = a\nprint(undefined)\n";
        Checker::with_model(src, |model| {
            let value = |line: usize| {
                let stmt = &model.module_body()[line];
                let Stmt::Assign(assign) = stmt else { panic!("an assignment") };
                model.expr_id(&assign.value).unwrap()
            };
            let names = |id| model.bindings_read_in(id).map(|b| model.binding(b).name).collect::<Vec<_>>();
            assert_eq!(names(value(2)), ["a", "b", "a"]);
            // A bare name is its own load.
            assert_eq!(names(value(3)), ["a"]);
            let Stmt::Expr(call) = &model.module_body()[4] else { panic!() };
            // `print` is a builtin and `undefined` resolves to nothing: no bindings.
            assert!(names(model.expr_id(&call.value).unwrap()).is_empty());
        });
    }

    #[test]
    fn own_nodes_leave_out_nested_scopes() {
        let src = "def f(xs):\n    for x in xs:\n        print(x, [x for x in x], lambda x: x)\n        x = 1\n";
        Checker::with_model(src, |model| {
            let (scope, function) = model
                .scopes()
                .find_map(|(id, s)| match s.kind {
                    crate::analysis::semantic::ScopeKind::Function(f) => Some((id, f)),
                    _ => None,
                })
                .unwrap();
            // Stores of `x` in the function's own code: the loop target and `x = 1`, not the
            // comprehension's target; reads: `print`'s argument and the comprehension's iterable.
            let names = |store: bool| {
                model
                    .own_nodes(&function.body, scope)
                    .filter(|n| matches!(model.node(*n), NodeRef::Expr(Expr::Name(name)) if name.id.as_str() == "x" && name.ctx.is_store() == store))
                    .count()
            };
            assert_eq!((names(true), names(false)), (2, 2));
        });
    }
}
