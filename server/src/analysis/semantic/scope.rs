//! Scopes: where a name's binding lives, as Python decides it (module, class, function, lambda,
//! comprehension, and the annotation scope of PEP 695 type parameters).

use ruff_python_ast::{ExprLambda, StmtClassDef, StmtFunctionDef};
use rustc_hash::FxHashMap;

use super::binding::BindingId;
use super::nodes::NodeId;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ScopeId(u32);

impl ScopeId {
    pub const MODULE: ScopeId = ScopeId(0);

    pub fn index(self) -> usize {
        self.0 as usize
    }
}

#[derive(Clone, Copy, Debug)]
pub enum ScopeKind<'a> {
    Module,
    Class(&'a StmtClassDef),
    Function(&'a StmtFunctionDef),
    Lambda(&'a ExprLambda),
    /// List, set and dict comprehensions and generator expressions.
    Comprehension,
    /// PEP 695: `def f[T]()`, `class C[T]`, `type X[T] = ...` put `T` in a scope of its own.
    Type,
}

impl ScopeKind<'_> {
    pub fn is_function_like(self) -> bool {
        matches!(self, ScopeKind::Function(_) | ScopeKind::Lambda(_))
    }

    pub fn is_class(self) -> bool {
        matches!(self, ScopeKind::Class(_))
    }
}

/// `global x` or `nonlocal x` in a scope: bindings of `x` there belong to another scope.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Declaration {
    Global,
    Nonlocal,
}

pub struct Scope<'a> {
    pub kind: ScopeKind<'a>,
    pub parent: Option<ScopeId>,
    /// The node that opened the scope (`def`, `class`, `lambda`, comprehension); `None` for the module.
    pub node: Option<NodeId>,
    /// The live binding of each name, as of the point the walk has reached (at the end: the last).
    /// Earlier bindings of the same name are reached through [`super::Binding::shadowed`].
    pub(crate) bindings: FxHashMap<&'a str, BindingId>,
    pub(crate) declarations: Vec<(&'a str, Declaration)>,
    /// Some binding here has a builtin's name: rules about shadowing skip every other scope
    /// without looking at its names.
    pub(crate) binds_builtin_name: bool,
}

impl<'a> Scope<'a> {
    pub(crate) fn new(kind: ScopeKind<'a>, parent: Option<ScopeId>, node: Option<NodeId>) -> Self {
        Scope {
            kind,
            parent,
            node,
            bindings: FxHashMap::default(),
            declarations: Vec::new(),
            binds_builtin_name: false,
        }
    }

    pub fn get(&self, name: &str) -> Option<BindingId> {
        self.bindings.get(name).copied()
    }

    /// Every name bound in the scope with its last binding.
    pub fn bindings(&self) -> impl Iterator<Item = (&'a str, BindingId)> + '_ {
        self.bindings.iter().map(|(name, id)| (*name, *id))
    }

    pub fn declaration(&self, name: &str) -> Option<Declaration> {
        self.declarations.iter().find(|(n, _)| *n == name).map(|(_, d)| *d)
    }

    /// Whether a name bound here is also a builtin's name (see [`super::builtins::is_builtin`]).
    pub fn binds_builtin_name(&self) -> bool {
        self.binds_builtin_name
    }

    pub fn has_declarations(&self) -> bool {
        !self.declarations.is_empty()
    }
}

pub(crate) fn new_id(index: usize) -> ScopeId {
    ScopeId(u32::try_from(index).expect("fewer than 2^32 scopes"))
}
