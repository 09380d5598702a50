//! Open documents: text, version, line index, and the analysis of the current version.

use std::sync::Arc;

use dashmap::DashMap;
use ruff_source_file::LineIndex;
use tower_lsp_server::ls_types::{TextDocumentContentChangeEvent, Uri};

use super::position::{Encoding, text_range};
use crate::analysis::Analysis;
use crate::cards::Bank;
use crate::config::Settings;

/// One analysis of one text version, with what it was made with.
pub struct Analyzed {
    pub analysis: Analysis,
    pub settings: Settings,
    pub bank: Arc<Bank>,
}

/// Filled once per text version (and settings generation) by whoever needs it first; others
/// wait for that one analysis instead of starting their own. `None`: the analysis failed.
pub type AnalysisCell = tokio::sync::OnceCell<Option<Arc<Analyzed>>>;

pub struct Document {
    pub text: Arc<String>,
    pub version: i32,
    pub index: Arc<LineIndex>,
    /// Replaced on every change and settings change, so a finished analysis of an older text
    /// lands in a cell nobody reads.
    pub cell: Arc<AnalysisCell>,
}

/// A consistent view of one document version, cheap to clone and send to a worker.
#[derive(Clone)]
pub struct Snapshot {
    pub uri: Uri,
    pub text: Arc<String>,
    pub version: i32,
    pub index: Arc<LineIndex>,
    pub cell: Arc<AnalysisCell>,
}

impl Snapshot {
    fn of(uri: &Uri, doc: &Document) -> Snapshot {
        Snapshot {
            uri: uri.clone(),
            text: doc.text.clone(),
            version: doc.version,
            index: doc.index.clone(),
            cell: doc.cell.clone(),
        }
    }
}

#[derive(Default)]
pub struct Documents {
    docs: DashMap<Uri, Document>,
}

impl Documents {
    pub fn open(&self, uri: Uri, text: String, version: i32) -> Snapshot {
        let index = Arc::new(LineIndex::from_source_text(&text));
        let text = Arc::new(text);
        let doc = Document { text, version, index, cell: Arc::default() };
        let snapshot = Snapshot::of(&uri, &doc);
        self.docs.insert(uri, doc);
        snapshot
    }

    /// Applies content changes in order. Returns `None` for a document that is not open.
    pub fn change(
        &self,
        uri: &Uri,
        version: i32,
        changes: Vec<TextDocumentContentChangeEvent>,
        encoding: Encoding,
    ) -> Option<Snapshot> {
        let mut doc = self.docs.get_mut(uri)?;
        let mut text = doc.text.clone();
        let mut index = doc.index.clone();
        for change in changes {
            // One copy per change: bursts of edits on a large file are applied as fast as they come.
            text = Arc::new(match change.range {
                Some(range) => {
                    let range = text_range(&index, &text, range, encoding);
                    let (start, end) = (range.start().to_usize(), range.end().to_usize());
                    let mut next = String::with_capacity(text.len() - (end - start) + change.text.len());
                    next.push_str(&text[..start]);
                    next.push_str(&change.text);
                    next.push_str(&text[end..]);
                    next
                }
                None => change.text,
            });
            index = Arc::new(LineIndex::from_source_text(&text));
        }
        doc.text = text;
        doc.index = index;
        doc.version = version;
        doc.cell = Arc::default();
        Some(Snapshot::of(uri, &doc))
    }

    pub fn close(&self, uri: &Uri) {
        self.docs.remove(uri);
    }

    pub fn snapshot(&self, uri: &Uri) -> Option<Snapshot> {
        self.docs.get(uri).map(|doc| Snapshot::of(uri, &doc))
    }

    pub fn snapshots(&self) -> Vec<Snapshot> {
        self.docs.iter().map(|doc| Snapshot::of(doc.key(), &doc)).collect()
    }

    /// Settings changed: every document needs a new analysis.
    pub fn forget_analyses(&self) {
        for mut doc in self.docs.iter_mut() {
            doc.cell = Arc::default();
        }
    }

    /// Is `snapshot` still what the document holds (same text version, same settings generation)?
    pub fn is_current(&self, snapshot: &Snapshot) -> bool {
        self.docs.get(&snapshot.uri).is_some_and(|doc| Arc::ptr_eq(&doc.cell, &snapshot.cell))
    }
}
