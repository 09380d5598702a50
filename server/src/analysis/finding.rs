//! What a rule reports: a finding, and the fix that may come with it.

use ruff_text_size::{TextRange, TextSize};
use serde::Serialize;

use super::rule::Rule;

/// How far a fix can be trusted, the same scale Ruff uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Applicability {
    /// Shown to the user, never applied by `--fix`: the change is a deliberate behaviour change.
    DisplayOnly,
    /// Preserves behaviour in the usual case; applied with `--unsafe-fixes`.
    Unsafe,
    /// Preserves behaviour in every case; applied with `--fix`.
    Safe,
}

impl Applicability {
    pub fn as_str(self) -> &'static str {
        match self {
            Applicability::Safe => "safe",
            Applicability::Unsafe => "unsafe",
            Applicability::DisplayOnly => "display-only",
        }
    }
}

/// Replace `range` with `content` (an insertion when the range is empty).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Edit {
    pub range: TextRange,
    pub content: String,
}

impl Edit {
    pub fn replace(range: TextRange, content: impl Into<String>) -> Self {
        Edit { range, content: content.into() }
    }

    pub fn insert(at: TextSize, content: impl Into<String>) -> Self {
        Edit { range: TextRange::empty(at), content: content.into() }
    }

    pub fn delete(range: TextRange) -> Self {
        Edit { range, content: String::new() }
    }
}

/// A set of non-overlapping edits that together rewrite the code.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fix {
    pub title: String,
    pub applicability: Applicability,
    /// Sorted by start offset and non-overlapping (enforced by [`Fix::new`]).
    pub edits: Vec<Edit>,
}

impl Fix {
    /// Builds a fix; returns `None` when edits overlap, so a rule bug cannot corrupt a file.
    pub fn new(title: impl Into<String>, applicability: Applicability, mut edits: Vec<Edit>) -> Option<Fix> {
        edits.sort_by_key(|e| (e.range.start(), e.range.end()));
        edits.dedup();
        for pair in edits.windows(2) {
            if pair[0].range.end() > pair[1].range.start() {
                return None;
            }
            // Two insertions at the same point would have an arbitrary order.
            if pair[0].range.is_empty() && pair[1].range.is_empty() && pair[0].range.start() == pair[1].range.start() {
                return None;
            }
        }
        if edits.is_empty() {
            return None;
        }
        Some(Fix { title: title.into(), applicability, edits })
    }

    pub fn safe(title: impl Into<String>, edits: Vec<Edit>) -> Option<Fix> {
        Fix::new(title, Applicability::Safe, edits)
    }

    pub fn unsafe_(title: impl Into<String>, edits: Vec<Edit>) -> Option<Fix> {
        Fix::new(title, Applicability::Unsafe, edits)
    }

    pub fn display_only(title: impl Into<String>, edits: Vec<Edit>) -> Option<Fix> {
        Fix::new(title, Applicability::DisplayOnly, edits)
    }
}

/// How loudly a finding is shown (maps onto LSP severities).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Hint,
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Hint => "hint",
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    pub rule: Rule,
    pub range: TextRange,
    /// Specific to the code: names the parameter, call or variable involved.
    pub message: String,
    pub severity: Severity,
    pub fix: Option<Fix>,
}

impl Finding {
    pub fn new(rule: Rule, range: TextRange, message: impl Into<String>) -> Self {
        Finding { rule, range, message: message.into(), severity: rule.default_severity(), fix: None }
    }

    pub fn with_fix(mut self, fix: Option<Fix>) -> Self {
        self.fix = fix;
        self
    }

    pub fn with_severity(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
    }
}
