//! Practice events the server records in the store: a card "seen in a hover" and a finding
//! "fixed" (an edit removed it). Recording is fire-and-forget on the blocking pool: a store that
//! cannot be opened or written is logged and the request goes on, never waits or fails.

use std::collections::{HashMap, HashSet};
use std::sync::Mutex;

use tower_lsp_server::ls_types::Uri;

use crate::analysis::Analysis;
use crate::practice::{PracticeEvent, Store};

/// A document's version last analysed, and its finding count per rule.
type Counts = (i32, HashMap<&'static str, usize>);

#[derive(Default)]
pub struct Events {
    /// (document, card) pairs already recorded as seen: hovering the same finding again is not
    /// another practice event.
    seen: Mutex<HashSet<(String, String)>>,
    /// Per open document: the version last analysed and its finding count per rule.
    counts: Mutex<HashMap<Uri, Counts>>,
}

fn record(card: String, event: PracticeEvent) {
    // Outside a runtime (unit tests) there is nowhere to run it; nothing depends on the result.
    let Ok(runtime) = tokio::runtime::Handle::try_current() else { return };
    runtime.spawn_blocking(move || {
        if let Err(err) = Store::open_default().and_then(|mut store| store.record_event(&card, event)) {
            tracing::warn!("practice event for {card} not recorded: {err}");
        }
    });
}

impl Events {
    pub fn seen_in_hover(&self, uri: &Uri, card: &str) {
        let fresh =
            self.seen.lock().unwrap_or_else(|e| e.into_inner()).insert((uri.as_str().to_string(), card.to_string()));
        if fresh {
            record(card.to_string(), PracticeEvent::SeenInHover);
        }
    }

    /// Compares a new analysis of `uri` with the previous version's: a rule with fewer findings
    /// after an edit counts as fixed. Re-analyses of the same version (settings changed) and
    /// texts that do not parse (half-typed code hides findings) count for nothing.
    pub fn analysed(&self, uri: &Uri, version: i32, analysis: &Analysis) {
        let mut now: HashMap<&'static str, usize> = HashMap::new();
        for finding in &analysis.findings {
            *now.entry(finding.rule.id()).or_default() += 1;
        }
        let mut counts = self.counts.lock().unwrap_or_else(|e| e.into_inner());
        let previous = counts.get(uri);
        let mut fixed = Vec::new();
        if let Some((old_version, old)) = previous
            && *old_version != version
            && analysis.syntax_errors.is_empty()
        {
            for (rule, before) in old {
                if now.get(rule).copied().unwrap_or(0) < *before {
                    fixed.push(*rule);
                }
            }
        }
        if previous.is_none_or(|(old_version, _)| *old_version != version) && analysis.syntax_errors.is_empty() {
            counts.insert(uri.clone(), (version, now));
        }
        drop(counts);
        for rule in fixed {
            record(rule.to_string(), PracticeEvent::FixedFinding);
        }
    }

    pub fn closed(&self, uri: &Uri) {
        self.counts.lock().unwrap_or_else(|e| e.into_inner()).remove(uri);
    }
}
