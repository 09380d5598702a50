//! Findings and fixes to LSP types.

use std::collections::HashMap;

use tower_lsp_server::ls_types::{
    CodeDescription, Diagnostic, DiagnosticSeverity, NumberOrString, TextEdit, Uri, WorkspaceEdit,
};

use super::documents::Snapshot;
use super::position::{self, Encoding};
use crate::analysis::{Edit, Finding, Severity};
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
        // No `data`: code actions re-read the cached analysis of the current text, so nothing
        // would read a fix sent along with every diagnostic.
        ..Diagnostic::default()
    }
}

/// `file:///a%20b/c.py` -> `/a b/c.py` (drive letters and percent-encoding as the URI crate
/// decodes them); other schemes have no path.
pub fn uri_to_path(uri: &Uri) -> Option<std::path::PathBuf> {
    if !uri.scheme().as_str().eq_ignore_ascii_case("file") {
        return None;
    }
    uri.to_file_path().map(std::borrow::Cow::into_owned)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_uris_become_paths() {
        let uri: Uri = "file:///tmp/a%20b/c.py".parse().unwrap();
        assert_eq!(uri_to_path(&uri).unwrap(), std::path::PathBuf::from("/tmp/a b/c.py"));
        let uri: Uri = "file:///tmp/%E6%BC%A2%E5%AD%97/x%23y.py".parse().unwrap();
        assert_eq!(uri_to_path(&uri).unwrap(), std::path::PathBuf::from("/tmp/漢字/x#y.py"));
        let uri: Uri = "FILE:///tmp/c.py".parse().unwrap();
        assert_eq!(uri_to_path(&uri).unwrap(), std::path::PathBuf::from("/tmp/c.py"));
        for other in ["untitled:Untitled-1", "vscode-notebook-cell:/tmp/a.ipynb#W0", "https://e.com/a.py"] {
            let uri: Uri = other.parse().unwrap();
            assert!(uri_to_path(&uri).is_none(), "{other}");
        }
    }

    #[cfg(windows)]
    #[test]
    fn drive_letters_become_windows_paths() {
        let uri: Uri = "file:///c%3A/Users/a%20b/c.py".parse().unwrap();
        assert_eq!(uri_to_path(&uri).unwrap(), std::path::PathBuf::from("c:/Users/a b/c.py"));
    }
}
