//! Findings and fixes to LSP types.

use std::collections::HashMap;

use serde_json::json;
use tower_lsp_server::ls_types::{
    CodeDescription, Diagnostic, DiagnosticSeverity, NumberOrString, TextEdit, Uri, WorkspaceEdit,
};

use super::documents::Snapshot;
use super::position::{self, Encoding};
use crate::analysis::{Edit, Finding, Fix, Severity};
use crate::cards::Bank;

pub const SOURCE: &str = "interview-lens";

pub fn severity(severity: Severity) -> DiagnosticSeverity {
    match severity {
        Severity::Hint => DiagnosticSeverity::HINT,
        Severity::Info => DiagnosticSeverity::INFORMATION,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Error => DiagnosticSeverity::ERROR,
    }
}

pub fn text_edits(snapshot: &Snapshot, edits: &[Edit], encoding: Encoding) -> Vec<TextEdit> {
    edits
        .iter()
        .map(|edit| TextEdit {
            range: position::range(&snapshot.index, &snapshot.text, edit.range, encoding),
            new_text: edit.content.clone(),
        })
        .collect()
}

pub fn workspace_edit(uri: &Uri, edits: Vec<TextEdit>) -> WorkspaceEdit {
    WorkspaceEdit { changes: Some(HashMap::from([(uri.clone(), edits)])), ..WorkspaceEdit::default() }
}

fn fix_data(snapshot: &Snapshot, fix: &Fix, encoding: Encoding) -> serde_json::Value {
    json!({
        "title": fix.title,
        "applicability": fix.applicability.as_str(),
        "edits": text_edits(snapshot, &fix.edits, encoding),
    })
}

pub fn diagnostic(snapshot: &Snapshot, finding: &Finding, bank: &Bank, encoding: Encoding) -> Diagnostic {
    let card = bank.get(finding.rule.id());
    let code_description = card
        .and_then(|c| c.references.first())
        .and_then(|url| url.parse::<Uri>().ok())
        .map(|href| CodeDescription { href });
    Diagnostic {
        range: position::range(&snapshot.index, &snapshot.text, finding.range, encoding),
        severity: Some(severity(finding.severity)),
        code: Some(NumberOrString::String(finding.rule.id().to_string())),
        code_description,
        source: Some(SOURCE.to_string()),
        message: finding.message.clone(),
        data: Some(json!({
            "version": snapshot.version,
            "rule": finding.rule.id(),
            "fix": finding.fix.as_ref().map(|fix| fix_data(snapshot, fix, encoding)),
        })),
        ..Diagnostic::default()
    }
}

/// `file:///a%20b/c.py` -> `/a b/c.py`; other schemes have no path.
pub fn uri_to_path(uri: &Uri) -> Option<std::path::PathBuf> {
    let text = uri.as_str();
    let rest = text.strip_prefix("file://")?;
    let path = &rest[rest.find('/')?..];
    let bytes = path.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let Ok(byte) = u8::from_str_radix(std::str::from_utf8(&bytes[i + 1..i + 3]).ok()?, 16)
        {
            out.push(byte);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    Some(std::path::PathBuf::from(String::from_utf8(out).ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_uris_become_paths() {
        let uri: Uri = "file:///tmp/a%20b/c.py".parse().unwrap();
        assert_eq!(uri_to_path(&uri).unwrap(), std::path::PathBuf::from("/tmp/a b/c.py"));
        let uri: Uri = "untitled:Untitled-1".parse().unwrap();
        assert!(uri_to_path(&uri).is_none());
    }
}
