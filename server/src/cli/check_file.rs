//! One file of `check`: read it (bounded), analyse it, fix it if asked, and turn the result into
//! report entries while its text is at hand, so that nothing but the entries outlives the file.

use std::path::Path;

use ruff_source_file::{LineIndex, OneIndexed, PositionEncoding};
use ruff_text_size::{TextRange, TextSize};

use super::report::{Entry, FileReport, FixOutcome, Needs, Outcome, Review, Strength};
use super::write_back::{WriteError, write_fixed};
use crate::analysis::{Analysis, AnalysisOptions, Applicability, Rule, Severity, analyze, fixer};
use crate::cards::Bank;
use crate::config::Settings;
use crate::config::bounded_read::{SOURCE_LIMIT, read_bounded_with_metadata};

pub fn check_file(
    path: &Path,
    settings: &Settings,
    bank: &Bank,
    fix: Option<Applicability>,
    needs: Needs,
) -> FileReport {
    let mut review = Review::default();
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
                    // Concept anchors come with the editor data.
                    editor_data: needs.strengths,
                };
                let (analysis, text, fixed) = match fix {
                    Some(min) => fix_file(path, &meta, text, &options, min),
                    None => (analyze(&text, &options), text, None),
                };
                let (entries, found_review) = entries(analysis, &text, settings, bank, needs);
                review = found_review;
                Outcome::Checked { entries, fixed }
            }
        },
    };
    FileReport { path: path.to_path_buf(), outcome, review }
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

/// Findings at or below the configured level, and every syntax error, with 1-based positions;
/// and what the review formats asked for.
fn entries(analysis: Analysis, text: &str, settings: &Settings, bank: &Bank, needs: Needs) -> (Vec<Entry>, Review) {
    // Most files have nothing to report; their line index would be a tenth of the time spent
    // outside the parser.
    let review_wants_more =
        (needs.suppressed && !analysis.suppressed.is_empty()) || (needs.strengths && !analysis.concepts.is_empty());
    if analysis.syntax_errors.is_empty() && analysis.findings.is_empty() && !review_wants_more {
        return (Vec::new(), Review::default());
    }
    let index = LineIndex::from_source_text(text);
    let position = |offset: TextSize| {
        let location = index.source_location(offset, text, PositionEncoding::Utf32);
        (location.line.get(), location.character_offset.get())
    };
    let line_text = |line: usize| {
        let line = OneIndexed::new(line).unwrap_or(OneIndexed::MIN);
        let range = index.line_range(line, text);
        text[range].trim_end_matches(['\n', '\r'])
    };
    let mut fingerprints = Fingerprints::default();
    let mut entry = |rule: Option<Rule>, severity, range: TextRange, message: String, fix| {
        let (start, end) = (position(range.start()), position(range.end()));
        let fingerprint = fingerprints.next(rule, line_text(start.0));
        let excerpt = needs.excerpts.then(|| excerpt(&line_text, start.0, end.0));
        Entry { rule, severity, start, end, range, message, fix, fingerprint, excerpt, status: None, author: None }
    };
    let mut entries = Vec::with_capacity(analysis.syntax_errors.len() + analysis.findings.len());
    for error in analysis.syntax_errors {
        entries.push(entry(None, Severity::Error, error.range, error.message, None));
    }
    let shown = |rule: Rule| bank.get(rule.id()).is_none_or(|card| card.level <= settings.level);
    for finding in analysis.findings {
        if shown(finding.rule) {
            entries.push(entry(Some(finding.rule), finding.severity, finding.range, finding.message, finding.fix));
        }
    }
    let mut review = Review::default();
    if needs.suppressed {
        for finding in analysis.suppressed {
            if shown(finding.rule) {
                review.suppressed.push(entry(
                    Some(finding.rule),
                    finding.severity,
                    finding.range,
                    finding.message,
                    None,
                ));
            }
        }
    }
    if needs.strengths {
        for concept in analysis.concepts {
            let line = position(concept.range.start()).0;
            review.strengths.push(Strength { card: concept.card, practice: concept.practice, line, author: None });
        }
    }
    entries.sort_by_key(|e| (e.range.start(), e.rule.is_some()));
    (entries, review)
}

/// The finding's lines, at most [`EXCERPT_LINES`], without their common indentation.
fn excerpt<'t>(line_text: &impl Fn(usize) -> &'t str, start: usize, end: usize) -> String {
    const EXCERPT_LINES: usize = 3;
    let lines: Vec<&str> = (start..=end.max(start).min(start + EXCERPT_LINES - 1)).map(line_text).collect();
    let indent = lines
        .iter()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start_matches([' ', '\t']).len())
        .min()
        .unwrap_or(0);
    let mut out = String::new();
    for (i, line) in lines.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str(line.get(indent..).unwrap_or(line.trim_start()));
    }
    out
}

/// Fingerprints that do not move with the line number: FNV-1a (stable across builds and
/// platforms, unlike std's hasher) of the rule and the first line without whitespace, plus the
/// count of identical earlier keys so that twin findings stay distinct.
#[derive(Default)]
struct Fingerprints {
    seen: rustc_hash::FxHashMap<u64, u64>,
}

impl Fingerprints {
    fn next(&mut self, rule: Option<Rule>, line: &str) -> u64 {
        let mut hash = Fnv::default();
        hash.write(rule.map_or(super::report::SYNTAX_ERROR, Rule::id).as_bytes());
        hash.write(&[0]);
        for c in line.chars().filter(|c| !c.is_whitespace()) {
            hash.write(c.encode_utf8(&mut [0; 4]).as_bytes());
        }
        let key = hash.0;
        let ordinal = self.seen.entry(key).or_insert(0);
        let mut with_ordinal = Fnv(key);
        with_ordinal.write(&ordinal.to_le_bytes());
        *ordinal += 1;
        with_ordinal.0
    }
}

struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl Fnv {
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
}
