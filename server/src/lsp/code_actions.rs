//! Code actions: a quick fix per finding, "ignore on this line", "show interview card", fix-all
//! (safe fixes only) and refactors at the cursor.

use ruff_text_size::{TextRange, TextSize};
use serde_json::json;
use tower_lsp_server::ls_types::{CodeAction, CodeActionKind, CodeActionOrCommand, Command, Diagnostic, TextEdit};

use super::convert::{self, SOURCE};
use super::documents::Snapshot;
use super::position::{self, Encoding};
use crate::analysis::{Analysis, AnalysisOptions, Applicability, Finding, fixer};
use crate::cards::Bank;

pub const SHOW_CARD: &str = "interview-lens.showCard";
pub const LIST_CARDS: &str = "interview-lens.listCards";

pub fn fix_all_kind() -> CodeActionKind {
    CodeActionKind::from("source.fixAll.interview-lens")
}

fn wanted(only: Option<&[CodeActionKind]>, kind: &CodeActionKind) -> bool {
    match only {
        None => true,
        // `source.fixAll` asks for ours too: kinds are hierarchical.
        Some(only) => {
            only.iter().any(|o| kind.as_str() == o.as_str() || kind.as_str().starts_with(&format!("{}.", o.as_str())))
        }
    }
}

pub struct Request<'a> {
    pub snapshot: &'a Snapshot,
    pub analysis: &'a Analysis,
    pub bank: &'a Bank,
    pub encoding: Encoding,
    pub range: TextRange,
    pub only: Option<&'a [CodeActionKind]>,
    /// Diagnostics the client sent; a quick fix names the one it resolves.
    pub diagnostics: &'a [Diagnostic],
}

pub fn code_actions(req: &Request) -> Vec<CodeActionOrCommand> {
    let mut actions = Vec::new();
    let quickfix = CodeActionKind::QUICKFIX;
    if wanted(req.only, &quickfix) {
        for finding in req.analysis.findings.iter().filter(|f| touches(f.range, req.range)) {
            actions.extend(finding_actions(req, finding));
        }
    }
    let refactor = CodeActionKind::REFACTOR_REWRITE;
    if wanted(req.only, &refactor) {
        for refactor_item in req.analysis.refactors.iter().filter(|r| touches(r.range, req.range)) {
            let edits = convert::text_edits(req.snapshot, &refactor_item.fix.edits, req.encoding);
            actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                title: refactor_item.fix.title.clone(),
                kind: Some(refactor.clone()),
                edit: Some(convert::workspace_edit(&req.snapshot.uri, edits)),
                ..CodeAction::default()
            }));
        }
    }
    actions
}

/// Fix-all only when asked for by kind (on save, or from a source-action menu): it re-analyses
/// up to fifty times, so the caller runs [`fix_all_action`] off the async runtime.
pub fn wants_fix_all(only: Option<&[CodeActionKind]>) -> bool {
    only.is_some() && wanted(only, &fix_all_kind())
}

fn touches(a: TextRange, b: TextRange) -> bool {
    a.start() <= b.end() && b.start() <= a.end()
}

fn matching_diagnostic(req: &Request, finding: &Finding) -> Option<Diagnostic> {
    let range = position::range(&req.snapshot.index, &req.snapshot.text, finding.range, req.encoding);
    req.diagnostics
        .iter()
        .find(|d| {
            d.source.as_deref() == Some(SOURCE)
                && d.range == range
                && matches!(&d.code, Some(tower_lsp_server::ls_types::NumberOrString::String(c)) if c == finding.rule.id())
        })
        .cloned()
}

fn finding_actions(req: &Request, finding: &Finding) -> Vec<CodeActionOrCommand> {
    let mut actions = Vec::new();
    let diagnostics = matching_diagnostic(req, finding).map(|d| vec![d]);
    let id = finding.rule.id();
    if let Some(fix) = &finding.fix {
        let edits = convert::text_edits(req.snapshot, &fix.edits, req.encoding);
        let suffix = match fix.applicability {
            Applicability::Safe => "",
            Applicability::Unsafe => " (unsafe: review the change)",
            Applicability::DisplayOnly => " (changes behaviour on purpose)",
        };
        actions.push(CodeActionOrCommand::CodeAction(CodeAction {
            title: format!("{}{suffix}", fix.title),
            kind: Some(CodeActionKind::QUICKFIX),
            diagnostics: diagnostics.clone(),
            edit: Some(convert::workspace_edit(&req.snapshot.uri, edits)),
            is_preferred: Some(fix.applicability == Applicability::Safe),
            ..CodeAction::default()
        }));
    }
    if let Some(edit) = ignore_edit(req, finding) {
        actions.push(CodeActionOrCommand::CodeAction(CodeAction {
            title: format!("Ignore `{id}` on this line"),
            kind: Some(CodeActionKind::QUICKFIX),
            diagnostics: diagnostics.clone(),
            edit: Some(convert::workspace_edit(&req.snapshot.uri, vec![edit])),
            ..CodeAction::default()
        }));
    }
    let title = req.bank.get(id).map_or(id.to_string(), |c| c.title.clone());
    actions.push(CodeActionOrCommand::CodeAction(CodeAction {
        title: format!("Show interview card: {title}"),
        kind: Some(CodeActionKind::QUICKFIX),
        diagnostics,
        command: Some(Command {
            title: format!("Show interview card: {title}"),
            command: SHOW_CARD.into(),
            arguments: Some(vec![json!(id)]),
        }),
        ..CodeAction::default()
    }));
    actions
}

/// Adds the rule to the line's suppression comment, or a new comment at the end of the line.
fn ignore_edit(req: &Request, finding: &Finding) -> Option<TextEdit> {
    let text = req.snapshot.text.as_str();
    let start = finding.range.start().to_usize().min(text.len());
    let line_start = text[..start].rfind(['\n', '\r']).map_or(0, |i| i + 1);
    let line_start_size = TextSize::try_from(line_start).ok()?;
    let id = finding.rule.id();
    let (at, content) = match req.analysis.suppressions.iter().find(|s| s.line_start == line_start_size) {
        // A bare `ignore` already covers every rule.
        Some(s) if !s.has_brackets => return None,
        Some(s) => (s.insert_at, format!(", {id}")),
        None => {
            let line_end = text[start..].find(['\n', '\r']).map_or(text.len(), |i| start + i);
            (TextSize::try_from(line_end).ok()?, format!("  # interview-lens: ignore[{id}]"))
        }
    };
    let range = position::range(&req.snapshot.index, text, TextRange::empty(at), req.encoding);
    Some(TextEdit { range, new_text: content })
}

/// Every safe fix, as one minimal edit (the changed middle of the document). CPU work: call it
/// on a thread with a large stack, off the async runtime.
pub fn fix_all_action(
    snapshot: &Snapshot,
    options: &AnalysisOptions,
    encoding: Encoding,
) -> Option<CodeActionOrCommand> {
    let text = snapshot.text.as_str();
    let result = fixer::fix_all(text, options, Applicability::Safe);
    if result.text == text {
        return None;
    }
    let prefix = common_prefix(text, &result.text);
    let suffix = common_suffix(&text[prefix..], &result.text[prefix..]);
    let old = TextRange::new(TextSize::try_from(prefix).ok()?, TextSize::try_from(text.len() - suffix).ok()?);
    let new_text = result.text[prefix..result.text.len() - suffix].to_string();
    let edit = TextEdit { range: position::range(&snapshot.index, text, old, encoding), new_text };
    Some(CodeActionOrCommand::CodeAction(CodeAction {
        title: "interview-lens: apply all safe fixes".into(),
        kind: Some(fix_all_kind()),
        edit: Some(convert::workspace_edit(&snapshot.uri, vec![edit])),
        ..CodeAction::default()
    }))
}

fn common_prefix(a: &str, b: &str) -> usize {
    let mut n = a.bytes().zip(b.bytes()).take_while(|(x, y)| x == y).count();
    while !a.is_char_boundary(n) || !b.is_char_boundary(n) {
        n -= 1;
    }
    n
}

fn common_suffix(a: &str, b: &str) -> usize {
    let mut n = a.bytes().rev().zip(b.bytes().rev()).take_while(|(x, y)| x == y).count();
    while !a.is_char_boundary(a.len() - n) || !b.is_char_boundary(b.len() - n) {
        n -= 1;
    }
    n
}
