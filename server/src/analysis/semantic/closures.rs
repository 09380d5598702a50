//! Closures and definitions: which reads a nested function or lambda captures from the scopes
//! around it, whether a function body is a generator, and the binding or scope a `def`/`class`
//! statement made. Complete once the walk is over (function bodies are walked last).

use ruff_python_ast::{Expr, Stmt};

use super::binding::{BindingId, BindingKind};
use super::model::SemanticModel;
use super::nodes::{NodeId, NodeRef};
use super::reference::Reference;
use super::scope::{ScopeId, ScopeKind};

impl<'a> SemanticModel<'a> {
    /// Every read a closure captures: for a read of a binding that lives in an enclosing scope,
    /// one `(closure, reference)` pair per function or lambda scope between the read and the
    /// binding's scope (a lambda inside a nested `def` captures for both). Reads of builtins and
    /// of undefined names are not captures.
    pub fn captures(&self) -> impl Iterator<Item = (ScopeId, &Reference)> + '_ {
        self.bindings().flat_map(move |(id, binding)| {
            let owner = binding.scope;
            self.references(id).flat_map(move |reference| {
                self.scope_chain(reference.scope)
                    .take_while(move |scope| *scope != owner)
                    .filter(move |scope| self.scope(*scope).kind.is_function_like())
                    .map(move |scope| (scope, reference))
            })
        })
    }

    /// Is `inner` the scope `outer` or nested in it?
    pub fn is_nested_in(&self, inner: ScopeId, outer: ScopeId) -> bool {
        self.scope_chain(inner).any(|scope| scope == outer)
    }

    /// Does the body of function scope `scope` contain `yield` (making calls create a generator
    /// whose body runs later)? Yields in nested functions and lambdas do not count.
    pub fn is_generator_scope(&self, scope: ScopeId) -> bool {
        self.nodes.iter().any(|(id, node)| {
            matches!(node, NodeRef::Expr(Expr::Yield(_) | Expr::YieldFrom(_))) && self.nodes.scope(id) == scope
        })
    }

    /// The binding a `def` or `class` statement (node `node`) made for its name.
    pub fn definition_binding(&self, node: NodeId) -> Option<BindingId> {
        let stmt = self.node(node).as_stmt()?;
        let name = match stmt {
            Stmt::FunctionDef(f) => f.name.as_str(),
            Stmt::ClassDef(c) => c.name.as_str(),
            _ => return None,
        };
        let is_this = |id: &BindingId| {
            let binding = self.binding(*id);
            binding.source == Some(node)
                && matches!(binding.kind, BindingKind::FunctionDef(_) | BindingKind::ClassDef(_))
        };
        // Where the walk bound it: the statement's scope, or the module for a `global` name.
        let scope = self.nodes.scope(node);
        let scope = self.scope_chain(scope).find(|s| !matches!(self.scope(*s).kind, ScopeKind::Type)).unwrap_or(scope);
        self.bindings_of(scope, name).find(is_this).or_else(|| self.bindings_of(ScopeId::MODULE, name).find(is_this))
    }

    /// The scope a `def`, `class`, `lambda` or comprehension node opened.
    pub fn scope_opened_by(&self, node: NodeId) -> Option<ScopeId> {
        self.scopes().find(|(_, scope)| scope.node == Some(node)).map(|(id, _)| id)
    }
}

#[cfg(test)]
mod tests {
    use ruff_python_ast::{Expr, Stmt};

    use super::super::{NodeRef, ScopeKind, SemanticModel};
    use crate::analysis::checker::Checker;

    /// The names each closure captures, as `closure: name@line`, sorted.
    fn captured(src: &str) -> Vec<String> {
        Checker::with_model(src, |model: &SemanticModel| {
            let mut out: Vec<String> = model
                .captures()
                .map(|(scope, reference)| {
                    let closure = match model.scope(scope).kind {
                        ScopeKind::Function(f) => f.name.to_string(),
                        _ => "lambda".to_string(),
                    };
                    let name = model.binding(reference.binding.expect("a capture has a binding")).name;
                    let line = src[..reference.range.start().to_usize()].matches('\n').count() + 1;
                    format!("{closure}: {name}@{line}")
                })
                .collect();
            out.sort();
            out
        })
    }

    #[test]
    fn captures_reads_of_enclosing_bindings_once_per_closure_crossed() {
        let src = "def f(xs):\n    n = 1\n    def g():\n        return lambda: n + len(xs) + m\n    return g\nm = 2\n";
        // `m` is a module global: `f` reads it through `g` too.
        assert_eq!(
            captured(src),
            ["f: m@4", "g: m@4", "g: n@4", "g: xs@4", "lambda: m@4", "lambda: n@4", "lambda: xs@4"]
        );
        // Locals, parameters and builtins are not captured; comprehensions are not closures.
        assert_eq!(captured("def f(a):\n    b = a\n    return [b for _ in a]\n"), Vec::<String>::new());
        assert_eq!(captured("for i in x:\n    fs.append(lambda: i)\n"), ["lambda: i@2"]);
        assert_eq!(captured("fs = [lambda: i for i in x]\n"), ["lambda: i@1"]);
        // A module-level def reading a module global captures it.
        assert_eq!(captured("for i in x:\n    def cb():\n        return i\n"), ["cb: i@3"]);
    }

    #[test]
    fn generators_and_definitions() {
        let src = "def g():\n    yield 1\ndef h():\n    def inner():\n        yield 2\n    return inner\nclass C:\n    pass\n";
        Checker::with_model(src, |model| {
            let defs: Vec<_> = model
                .nodes
                .iter()
                .filter_map(|(id, n)| match n {
                    NodeRef::Stmt(Stmt::FunctionDef(f)) => Some((f.name.as_str(), id)),
                    NodeRef::Stmt(Stmt::ClassDef(c)) => Some((c.name.as_str(), id)),
                    _ => None,
                })
                .collect();
            let node = |name: &str| defs.iter().find(|(n, _)| *n == name).map(|(_, id)| *id).expect("defined");
            let generator = |name: &str| model.scope_opened_by(node(name)).is_some_and(|s| model.is_generator_scope(s));
            assert!(generator("g"), "g yields");
            assert!(!generator("h"), "h only defines a generator");
            assert!(generator("inner"), "inner yields");
            for (_, id) in &defs {
                let binding = model.binding(model.definition_binding(*id).expect("a def binds its name"));
                assert_eq!(Some(*id), binding.source);
            }
            let class_scope = model.scope_opened_by(node("C")).expect("the class opens a scope");
            assert!(model.scope(class_scope).kind.is_class());
            assert!(model.is_nested_in(class_scope, super::ScopeId::MODULE));
            let lambda = model.nodes.iter().find(|(_, n)| matches!(n, NodeRef::Expr(Expr::Lambda(_))));
            assert!(lambda.is_none());
        });
    }
}
