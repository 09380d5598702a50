//! Reporters for `check`: Ruff-style text with the interview question, and JSON for scripts.

use std::collections::BTreeMap;
use std::io::{self, Write};
use std::path::PathBuf;

use ruff_source_file::{LineIndex, PositionEncoding};
use ruff_text_size::TextSize;
use serde_json::json;

use crate::analysis::{Applicability, Finding, SyntaxError};
use crate::cards::{Bank, Level};

pub struct FileResult {
    pub path: PathBuf,
    pub outcome: Outcome,
}

pub enum Outcome {
    Checked {
        findings: Vec<Finding>,
        syntax_errors: Vec<SyntaxError>,
        /// The text the ranges refer to (the fixed text after `--fix`).
        text: String,
        /// `--fix`: how many fixes went in, or why the file was left untouched.
        fixed: Option<Result<usize, String>>,
    },
    /// Could not be read: an I/O error (exit code 2).
    Failed(String),
    /// Not checked, for a reason that is not an I/O error (e.g. not UTF-8).
    Skipped(String),
}

/// 1-based line and 1-based column in Unicode characters.
fn position(index: &LineIndex, text: &str, offset: TextSize) -> (usize, usize) {
    let location = index.source_location(offset, text, PositionEncoding::Utf32);
    (location.line.get(), location.character_offset.get())
}

pub fn text(
    out: &mut impl Write,
    results: &[FileResult],
    bank: &Bank,
    fixing: bool,
    unsafe_fixes: bool,
) -> io::Result<()> {
    let mut total = 0usize;
    let mut files_with = 0usize;
    let mut by_topic: BTreeMap<String, (Vec<Level>, BTreeMap<&'static str, usize>)> = BTreeMap::new();
    let mut safe_fixable = 0usize;
    let mut unsafe_fixable = 0usize;
    let mut fixed_total = 0usize;
    let mut checked = 0usize;

    for result in results {
        let Outcome::Checked { findings, syntax_errors, text, fixed } = &result.outcome else { continue };
        checked += 1;
        let path = result.path.display();
        let index = LineIndex::from_source_text(text);
        if let Some(first) = syntax_errors.first() {
            let (line, col) = position(&index, text, first.range.start());
            let more = match syntax_errors.len() {
                1 => String::new(),
                n => format!(" ({} more)", n - 1),
            };
            writeln!(
                out,
                "{path}:{line}:{col}: syntax-error {}{more}; the rest of the file is still checked",
                first.message
            )?;
        }
        match fixed {
            Some(Ok(n)) => fixed_total += n,
            Some(Err(why)) => writeln!(out, "{path}: not fixed: {why}")?,
            None => {}
        }
        if !findings.is_empty() {
            files_with += 1;
        }
        for finding in findings {
            total += 1;
            let (line, col) = position(&index, text, finding.range.start());
            let marker = match finding.fix.as_ref().map(|f| f.applicability) {
                Some(Applicability::Safe) => {
                    safe_fixable += 1;
                    " [*]"
                }
                Some(Applicability::Unsafe) => {
                    unsafe_fixable += 1;
                    ""
                }
                _ => "",
            };
            writeln!(out, "{path}:{line}:{col}: {}{marker} {}", finding.rule.id(), finding.message)?;
            if let Some(card) = bank.get(finding.rule.id()) {
                writeln!(out, "    Interview question ({}): {}", card.level, card.question)?;
                let (levels, rules) = by_topic.entry(card.topic.clone()).or_default();
                levels.push(card.level);
                *rules.entry(finding.rule.id()).or_insert(0) += 1;
            }
        }
    }

    if fixing {
        writeln!(out, "Fixed {fixed_total} finding{}.", plural(fixed_total))?;
    }
    if total == 0 {
        writeln!(out, "All checked: no interview red flags in {checked} file{}.", plural(checked))?;
        return Ok(());
    }
    writeln!(out)?;
    writeln!(
        out,
        "Found {total} finding{} in {files_with} file{} ({checked} checked).",
        plural(total),
        plural(files_with)
    )?;
    writeln!(out)?;
    writeln!(out, "By interview topic:")?;
    // Topics in interview order: the most junior level they touch first.
    let mut topics: Vec<(Level, Level, &String, &BTreeMap<&'static str, usize>)> = by_topic
        .iter()
        .map(|(topic, (levels, rules))| {
            let low = levels.iter().min().copied().unwrap_or(Level::Junior);
            let high = levels.iter().max().copied().unwrap_or(Level::Senior);
            (low, high, topic, rules)
        })
        .collect();
    topics.sort();
    let width = topics.iter().map(|(_, _, t, _)| t.chars().count()).max().unwrap_or(0);
    for (low, high, topic, rules) in topics {
        let count: usize = rules.values().sum();
        let levels = if low == high { low.as_str().to_string() } else { format!("{low}-{high}") };
        let list: Vec<String> = rules.iter().map(|(id, n)| format!("{id} ×{n}")).collect();
        writeln!(out, "  {topic:<width$}  {levels:<13}  {count:>3}  {}", list.join(", "))?;
    }
    writeln!(out)?;
    if safe_fixable > 0 || unsafe_fixable > 0 {
        let mut parts = Vec::new();
        if safe_fixable > 0 {
            parts.push(format!("[*] {safe_fixable} fixable with `--fix`"));
        }
        if unsafe_fixable > 0 && !unsafe_fixes {
            let more = if safe_fixable > 0 { " more" } else { "" };
            parts.push(format!(
                "{unsafe_fixable}{more} with `--fix --unsafe-fixes` (check the result: these may change behaviour)"
            ));
        }
        if !parts.is_empty() {
            writeln!(out, "{}.", parts.join("; "))?;
        }
    }
    writeln!(
        out,
        "For the whole card (strong answer, red flag, scoring, follow-ups): interview-lens explain <rule-id>"
    )?;
    Ok(())
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// One JSON array of findings (the format documented in the README).
pub fn json(out: &mut impl Write, results: &[FileResult], bank: &Bank) -> io::Result<()> {
    let mut items = Vec::new();
    for result in results {
        let Outcome::Checked { findings, text, .. } = &result.outcome else { continue };
        let index = LineIndex::from_source_text(text);
        for finding in findings {
            let (start_line, start_col) = position(&index, text, finding.range.start());
            let (end_line, end_col) = position(&index, text, finding.range.end());
            let card = bank.get(finding.rule.id());
            let fix = finding.fix.as_ref().map(|fix| {
                json!({
                    "applicability": fix.applicability.as_str(),
                    "title": fix.title,
                    "edits": fix.edits.iter().map(|e| json!({
                        "byte_range": [e.range.start().to_u32(), e.range.end().to_u32()],
                        "content": e.content,
                    })).collect::<Vec<_>>(),
                })
            });
            items.push(json!({
                "path": result.path.display().to_string(),
                "rule": finding.rule.id(),
                "card": card.map(|c| c.id.as_str()),
                "level": card.map(|c| c.level.as_str()),
                "severity": finding.severity.as_str(),
                "message": finding.message,
                "range": {
                    "start": {"line": start_line, "column": start_col},
                    "end": {"line": end_line, "column": end_col},
                },
                "byte_range": [finding.range.start().to_u32(), finding.range.end().to_u32()],
                "fix": fix,
            }));
        }
    }
    serde_json::to_writer_pretty(&mut *out, &items)?;
    writeln!(out)
}
