//! Every statement and expression the walk visits, with its parent and scope, so a rule holding a
//! node can ask where it sits without walking the tree again.
//!
//! The walk writes each node's id into the AST's own `node_index` slot, so going from a `&Expr`
//! back to its entry is one load, not a search.

use ruff_python_ast::{Expr, ExprName, HasNodeIndex, NodeIndex, Stmt};
use ruff_text_size::{Ranged, TextRange};

use super::binding::BindingId;
use super::scope::ScopeId;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NodeId(u32);

impl NodeId {
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

#[derive(Clone, Copy, Debug)]
pub enum NodeRef<'a> {
    Stmt(&'a Stmt),
    Expr(&'a Expr),
}

impl<'a> NodeRef<'a> {
    pub fn as_stmt(self) -> Option<&'a Stmt> {
        match self {
            NodeRef::Stmt(stmt) => Some(stmt),
            NodeRef::Expr(_) => None,
        }
    }

    pub fn as_expr(self) -> Option<&'a Expr> {
        match self {
            NodeRef::Expr(expr) => Some(expr),
            NodeRef::Stmt(_) => None,
        }
    }

    /// The same node in the AST (not merely an equal one).
    pub fn is(self, other: NodeRef) -> bool {
        match (self, other) {
            (NodeRef::Stmt(a), NodeRef::Stmt(b)) => std::ptr::eq(a, b),
            (NodeRef::Expr(a), NodeRef::Expr(b)) => std::ptr::eq(a, b),
            _ => false,
        }
    }
}

impl Ranged for NodeRef<'_> {
    fn range(&self) -> TextRange {
        match self {
            NodeRef::Stmt(s) => s.range(),
            NodeRef::Expr(e) => e.range(),
        }
    }
}

#[derive(Clone, Copy, Debug)]
struct Node<'a> {
    node: NodeRef<'a>,
    parent: Option<NodeId>,
    scope: ScopeId,
    /// For a `Name`: the binding it reads (load) or makes (store); `UNRESOLVED` until the walk
    /// has looked, `NONE` when it found none.
    binding: u32,
}

#[derive(Default)]
pub struct Nodes<'a> {
    nodes: Vec<Node<'a>>,
}

const UNRESOLVED: u32 = u32::MAX;
const NONE: u32 = u32::MAX - 1;

/// Indices the AST's `NodeIndex` can hold (30 bits; the encoding reserves the rest).
const MAX_INDEXED: u32 = ruff_python_ast::MAX_REAL_INDEX;

impl<'a> Nodes<'a> {
    pub(crate) fn with_capacity(capacity: usize) -> Self {
        Nodes { nodes: Vec::with_capacity(capacity) }
    }

    pub(crate) fn push(&mut self, node: NodeRef<'a>, parent: Option<NodeId>, scope: ScopeId) -> NodeId {
        let id = u32::try_from(self.nodes.len()).unwrap_or(u32::MAX);
        if id < MAX_INDEXED {
            let index = NodeIndex::from(id);
            match node {
                NodeRef::Stmt(stmt) => stmt.node_index().set(index),
                NodeRef::Expr(expr) => expr.node_index().set(index),
            }
        }
        self.nodes.push(Node { node, parent, scope, binding: UNRESOLVED });
        NodeId(id)
    }

    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    pub fn get(&self, id: NodeId) -> NodeRef<'a> {
        self.nodes[id.index()].node
    }

    pub fn parent(&self, id: NodeId) -> Option<NodeId> {
        self.nodes[id.index()].parent
    }

    pub fn scope(&self, id: NodeId) -> ScopeId {
        self.nodes[id.index()].scope
    }

    pub(crate) fn set_binding(&mut self, id: NodeId, binding: BindingId) {
        self.nodes[id.index()].binding = binding.index() as u32;
    }

    pub(crate) fn set_unresolved(&mut self, id: NodeId) {
        self.nodes[id.index()].binding = NONE;
    }

    /// For a `Name` node: the binding it reads or makes.
    pub fn binding(&self, id: NodeId) -> Option<BindingId> {
        let raw = self.nodes[id.index()].binding;
        (raw < NONE).then(|| BindingId::new(raw as usize))
    }

    /// Has the walk resolved this `Name` (to a binding or to nothing)?
    pub fn is_resolved(&self, id: NodeId) -> bool {
        self.nodes[id.index()].binding != UNRESOLVED
    }

    /// The id the walk gave `expr`; `None` for a node it did not visit (nested too deeply).
    pub fn id_of_expr(&self, expr: &Expr) -> Option<NodeId> {
        self.id_of(expr.node_index().load(), NodeRef::Expr(expr))
    }

    pub fn id_of_name(&self, name: &ExprName) -> Option<NodeId> {
        let id = NodeId(name.node_index.load().as_u32()?);
        match self.nodes.get(id.index())?.node {
            NodeRef::Expr(Expr::Name(n)) if std::ptr::eq(n, name) => Some(id),
            _ => None,
        }
    }

    pub fn id_of_stmt(&self, stmt: &Stmt) -> Option<NodeId> {
        self.id_of(stmt.node_index().load(), NodeRef::Stmt(stmt))
    }

    fn id_of(&self, index: NodeIndex, node: NodeRef) -> Option<NodeId> {
        let id = NodeId(index.as_u32()?);
        // A node built outside this walk (a test, a second analysis of the same tree) could carry
        // an index from elsewhere: trust it only if it points back at this node.
        let entry = self.nodes.get(id.index())?;
        entry.node.is(node).then_some(id)
    }

    pub fn iter(&self) -> impl Iterator<Item = (NodeId, NodeRef<'a>)> + '_ {
        self.nodes.iter().enumerate().map(|(i, n)| (NodeId(i as u32), n.node))
    }
}
