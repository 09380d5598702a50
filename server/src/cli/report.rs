//! What `check` reports per file, and its reporters: Ruff-style text with the interview question,
//! and JSON for scripts. Both write each file's results as they arrive, so the report never holds
//! more than one file's.

mod json;
mod text;

use std::path::PathBuf;

use ruff_text_size::TextRange;

pub use json::{JsonReport, to_inert_pretty};
pub use text::TextReport;

use crate::analysis::{Fix, Rule, Severity};

pub struct FileReport {
    pub path: PathBuf,
    pub outcome: Outcome,
}

pub enum Outcome {
    Checked {
        /// Findings and syntax errors, by position; positions are computed while the text is
        /// at hand, so the text itself is not kept.
        entries: Vec<Entry>,
        /// `--fix`: what happened to the file (`None` without `--fix` or with nothing to fix).
        fixed: Option<FixOutcome>,
    },
    /// Could not be read: an I/O error (exit code 2).
    Failed(String),
    /// Not checked, for a reason that is not an I/O error (not UTF-8, a FIFO, over the size cap).
    Skipped(String),
}

pub enum FixOutcome {
    /// This many fixes were written.
    Applied(usize),
    /// Left untouched for a reason in the code (the fix would not parse) or a file changed
    /// meanwhile: a warning.
    NotFixed(String),
    /// Left untouched because the file may not or could not be written: an error (exit code 2).
    Refused(String),
}

/// One line of the report: a finding, or a syntax error (`rule == None`).
pub struct Entry {
    pub rule: Option<Rule>,
    pub severity: Severity,
    pub message: String,
    /// 1-based line and 1-based column in Unicode characters.
    pub start: (usize, usize),
    pub end: (usize, usize),
    /// Byte offsets in the file as read (the fixed text after `--fix`).
    pub range: TextRange,
    pub fix: Option<Fix>,
}

/// The id reported for a syntax error (it has no card).
pub const SYNTAX_ERROR: &str = "syntax-error";

impl Entry {
    pub fn id(&self) -> &'static str {
        self.rule.map_or(SYNTAX_ERROR, Rule::id)
    }
}
