//! Applying fixes to a text: the shared mechanism behind `check --fix` and the LSP's fix-all.

use ruff_text_size::TextRange;

use super::finding::{Applicability, Edit, Fix};
use super::{Analysis, AnalysisOptions, analyze};

/// Applies `edits` (sorted, non-overlapping) to `text`.
pub fn apply_edits(text: &str, edits: &[Edit]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut last = 0usize;
    for edit in edits {
        let start = edit.range.start().to_usize();
        let end = edit.range.end().to_usize();
        if start < last || end > text.len() {
            continue;
        }
        out.push_str(&text[last..start]);
        out.push_str(&edit.content);
        last = end;
    }
    out.push_str(&text[last..]);
    out
}

/// Picks, in order, the fixes whose edits touch no edit of an earlier pick. Returns their indices.
pub fn select_non_overlapping(fixes: &[&Fix]) -> Vec<usize> {
    let mut taken: Vec<TextRange> = Vec::new();
    let mut chosen = Vec::new();
    for (i, fix) in fixes.iter().enumerate() {
        let clash = fix.edits.iter().any(|e| {
            taken.iter().any(|t| {
                // Overlap, or two edits at the same point (their order would be arbitrary, and
                // two fixes adding the same import must not both go in).
                (e.range.start() < t.end() && t.start() < e.range.end()) || e.range.start() == t.start()
            })
        });
        if !clash {
            taken.extend(fix.edits.iter().map(|e| e.range));
            chosen.push(i);
        }
    }
    chosen
}

#[derive(Debug)]
pub struct FixResult {
    pub text: String,
    /// Fixes applied, counted per rule id.
    pub applied: Vec<(&'static str, usize)>,
    /// Syntax errors in the text before any fix.
    pub syntax_errors_before: usize,
    /// The analysis of the fixed text (of the original when nothing applied).
    pub after: Analysis,
}

/// Applies fixes at least as trusted as `min` until none is left or fifty passes ran (each pass
/// re-analyses, so fixes that touched the same region get their turn).
pub fn fix_all(text: &str, options: &AnalysisOptions, min: Applicability) -> FixResult {
    let mut current = text.to_string();
    let mut counts: std::collections::BTreeMap<&'static str, usize> = Default::default();
    let mut analysis = analyze(&current, options);
    let syntax_errors_before = analysis.syntax_errors.len();
    for _ in 0..50 {
        let fixable: Vec<(&'static str, &Fix)> = analysis
            .findings
            .iter()
            .filter_map(|f| f.fix.as_ref().filter(|fix| fix.applicability >= min).map(|fix| (f.rule.id(), fix)))
            .collect();
        if fixable.is_empty() {
            break;
        }
        let fixes: Vec<&Fix> = fixable.iter().map(|(_, fix)| *fix).collect();
        let chosen = select_non_overlapping(&fixes);
        let applied_ids: Vec<&'static str> = chosen.iter().map(|&i| fixable[i].0).collect();
        let mut edits: Vec<Edit> = chosen.iter().flat_map(|&i| fixes[i].edits.iter().cloned()).collect();
        edits.sort_by_key(|e| (e.range.start(), e.range.end()));
        let next = apply_edits(&current, &edits);
        if next == current {
            break;
        }
        for id in applied_ids {
            *counts.entry(id).or_default() += 1;
        }
        current = next;
        analysis = analyze(&current, options);
    }
    FixResult { text: current, applied: counts.into_iter().collect(), syntax_errors_before, after: analysis }
}
