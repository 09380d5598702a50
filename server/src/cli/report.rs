//! What `check` reports per file, and its reporters: Ruff-style text with the interview question,
//! JSON for scripts, a Markdown review for mentors and SARIF for code-scanning tools. Text and JSON
//! write each file's results as they arrive; the review and SARIF keep what they need (bounded
//! per topic for the review) and write at the end.

mod json;
mod markdown;
mod sarif;
mod text;

use std::io::{self, Write};
use std::path::PathBuf;

use ruff_text_size::TextRange;

pub use json::{JsonReport, to_inert_pretty};
pub use markdown::MarkdownReport;
pub use sarif::SarifReport;
pub use text::TextReport;

use super::OutputFormat;
use crate::analysis::{Fix, Rule, Severity};
use crate::cards::Bank;

pub struct FileReport {
    pub path: PathBuf,
    pub outcome: Outcome,
    /// What only the review formats use (empty unless [`Needs`] asked for it).
    pub review: Review,
}

/// What a report format needs beyond the findings, so `check` computes only that.
#[derive(Clone, Copy, Debug, Default)]
pub struct Needs {
    /// A short source excerpt per finding.
    pub excerpts: bool,
    /// Concept anchors, as strengths.
    pub strengths: bool,
    /// Findings a comment silenced.
    pub suppressed: bool,
}

#[derive(Default)]
pub struct Review {
    pub strengths: Vec<Strength>,
    /// Findings silenced by a comment, with excerpts when asked for.
    pub suppressed: Vec<Entry>,
    /// `--baseline`: fingerprints of this file's findings still open, before `--diff` filtered
    /// any (a finding outside the diff is not resolved).
    pub baseline_open: Vec<String>,
}

/// A concept the code uses (the anchors that drive concept hovers).
pub struct Strength {
    pub card: &'static str,
    /// The particular practice seen, when narrower than the card.
    pub practice: Option<&'static str>,
    pub line: usize,
    pub author: Option<String>,
}

/// A finding's standing against `--baseline`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    New,
    StillOpen,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::New => "new",
            Status::StillOpen => "still-open",
        }
    }
}

/// A baseline finding that is no longer reported.
pub struct Resolved {
    pub path: String,
    pub rule: String,
    pub line: usize,
    pub message: String,
    pub fingerprint: String,
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
    /// Identifies the finding across edits elsewhere in the file: the rule, the finding's first
    /// line with whitespace removed, and how many such findings come before it in the file.
    pub fingerprint: u64,
    /// The finding's lines (at most a few), when a format asked for excerpts.
    pub excerpt: Option<String>,
    /// Set with `--baseline`.
    pub status: Option<Status>,
    /// Set with `--by-author`: who last changed the finding's first line (`git blame`).
    pub author: Option<String>,
}

/// The id reported for a syntax error (it has no card).
pub const SYNTAX_ERROR: &str = "syntax-error";

impl Entry {
    pub fn id(&self) -> &'static str {
        self.rule.map_or(SYNTAX_ERROR, Rule::id)
    }

    /// The fingerprint as reports print it.
    pub fn fingerprint_hex(&self) -> String {
        format!("{:016x}", self.fingerprint)
    }
}

/// The report `--format` chose.
pub enum Reporter<'a> {
    Text(TextReport<'a>),
    Json(JsonReport<'a>),
    Markdown(MarkdownReport<'a>),
    Sarif(SarifReport<'a>),
}

impl<'a> Reporter<'a> {
    pub fn new(format: OutputFormat, bank: &'a Bank, fixing: bool, unsafe_fixes: bool) -> Self {
        match format {
            OutputFormat::Text => Reporter::Text(TextReport::new(bank, fixing, unsafe_fixes)),
            OutputFormat::Json => Reporter::Json(JsonReport::new(bank)),
            OutputFormat::Markdown => Reporter::Markdown(MarkdownReport::new(bank)),
            OutputFormat::Sarif => Reporter::Sarif(SarifReport::new(bank)),
        }
    }

    pub fn needs(&self) -> Needs {
        match self {
            Reporter::Text(_) | Reporter::Json(_) => Needs::default(),
            Reporter::Markdown(_) => Needs { excerpts: true, strengths: true, suppressed: true },
            // Snippets in regions, and silenced findings as suppressed results.
            Reporter::Sarif(_) => Needs { excerpts: true, strengths: false, suppressed: true },
        }
    }

    pub fn file(&mut self, out: &mut impl Write, report: &FileReport) -> io::Result<()> {
        match self {
            Reporter::Text(r) => r.file(out, report),
            Reporter::Json(r) => r.file(out, report),
            Reporter::Markdown(r) => {
                r.file(report);
                Ok(())
            }
            Reporter::Sarif(r) => {
                r.file(report);
                Ok(())
            }
        }
    }

    /// `resolved`: baseline findings no longer reported (empty without `--baseline`).
    pub fn finish(&mut self, out: &mut impl Write, resolved: &[Resolved]) -> io::Result<()> {
        match self {
            Reporter::Text(r) => r.finish(out, resolved),
            Reporter::Json(r) => r.finish(out),
            Reporter::Markdown(r) => r.finish(out, resolved),
            Reporter::Sarif(r) => r.finish(out, resolved),
        }
    }
}
