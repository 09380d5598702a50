//! Open documents: text, version, line index, and the analysis of the current version.

use std::sync::Arc;

use dashmap::DashMap;
use ruff_source_file::LineIndex;
use tower_lsp_server::ls_types::{TextDocumentContentChangeEvent, Uri};

use super::position::{Encoding, text_range};
use crate::analysis::Analysis;

pub struct Document {
    pub text: Arc<str>,
    pub version: i32,
    pub index: Arc<LineIndex>,
    /// The analysis of `version`, once computed.
    pub analysis: Option<Arc<Analysis>>,
}

/// A consistent view of one document version, cheap to clone and send to a worker.
#[derive(Clone)]
pub struct Snapshot {
    pub uri: Uri,
    pub text: Arc<str>,
    pub version: i32,
    pub index: Arc<LineIndex>,
    pub analysis: Option<Arc<Analysis>>,
}

#[derive(Default)]
pub struct Documents {
    docs: DashMap<Uri, Document>,
}

impl Documents {
    pub fn open(&self, uri: Uri, text: String, version: i32) -> Snapshot {
        let index = Arc::new(LineIndex::from_source_text(&text));
        let text: Arc<str> = text.into();
        self.docs.insert(uri.clone(), Document { text: text.clone(), version, index: index.clone(), analysis: None });
        Snapshot { uri, text, version, index, analysis: None }
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
        let mut text = doc.text.to_string();
        let mut index = doc.index.clone();
        for change in changes {
            match change.range {
                Some(range) => {
                    let range = text_range(&index, &text, range, encoding);
                    text.replace_range(range.start().to_usize()..range.end().to_usize(), &change.text);
                }
                None => text = change.text,
            }
            index = Arc::new(LineIndex::from_source_text(&text));
        }
        doc.text = text.into();
        doc.index = index;
        doc.version = version;
        doc.analysis = None;
        Some(Snapshot { uri: uri.clone(), text: doc.text.clone(), version, index: doc.index.clone(), analysis: None })
    }

    pub fn close(&self, uri: &Uri) {
        self.docs.remove(uri);
    }

    pub fn snapshot(&self, uri: &Uri) -> Option<Snapshot> {
        self.docs.get(uri).map(|doc| Snapshot {
            uri: uri.clone(),
            text: doc.text.clone(),
            version: doc.version,
            index: doc.index.clone(),
            analysis: doc.analysis.clone(),
        })
    }

    pub fn snapshots(&self) -> Vec<Snapshot> {
        self.docs
            .iter()
            .map(|doc| Snapshot {
                uri: doc.key().clone(),
                text: doc.text.clone(),
                version: doc.version,
                index: doc.index.clone(),
                analysis: doc.analysis.clone(),
            })
            .collect()
    }

    /// Stores an analysis if the document is still at `version`; says whether it was current.
    pub fn store_analysis(&self, uri: &Uri, version: i32, analysis: Arc<Analysis>) -> bool {
        match self.docs.get_mut(uri) {
            Some(mut doc) if doc.version == version => {
                doc.analysis = Some(analysis);
                true
            }
            _ => false,
        }
    }

    pub fn forget_analyses(&self) {
        for mut doc in self.docs.iter_mut() {
            doc.analysis = None;
        }
    }

    pub fn version(&self, uri: &Uri) -> Option<i32> {
        self.docs.get(uri).map(|d| d.version)
    }
}
