//! `textDocument/codeLens`: above each function with findings, "N interview questions here —
//! practise", whose client-side command starts a quiz on those findings (`quiz.rs`).
//!
//! Function ranges come from the analysis (`Analysis::functions`, the walk's function scopes). A
//! finding belongs to the innermost function around it; findings outside every function get no
//! lens (their diagnostics still show).

use ruff_text_size::TextSize;
use serde_json::{Value, json};
use tower_lsp_server::ls_types::{CodeLens, Command, Range};

use super::documents::{Analyzed, Snapshot};
use super::position::{self, Encoding};

/// The client-side command a lens runs (VS Code and Neovim register it).
pub const PRACTISE: &str = "interviewLens.practise";

/// The source line of `offset`, trimmed and capped, as the quiz shows it.
pub fn excerpt(text: &str, offset: TextSize) -> String {
    let at = (offset.to_usize()).min(text.len());
    let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let end = text[at..].find('\n').map_or(text.len(), |i| at + i);
    let line = text[start..end].trim();
    match line.char_indices().nth(120) {
        Some((cut, _)) => format!("{}…", &line[..cut]),
        None => line.to_string(),
    }
}

pub fn code_lenses(snapshot: &Snapshot, analyzed: &Analyzed, encoding: Encoding) -> Vec<CodeLens> {
    let findings = &analyzed.analysis.findings;
    if findings.is_empty() {
        return Vec::new();
    }
    let defs: Vec<_> = analyzed.analysis.functions.iter().map(|f| (f.range, f.name)).collect();
    // Innermost function per finding: the smallest `def` range that contains it.
    let mut groups: Vec<(usize, Vec<&crate::analysis::Finding>)> = Vec::new();
    for finding in findings {
        let owner = defs
            .iter()
            .enumerate()
            .filter(|(_, (range, _))| range.contains_range(finding.range))
            .min_by_key(|(_, (range, _))| range.len())
            .map(|(i, _)| i);
        let Some(owner) = owner else { continue };
        match groups.iter_mut().find(|(i, _)| *i == owner) {
            Some((_, list)) => list.push(finding),
            None => groups.push((owner, vec![finding])),
        }
    }
    groups.sort_by_key(|(i, _)| defs[*i].0.start());
    groups
        .into_iter()
        .map(|(i, list)| {
            let (_, name) = defs[i];
            let cards: Vec<Value> = list
                .iter()
                .map(|f| {
                    let start = position::position(&snapshot.index, &snapshot.text, f.range.start(), encoding);
                    json!({
                        "id": f.rule.id(),
                        "uri": snapshot.uri.as_str(),
                        // 1-based, as the quiz and every report show lines.
                        "line": start.line + 1,
                        "excerpt": excerpt(&snapshot.text, f.range.start()),
                    })
                })
                .collect();
            let mut ids: Vec<&str> = list.iter().map(|f| f.rule.id()).collect();
            ids.sort_unstable();
            ids.dedup();
            let title = match ids.len() {
                1 => "1 interview question here — practise".to_string(),
                n => format!("{n} interview questions here — practise"),
            };
            let at = position::position(&snapshot.index, &snapshot.text, name.start(), encoding);
            CodeLens {
                range: Range { start: at, end: at },
                command: Some(Command {
                    title,
                    command: PRACTISE.into(),
                    arguments: Some(vec![json!({"uri": snapshot.uri.as_str(), "cards": cards})]),
                }),
                data: None,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::{AnalysisOptions, FunctionSpan, analyze};

    fn functions(text: &str) -> Vec<FunctionSpan> {
        analyze(text, &AnalysisOptions::default()).functions
    }

    #[test]
    fn nested_defs_are_all_found_and_excerpts_are_one_line() {
        let text = "class A:\n    def m(self):\n        def inner():\n            pass\n";
        assert_eq!(functions(text).len(), 2);
        assert_eq!(excerpt("a = 1\n    b = [x]  \nc\n", TextSize::new(12)), "b = [x]");
        // Half-typed code still yields the functions that parse.
        assert!(!functions("def f(:\n    pass\ndef g():\n    return 1\n").is_empty());
    }
}
