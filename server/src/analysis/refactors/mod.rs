//! Code actions offered where no red flag fires: rewrites a strong candidate might choose.

pub mod convert_to_dataclass;
pub mod convert_to_generator;

use ruff_text_size::TextRange;

use super::finding::Fix;

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
