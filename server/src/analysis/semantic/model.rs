//! The semantic model: scopes, bindings, references and nodes, built by the Checker's one walk and
//! queried by the rules. Modelled on Ruff's `ruff_python_semantic`.
//!
//! Reads are resolved when the walk reaches them, so a read sees the binding live at that point in
//! the walk's order; function bodies are walked after their enclosing scope is complete (as Python
//! runs them later), so they see the enclosing scope's final bindings. Facts that need every read
//! of a binding (mutated? escapes? read later?) are complete once [`SemanticModel::finish`] has run,
//! which is when deferred rules ask them.

use std::cell::Cell;

use ruff_python_ast::name::QualifiedName;
use ruff_python_ast::{Expr, ExprName, Stmt};
use ruff_text_size::TextRange;

use super::binding::{Binding, BindingFlags, BindingId, BindingKind};
use super::builtins::is_builtin;
use super::nodes::{NodeId, NodeRef, Nodes};
use super::reference::{Reference, ReferenceId};
use super::scope::{Declaration, Scope, ScopeId, ScopeKind, new_id};

/// What a new binding carries besides its name and kind.
#[derive(Clone, Copy, Debug, Default)]
pub struct BindingSource<'a> {
    pub source: Option<NodeId>,
    pub node: Option<NodeId>,
    pub value: Option<&'a Expr>,
    pub annotation: Option<&'a Expr>,
    pub flags: BindingFlags,
}

pub struct SemanticModel<'a> {
    pub nodes: Nodes<'a>,
    scopes: Vec<Scope<'a>>,
    bindings: Vec<Binding<'a>>,
    references: Vec<Reference>,
    /// Reference ids grouped by binding (see `Binding::references`), built by `finish`.
    by_binding: Vec<ReferenceId>,
    complete: bool,
    /// The first segment of every module an import statement named so far (`import a.b` and
    /// `from a.b import c` give `a`; star imports too): a name can resolve into a module only
    /// through one of these, so rules with module-only tables skip files that import none.
    imported_roots: Vec<&'a str>,
    /// The last `has_imported_any` answer: ((address and length of the roots table,
    /// `imported_roots.len()` when asked), answer). Rules ask once per call with the same constant table, and the answer can
    /// change only when an import adds a root; comparing every root every time was 3% of a run.
    imported_any_cache: Cell<((usize, usize, usize), bool)>,
    module: &'a [Stmt],
    // Where the walk is.
    scope: ScopeId,
    node: Option<NodeId>,
}

impl<'a> SemanticModel<'a> {
    /// `source_len` sizes the tables, so that they are not regrown while the walk fills them
    /// (regrowing copied a few percent of the run): typical Python (the stdlib) has a node per
    /// eight bytes, a binding per hundred, a read of a name per fifty and a scope per 450.
    pub fn new(module: &'a [Stmt], source_len: usize) -> Self {
        let mut scopes = Vec::with_capacity(source_len / 400 + 1);
        scopes.push(Scope::new(ScopeKind::Module, None, None));
        SemanticModel {
            nodes: Nodes::with_capacity(source_len / 8),
            scopes,
            bindings: Vec::with_capacity(source_len / 80),
            references: Vec::with_capacity(source_len / 40),
            by_binding: Vec::new(),
            complete: false,
            imported_roots: Vec::new(),
            imported_any_cache: Cell::new(((0, 0, usize::MAX), false)),
            module,
            scope: ScopeId::MODULE,
            node: None,
        }
    }

    // ---- building (the Checker's walk) ----------------------------------------------------------

    pub(crate) fn push_node(&mut self, node: NodeRef<'a>) -> NodeId {
        let id = self.nodes.push(node, self.node, self.scope);
        self.node = Some(id);
        id
    }

    pub(crate) fn pop_node(&mut self) {
        self.node = self.node.and_then(|id| self.nodes.parent(id));
    }

    pub(crate) fn push_scope(&mut self, kind: ScopeKind<'a>) -> ScopeId {
        let id = new_id(self.scopes.len());
        self.scopes.push(Scope::new(kind, Some(self.scope), self.node));
        self.scope = id;
        id
    }

    pub(crate) fn pop_scope(&mut self) {
        self.scope = self.scopes[self.scope.index()].parent.unwrap_or(ScopeId::MODULE);
    }

    /// Moves the walk to `node` in `scope` (for function bodies walked after their scope).
    pub(crate) fn set_position(&mut self, node: Option<NodeId>, scope: ScopeId) {
        self.node = node;
        self.scope = scope;
    }

    pub(crate) fn declare(&mut self, name: &'a str, declaration: Declaration) {
        self.scopes[self.scope.index()].declarations.push((name, declaration));
    }

    /// Binds `name` in the current scope, or in the scope a `global`/`nonlocal` declaration (or a
    /// walrus inside a comprehension) sends it to.
    pub(crate) fn bind(
        &mut self,
        name: &'a str,
        range: TextRange,
        kind: BindingKind<'a>,
        extra: BindingSource<'a>,
    ) -> BindingId {
        let mut flags = extra.flags;
        let mut scope = self.scope;
        if matches!(kind, BindingKind::NamedExpr) {
            // PEP 572: the target of `:=` in a comprehension binds in the enclosing scope.
            while matches!(self.scopes[scope.index()].kind, ScopeKind::Comprehension) {
                scope = self.scopes[scope.index()].parent.unwrap_or(ScopeId::MODULE);
            }
        }
        match self.scopes[scope.index()].declaration(name) {
            Some(Declaration::Global) => {
                flags.insert(BindingFlags::GLOBAL);
                scope = ScopeId::MODULE;
            }
            Some(Declaration::Nonlocal) => {
                flags.insert(BindingFlags::NONLOCAL);
                if let Some(outer) = self.nonlocal_target(scope, name) {
                    scope = outer;
                }
            }
            None => {}
        }
        let id = BindingId::new(self.bindings.len());
        let target = &mut self.scopes[scope.index()];
        let shadowed = target.bindings.insert(name, id);
        if shadowed.is_none() && !target.binds_builtin_name && is_builtin(name) {
            target.binds_builtin_name = true;
        }
        self.bindings.push(Binding {
            kind,
            name,
            range,
            scope,
            bound_in: self.scope,
            source: extra.source,
            node: extra.node,
            value: extra.value,
            annotation: extra.annotation,
            shadowed,
            flags,
            references: (0, 0),
        });
        if let Some(node) = extra.node {
            self.nodes.set_binding(node, id);
        }
        id
    }

    /// Ends an `except ... as name` handler: Python deletes the name, and what it was bound to
    /// before the handler is what later code can still mention.
    pub(crate) fn unbind_handler_name(&mut self, binding: BindingId) {
        let b = &self.bindings[binding.index()];
        let (scope, name, shadowed) = (b.scope, b.name, b.shadowed);
        let bindings = &mut self.scopes[scope.index()].bindings;
        if bindings.get(name) == Some(&binding) {
            match shadowed {
                Some(previous) => {
                    bindings.insert(name, previous);
                }
                None => {
                    bindings.remove(name);
                }
            }
        }
    }

    /// Resolves a read of `name` (node `node`) and records it as a reference.
    pub(crate) fn resolve_load(&mut self, name: &'a ExprName, node: NodeId) -> Option<BindingId> {
        let binding = self.lookup(self.scope, name.id.as_str());
        self.references.push(Reference { node, scope: self.scope, range: name.range, binding });
        match binding {
            Some(binding) => self.nodes.set_binding(node, binding),
            None => self.nodes.set_unresolved(node),
        }
        binding
    }

    /// Groups references by binding; after this, reference queries are complete.
    pub(crate) fn finish(&mut self) {
        let mut counts = vec![0u32; self.bindings.len() + 1];
        for reference in &self.references {
            if let Some(b) = reference.binding {
                counts[b.index() + 1] += 1;
            }
        }
        for i in 1..counts.len() {
            counts[i] += counts[i - 1];
        }
        for (i, binding) in self.bindings.iter_mut().enumerate() {
            binding.references = (counts[i], counts[i + 1]);
        }
        let mut next = counts;
        let mut grouped = vec![ReferenceId::new(0); self.references.len()];
        let mut used = 0;
        for (i, reference) in self.references.iter().enumerate() {
            if let Some(b) = reference.binding {
                let slot = &mut next[b.index()];
                grouped[*slot as usize] = ReferenceId::new(i);
                *slot += 1;
                used += 1;
            }
        }
        grouped.truncate(used);
        self.by_binding = grouped;
        self.complete = true;
    }

    // ---- where the walk is -------------------------------------------------------------------

    pub fn current_scope_id(&self) -> ScopeId {
        self.scope
    }

    pub fn current_scope(&self) -> &Scope<'a> {
        &self.scopes[self.scope.index()]
    }

    pub fn current_node_id(&self) -> Option<NodeId> {
        self.node
    }

    pub fn module_body(&self) -> &'a [Stmt] {
        self.module
    }

    /// Whether the walk is over and every reference is recorded.
    pub fn is_complete(&self) -> bool {
        self.complete
    }

    // ---- scopes and bindings -------------------------------------------------------------------

    pub fn scope(&self, id: ScopeId) -> &Scope<'a> {
        &self.scopes[id.index()]
    }

    pub fn scopes(&self) -> impl Iterator<Item = (ScopeId, &Scope<'a>)> {
        self.scopes.iter().enumerate().map(|(i, s)| (new_id(i), s))
    }

    /// `scope` and the scopes around it, innermost first.
    pub fn scope_chain(&self, scope: ScopeId) -> impl Iterator<Item = ScopeId> + '_ {
        std::iter::successors(Some(scope), move |id| self.scopes[id.index()].parent)
    }

    pub fn binding(&self, id: BindingId) -> &Binding<'a> {
        &self.bindings[id.index()]
    }

    pub fn bindings(&self) -> impl Iterator<Item = (BindingId, &Binding<'a>)> {
        self.bindings.iter().enumerate().map(|(i, b)| (BindingId::new(i), b))
    }

    /// Every binding of `name` in `scope`, the latest first (the shadowing chain).
    pub fn bindings_of(&self, scope: ScopeId, name: &str) -> impl Iterator<Item = BindingId> + '_ {
        let last = self.scopes[scope.index()].get(name);
        std::iter::successors(last, move |id| self.bindings[id.index()].shadowed)
    }

    pub fn reference(&self, id: ReferenceId) -> &Reference {
        &self.references[id.index()]
    }

    /// Every read in the module, in walk order (resolved or not). Complete once the walk is over.
    pub fn all_references(&self) -> impl Iterator<Item = &Reference> + '_ {
        self.references.iter()
    }

    /// Every read of `binding`, in walk order. Complete only once the walk is over.
    pub fn references(&self, binding: BindingId) -> impl Iterator<Item = &Reference> + '_ {
        let (start, end) = self.bindings[binding.index()].references;
        let ids = if self.complete { &self.by_binding[start as usize..end as usize] } else { &[] };
        ids.iter().map(|id| &self.references[id.index()])
    }

    pub fn is_used(&self, binding: BindingId) -> bool {
        let (start, end) = self.bindings[binding.index()].references;
        end > start
    }

    // ---- resolution --------------------------------------------------------------------------

    /// The binding `name` refers to when read in `scope` now, by Python's rules: local, enclosing
    /// functions (class bodies are visible only to their own code), module; `global`/`nonlocal`
    /// redirect. `None` for builtins and undefined names.
    pub fn lookup(&self, scope: ScopeId, name: &str) -> Option<BindingId> {
        match self.scopes[scope.index()].declaration(name) {
            Some(Declaration::Global) => return self.lookup_in(ScopeId::MODULE, name).ok().flatten(),
            Some(Declaration::Nonlocal) => {
                let outer = self.nonlocal_target(scope, name)?;
                return self.lookup_in(outer, name).ok().flatten();
            }
            None => {}
        }
        let mut first = true;
        for id in self.scope_chain(scope) {
            let s = &self.scopes[id.index()];
            if (first || !s.kind.is_class())
                && let Ok(found) = self.lookup_in(id, name)
            {
                return found;
            }
            first = false;
        }
        None
    }

    /// `Ok(Some)`: bound here; `Ok(None)`: local here but unbound (stop looking); `Err`: not here.
    fn lookup_in(&self, scope: ScopeId, name: &str) -> Result<Option<BindingId>, ()> {
        let Some(mut id) = self.scopes[scope.index()].get(name) else { return Err(()) };
        loop {
            let binding = &self.bindings[id.index()];
            match binding.kind {
                BindingKind::Deletion => return Ok(None),
                // `x: int` does not bind; an earlier value of `x` is still there.
                BindingKind::Annotation => match binding.shadowed {
                    Some(previous) => id = previous,
                    None if matches!(self.scopes[scope.index()].kind, ScopeKind::Function(_)) => return Ok(None),
                    None => return Err(()),
                },
                _ => return Ok(Some(id)),
            }
        }
    }

    /// The enclosing function scope that owns `name` for a `nonlocal name` in `scope`.
    fn nonlocal_target(&self, scope: ScopeId, name: &str) -> Option<ScopeId> {
        self.scope_chain(scope)
            .skip(1)
            .find(|id| self.scopes[id.index()].kind.is_function_like() && self.scopes[id.index()].get(name).is_some())
    }

    /// The binding a `Name` reads or makes: recorded by the walk, or looked up in the current scope
    /// for a node the walk has not reached yet.
    pub fn resolve_name(&self, name: &ExprName) -> Option<BindingId> {
        match self.nodes.id_of_name(name) {
            Some(id) if self.nodes.is_resolved(id) => self.nodes.binding(id),
            _ => self.lookup(self.scope, name.id.as_str()),
        }
    }

    /// The dotted name `expr` refers to: `t.sleep` after `import time as t` gives `time.sleep`,
    /// `open` gives `builtins.open`. `None` when the head is bound by anything but an import.
    pub fn resolve_qualified_name<'e>(&self, expr: &'e Expr) -> Option<QualifiedName<'e>>
    where
        'a: 'e,
    {
        let (head, tail) = split_head(expr)?;
        let name = head.id.as_str();
        let Some(binding) = self.resolve_name(head) else {
            if !is_builtin(name) {
                return None;
            }
            return Some(
                std::iter::once("builtins").chain(std::iter::once(name)).chain(tail.iter().rev().copied()).collect(),
            );
        };
        let binding = &self.bindings[binding.index()];
        let segments: &[&'e str] = match &binding.kind {
            BindingKind::Import(q) | BindingKind::FromImport(q) => q.segments(),
            // `import a.b.c` binds `a`; `a.b.c.d` names `a.b.c.d`.
            BindingKind::SubmoduleImport(q) => &q.segments()[..1],
            _ => return None,
        };
        Some(segments.iter().copied().chain(tail.iter().rev().copied()).collect())
    }

    /// The name a module or member is imported under in the module scope, if any (fixes reuse
    /// `import functools as ft` or `from functools import wraps as w`).
    pub fn module_alias_for(&self, qualified: &str) -> Option<&'a str> {
        self.scopes[ScopeId::MODULE.index()].bindings().find_map(|(name, id)| {
            let binding = &self.bindings[id.index()];
            match &binding.kind {
                BindingKind::Import(q) | BindingKind::FromImport(q) if super::qualified::is(q, qualified) => Some(name),
                _ => None,
            }
        })
    }

    /// True when `name` read in `scope` reaches the builtin of that name.
    pub fn is_builtin_visible(&self, scope: ScopeId, name: &str) -> bool {
        is_builtin(name) && self.lookup(scope, name).is_none()
    }

    /// Records that an import statement named `module` (its first segment counts).
    pub(crate) fn note_import(&mut self, module: &'a str) {
        let root = module.split('.').next().unwrap_or(module);
        if !self.imported_roots.contains(&root) {
            self.imported_roots.push(root);
        }
    }

    /// Has an import statement seen so far named a module whose first segment is one of `roots`?
    /// A load resolves only to bindings made before it, so a call that resolves into one of these
    /// modules implies `true`.
    pub fn has_imported_any(&self, roots: &[&str]) -> bool {
        let key = (roots.as_ptr() as usize, roots.len(), self.imported_roots.len());
        let (cached, answer) = self.imported_any_cache.get();
        if cached == key {
            return answer;
        }
        let answer = self.imported_roots.iter().any(|r| roots.contains(r));
        self.imported_any_cache.set((key, answer));
        answer
    }

    // ---- nodes -----------------------------------------------------------------------------

    pub fn node(&self, id: NodeId) -> NodeRef<'a> {
        self.nodes.get(id)
    }

    pub fn parent_id(&self, id: NodeId) -> Option<NodeId> {
        self.nodes.parent(id)
    }

    /// The nodes around `id`, nearest first (`id` itself excluded).
    pub fn ancestor_ids(&self, id: NodeId) -> impl Iterator<Item = NodeId> + '_ {
        std::iter::successors(self.nodes.parent(id), move |id| self.nodes.parent(*id))
    }

    pub fn ancestors(&self, id: NodeId) -> impl Iterator<Item = NodeRef<'a>> + '_ {
        self.ancestor_ids(id).map(move |id| self.nodes.get(id))
    }

    /// The statement holding `id` (itself, when it is a statement).
    pub fn statement_id(&self, id: NodeId) -> Option<NodeId> {
        std::iter::once(id).chain(self.ancestor_ids(id)).find(|id| matches!(self.nodes.get(*id), NodeRef::Stmt(_)))
    }

    pub fn statement(&self, id: NodeId) -> Option<&'a Stmt> {
        self.statement_id(id).and_then(|id| self.nodes.get(id).as_stmt())
    }

    pub fn expr_id(&self, expr: &Expr) -> Option<NodeId> {
        self.nodes.id_of_expr(expr)
    }

    pub fn stmt_id(&self, stmt: &Stmt) -> Option<NodeId> {
        self.nodes.id_of_stmt(stmt)
    }

    /// The suite (block) holding statement `id`, and the statement's index in it.
    pub fn suite_of(&self, id: NodeId) -> Option<(&'a [Stmt], usize)> {
        let NodeRef::Stmt(stmt) = self.nodes.get(id) else { return None };
        let suite = match self.nodes.parent(id).map(|p| self.nodes.get(p)) {
            None => self.module,
            Some(NodeRef::Stmt(parent)) => super::suites::containing(parent, stmt)?,
            Some(NodeRef::Expr(_)) => return None,
        };
        let index = suite.iter().position(|s| std::ptr::eq(s, stmt))?;
        Some((suite, index))
    }
}

/// `a.b.c` -> (`a`, ["c", "b"]): the head name and the attributes after it, last first.
fn split_head<'e>(expr: &'e Expr) -> Option<(&'e ExprName, tail::Tail<'e>)> {
    let mut tail = tail::Tail::new();
    let mut current = expr;
    loop {
        match current {
            Expr::Name(name) => return Some((name, tail)),
            Expr::Attribute(attr) => {
                tail.push(attr.attr.as_str())?;
                current = &attr.value;
            }
            _ => return None,
        }
    }
}

mod tail {
    /// Up to eight attribute names, without allocating (longer chains are not import paths).
    pub struct Tail<'e> {
        items: [&'e str; 8],
        len: usize,
    }

    impl<'e> Tail<'e> {
        pub fn new() -> Self {
            Tail { items: [""; 8], len: 0 }
        }

        pub fn push(&mut self, item: &'e str) -> Option<()> {
            *self.items.get_mut(self.len)? = item;
            self.len += 1;
            Some(())
        }

        pub fn iter(&self) -> std::slice::Iter<'_, &'e str> {
            self.items[..self.len].iter()
        }
    }
}
