//! The facts rules query: scopes, bindings (every way a name is bound), references (every read,
//! resolved to its binding), the nodes with their parents, and questions on top of them (what a
//! name resolves to, is a binding mutated, does it escape, is it read later, its simple type).
//!
//! Built once, during the Checker's single walk; no rule walks the tree again to learn these.

pub mod binding;
pub mod builtins;
mod closures;
mod descendants;
mod functions;
mod model;
pub mod nodes;
pub mod qualified;
pub mod reference;
pub mod scope;
pub mod subtree;
pub mod suites;
pub mod type_provenance;
pub mod types;
pub mod uses;

pub use binding::{Binding, BindingFlags, BindingId, BindingKind};
pub use builtins::is_builtin;
pub use model::{BindingSource, SemanticModel};
pub use nodes::{NodeId, NodeRef};
pub use reference::{Reference, ReferenceId};
pub use ruff_python_ast::name::QualifiedName;
pub use scope::{Declaration, Scope, ScopeId, ScopeKind};
pub use types::SimpleType;
pub use uses::{Escape, Use};

#[cfg(test)]
mod tests;
