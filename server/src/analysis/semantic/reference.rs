//! References: every read (or `del`) of a name, resolved to the binding it sees.

use ruff_text_size::{Ranged, TextRange};

use super::binding::BindingId;
use super::nodes::NodeId;
use super::scope::ScopeId;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ReferenceId(u32);

impl ReferenceId {
    pub fn index(self) -> usize {
        self.0 as usize
    }

    pub(crate) fn new(index: usize) -> Self {
        ReferenceId(u32::try_from(index).expect("fewer than 2^32 references"))
    }
}

#[derive(Clone, Copy, Debug)]
pub struct Reference {
    /// The `Name` expression that reads the binding.
    pub node: NodeId,
    /// The scope the read happens in (a closure reading an outer name: the closure's scope).
    pub scope: ScopeId,
    pub range: TextRange,
    /// `None` for a name no scope binds (a builtin, or undefined).
    pub binding: Option<BindingId>,
}

impl Ranged for Reference {
    fn range(&self) -> TextRange {
        self.range
    }
}
