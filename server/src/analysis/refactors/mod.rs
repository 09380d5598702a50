//! Code actions offered where no red flag fires: rewrites a strong candidate might choose.

pub mod convert_to_dataclass;
pub mod convert_to_generator;

use ruff_python_ast::Stmt;
use ruff_text_size::TextRange;

use super::checker::Checker;
use super::finding::Fix;
use super::semantic::ScopeId;

/// Offers the refactors that start at `stmt` (only when an editor asked for them).
pub(crate) fn statement<'a>(checker: &mut Checker<'a>, stmt: &'a Stmt) {
    if let Stmt::ClassDef(class) = stmt {
        convert_to_dataclass::check(checker, class);
    }
}

/// Offers the refactors that need the finished model, once per scope after the walk (only when
/// an editor asked for them).
pub(crate) fn scope(checker: &mut Checker, scope: ScopeId) {
    if checker.editor_data {
        convert_to_generator::check_scope(checker, scope);
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refactor {
    /// Stable id for clients and tests, e.g. "convert-to-generator".
    pub id: &'static str,
    /// The card that explains the idea behind it.
    pub card: &'static str,
    /// Where the cursor must be for the refactor to be offered.
    pub range: TextRange,
    pub fix: Fix,
}
