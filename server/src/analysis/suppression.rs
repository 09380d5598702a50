//! `# interview-lens: ignore[rule-id, ...]` comments (a bare `ignore` silences every rule on the line).

use ruff_text_size::{TextRange, TextSize};

use super::finding::Finding;
use super::source::Source;

const MARKER: &str = "interview-lens:";

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Suppression {
    /// The whole comment.
    pub comment: TextRange,
    /// Start of the line the comment is on.
    pub line_start: TextSize,
    /// Rule ids named in the brackets, each with its range; empty means every rule.
    pub rules: Vec<(String, TextRange)>,
    /// Where the closing `]` is (or where `[...]` would go), for "extend this comment" edits.
    pub insert_at: TextSize,
    pub has_brackets: bool,
}

pub fn parse(source: &Source) -> Vec<Suppression> {
    source.comments().filter_map(|range| parse_comment(source, range)).collect()
}

fn parse_comment(source: &Source, range: TextRange) -> Option<Suppression> {
    let text = source.slice(&range);
    let marker_at = text.find(MARKER)?;
    let after_marker = marker_at + MARKER.len();
    let rest = &text[after_marker..];
    let trimmed = rest.trim_start();
    let ignore_at = after_marker + (rest.len() - trimmed.len());
    let after_ignore = trimmed.strip_prefix("ignore")?;
    let base = range.start() + TextSize::try_from(ignore_at + "ignore".len()).ok()?;
    let line_start = source.line_start(range.start());
    match after_ignore.strip_prefix('[') {
        Some(list) => {
            let close = list.find(']')?;
            let mut rules = Vec::new();
            let mut offset = 1; // past '['
            for part in list[..close].split(',') {
                let id = part.trim();
                if !id.is_empty() {
                    let lead = part.len() - part.trim_start().len();
                    let start = base + TextSize::try_from(offset + lead).ok()?;
                    rules.push((id.to_string(), TextRange::at(start, TextSize::try_from(id.len()).ok()?)));
                }
                offset += part.len() + 1;
            }
            let insert_at = base + TextSize::try_from(1 + close).ok()?;
            Some(Suppression { comment: range, line_start, rules, insert_at, has_brackets: true })
        }
        // A bare `ignore` (followed by whitespace, another comment or nothing) silences the line.
        None if after_ignore.is_empty() || after_ignore.starts_with([' ', '\t', '#']) => {
            Some(Suppression { comment: range, line_start, rules: Vec::new(), insert_at: base, has_brackets: false })
        }
        None => None,
    }
}

pub fn is_suppressed(suppressions: &[Suppression], text: &str, finding: &Finding) -> bool {
    if suppressions.is_empty() {
        return false;
    }
    let start = finding.range.start().to_usize().min(text.len());
    let line_start = TextSize::try_from(text[..start].rfind(['\n', '\r']).map_or(0, |i| i + 1)).unwrap_or_default();
    suppressions.iter().any(|s| {
        s.line_start == line_start && (s.rules.is_empty() || s.rules.iter().any(|(id, _)| id == finding.rule.id()))
    })
}
