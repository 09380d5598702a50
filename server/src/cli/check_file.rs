//! One file of `check`: read it (bounded), analyse it, fix it if asked, and turn the result into
//! report entries while its text is at hand, so that nothing but the entries outlives the file.

use std::path::Path;

use ruff_source_file::{LineIndex, PositionEncoding};
use ruff_text_size::TextSize;

use super::report::{Entry, FileReport, FixOutcome, Outcome};
use super::write_back::{WriteError, write_fixed};
use crate::analysis::{Analysis, AnalysisOptions, Applicability, Severity, analyze, fixer};
use crate::cards::Bank;
use crate::config::Settings;
use crate::config::bounded_read::{SOURCE_LIMIT, read_bounded_with_metadata};

pub fn check_file(path: &Path, settings: &Settings, bank: &Bank, fix: Option<Applicability>) -> FileReport {
    let outcome = match read_bounded_with_metadata(path, SOURCE_LIMIT) {
        Err(err) if err.is_refusal() => Outcome::Skipped(err.to_string()),
        Err(err) => Outcome::Failed(err.to_string()),
        Ok((bytes, meta)) => match String::from_utf8(bytes) {
            Err(err) => Outcome::Skipped(format!(
                "not valid UTF-8 (first bad byte at offset {}); skipped (interview-lens reads UTF-8 source only)",
                err.utf8_error().valid_up_to()
            )),
            Ok(text) => {
                let options = AnalysisOptions {
                    rules: settings.rules,
                    is_stub: path.extension().is_some_and(|e| e == "pyi"),
                    editor_data: false,
                };
                let (analysis, text, fixed) = match fix {
                    Some(min) => fix_file(path, &meta, text, &options, min),
                    None => (analyze(&text, &options), text, None),
                };
                Outcome::Checked { entries: entries(analysis, &text, settings, bank), fixed }
            }
        },
    };
    FileReport { path: path.to_path_buf(), outcome }
}

/// Applies fixes and writes the result only if it has no new syntax errors. Returns the analysis
/// of the text now on disk, that text, and what happened.
fn fix_file(
    path: &Path,
    meta: &std::fs::Metadata,
    text: String,
    options: &AnalysisOptions,
    min: Applicability,
) -> (Analysis, String, Option<FixOutcome>) {
    let result = fixer::fix_all(&text, options, min);
    let count: usize = result.applied.iter().map(|(_, n)| n).sum();
    if count == 0 {
        return (result.after, text, None);
    }
    let outcome = if result.after.syntax_errors.len() > result.syntax_errors_before {
        FixOutcome::NotFixed("the fixed code would not parse, so the file was left untouched".into())
    } else {
        match write_fixed(path, meta, &text, &result.text) {
            Ok(()) => return (result.after, result.text, Some(FixOutcome::Applied(count))),
            Err(WriteError::Refused(why)) => FixOutcome::Refused(why),
            Err(WriteError::Changed) => {
                FixOutcome::NotFixed("the file changed on disk while it was checked, so it was left untouched".into())
            }
            Err(WriteError::Failed(err)) => FixOutcome::Refused(format!("could not write the fixed file: {err:#}")),
        }
    };
    drop(result);
    (analyze(&text, options), text, Some(outcome))
}

/// Findings at or below the configured level, and every syntax error, with 1-based positions.
fn entries(analysis: Analysis, text: &str, settings: &Settings, bank: &Bank) -> Vec<Entry> {
    // Most files have nothing to report; their line index would be a tenth of the time spent
    // outside the parser.
    if analysis.syntax_errors.is_empty() && analysis.findings.is_empty() {
        return Vec::new();
    }
    let index = LineIndex::from_source_text(text);
    let position = |offset: TextSize| {
        let location = index.source_location(offset, text, PositionEncoding::Utf32);
        (location.line.get(), location.character_offset.get())
    };
    let mut entries = Vec::with_capacity(analysis.syntax_errors.len() + analysis.findings.len());
    for error in analysis.syntax_errors {
        entries.push(Entry {
            rule: None,
            severity: Severity::Error,
            start: position(error.range.start()),
            end: position(error.range.end()),
            range: error.range,
            message: error.message,
            fix: None,
        });
    }
    for finding in analysis.findings {
        if bank.get(finding.rule.id()).is_some_and(|card| card.level > settings.level) {
            continue;
        }
        entries.push(Entry {
            rule: Some(finding.rule),
            severity: finding.severity,
            start: position(finding.range.start()),
            end: position(finding.range.end()),
            range: finding.range,
            message: finding.message,
            fix: finding.fix,
        });
    }
    entries.sort_by_key(|e| (e.range.start(), e.rule.is_some()));
    entries
}
