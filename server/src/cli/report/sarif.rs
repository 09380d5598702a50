//! `check --format sarif`: SARIF 2.1.0 for code-scanning tools (GitHub code scanning among them).
//! One rule per rule card (help: the question and the strong answer; `helpUri`: the card's first
//! reference), one result per finding with its tier, region (character columns), snippet, a
//! fingerprint that does not move with the line number, and its fix; findings a comment silenced
//! are results with an in-source suppression; with `--baseline`, `baselineState`, and the
//! resolved findings as `absent` results.
//!
//! One JSON document, so the results are kept until the end (without the source text).

use std::io::{self, Write};

use serde_json::{Value, json};

use super::json::to_inert_pretty;
use super::{Entry, FileReport, Outcome, Resolved, SYNTAX_ERROR, Status};
use crate::analysis::{Rule, Severity};
use crate::cards::Bank;

/// The key of our entry in `partialFingerprints` (versioned: a new scheme gets a new key).
const FINGERPRINT_KEY: &str = "interviewLens/v1";

pub struct SarifReport<'a> {
    bank: &'a Bank,
    results: Vec<Value>,
}

impl<'a> SarifReport<'a> {
    pub fn new(bank: &'a Bank) -> Self {
        SarifReport { bank, results: Vec::new() }
    }

    pub fn file(&mut self, report: &FileReport) {
        let Outcome::Checked { entries, .. } = &report.outcome else { return };
        let uri = uri(&report.path.display().to_string());
        for entry in entries {
            self.results.push(result(&uri, entry, false));
        }
        for entry in &report.review.suppressed {
            self.results.push(result(&uri, entry, true));
        }
    }

    pub fn finish(&mut self, out: &mut impl Write, resolved: &[Resolved]) -> io::Result<()> {
        for item in resolved {
            let mut result = json!({
                "ruleId": item.rule,
                "level": "none",
                "message": {"text": format!("Resolved since the baseline: {}", item.message)},
                "locations": [{"physicalLocation": {
                    "artifactLocation": {"uri": uri(&item.path)},
                    "region": {"startLine": item.line.max(1)},
                }}],
                "partialFingerprints": {(FINGERPRINT_KEY): item.fingerprint},
                "baselineState": "absent",
            });
            if let Some(index) = rule_index(&item.rule) {
                result["ruleIndex"] = json!(index);
            }
            self.results.push(result);
        }
        let log = json!({
            "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
            "version": "2.1.0",
            "runs": [{
                "tool": {"driver": {
                    "name": "interview-lens",
                    "version": env!("CARGO_PKG_VERSION"),
                    "rules": self.rules(),
                }},
                // Our columns count Unicode characters, as the JSON report's do.
                "columnKind": "unicodeCodePoints",
                "results": std::mem::take(&mut self.results),
            }],
        });
        out.write_all(to_inert_pretty(&log).as_bytes())?;
        out.write_all(b"\n")
    }

    /// Every rule, in [`Rule::ALL`] order (results refer to them by index), then syntax errors.
    fn rules(&self) -> Vec<Value> {
        let mut rules: Vec<Value> = Rule::ALL
            .iter()
            .map(|rule| {
                let id = rule.id();
                let level = sarif_level(rule.default_severity());
                let mut value = json!({
                    "id": id,
                    "defaultConfiguration": {"level": level},
                });
                if let Some(card) = self.bank.get(id) {
                    value["name"] = json!(card.title);
                    value["shortDescription"] = json!({"text": card.title});
                    value["fullDescription"] = json!({"text": card.question});
                    let answer = card.strong_answer.trim();
                    value["help"] = json!({
                        "text": format!("Interview question ({}): {}\n\nStrong answer: {answer}", card.level, card.question),
                        "markdown": format!(
                            "**Interview question ({}):** {}\n\n**Strong answer:** {answer}\n\n**Follow-ups:**\n\n{}",
                            card.level,
                            card.question,
                            card.follow_ups.trim()
                        ),
                    });
                    if let Some(first) = card.references.first() {
                        value["helpUri"] = json!(first);
                    }
                    value["properties"] = json!({
                        "tags": ["interview", card.level.as_str(), card.topic],
                        "level": card.level.as_str(),
                        "topic": card.topic,
                    });
                } else {
                    value["shortDescription"] = json!({"text": id});
                }
                value
            })
            .collect();
        rules.push(json!({
            "id": SYNTAX_ERROR,
            "shortDescription": {"text": "Syntax error (the parts that parse are still checked)"},
            "defaultConfiguration": {"level": "error"},
        }));
        rules
    }
}

fn rule_index(id: &str) -> Option<usize> {
    if id == SYNTAX_ERROR {
        return Some(Rule::ALL.len());
    }
    Rule::ALL.iter().position(|r| r.id() == id)
}

fn sarif_level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Hint | Severity::Info => "note",
    }
}

fn result(uri: &str, entry: &Entry, suppressed: bool) -> Value {
    let id = entry.id();
    let mut region = json!({
        "startLine": entry.start.0,
        "startColumn": entry.start.1,
        "endLine": entry.end.0,
        "endColumn": entry.end.1,
    });
    if let Some(excerpt) = &entry.excerpt {
        region["snippet"] = json!({"text": excerpt});
    }
    let mut result = json!({
        "ruleId": id,
        "level": sarif_level(entry.severity),
        "message": {"text": entry.message},
        "locations": [{"physicalLocation": {"artifactLocation": {"uri": uri}, "region": region}}],
        "partialFingerprints": {(FINGERPRINT_KEY): entry.fingerprint_hex()},
    });
    if let Some(index) = rule_index(id) {
        result["ruleIndex"] = json!(index);
    }
    if let Some(fix) = &entry.fix {
        let replacements: Vec<Value> = fix
            .edits
            .iter()
            .map(|edit| {
                json!({
                    "deletedRegion": {
                        "byteOffset": edit.range.start().to_u32(),
                        "byteLength": edit.range.len().to_u32(),
                    },
                    "insertedContent": {"text": edit.content},
                })
            })
            .collect();
        result["fixes"] = json!([{
            "description": {"text": fix.title},
            "artifactChanges": [{"artifactLocation": {"uri": uri}, "replacements": replacements}],
        }]);
        result["properties"] = json!({"fixApplicability": fix.applicability.as_str()});
    }
    if let Some(status) = entry.status {
        result["baselineState"] = json!(if status == Status::New { "new" } else { "unchanged" });
    }
    if suppressed {
        result["suppressions"] = json!([{"kind": "inSource"}]);
    }
    result
}

/// A path as a URI reference: relative paths stay relative (code scanning resolves them against
/// the repository root), absolute ones become `file://` URIs; anything outside the unreserved
/// and path characters is percent-encoded.
fn uri(path: &str) -> String {
    let path = path.replace('\\', "/");
    let mut rest = path.as_str();
    while let Some(stripped) = rest.strip_prefix("./") {
        rest = stripped;
    }
    let mut out = String::with_capacity(rest.len() + 8);
    if rest.starts_with('/') {
        out.push_str("file://");
    }
    for byte in rest.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => out.push(byte as char),
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_become_uri_references() {
        assert_eq!(uri("./src/app.py"), "src/app.py");
        assert_eq!(uri("my dir/café.py"), "my%20dir/caf%C3%A9.py");
        assert_eq!(uri("/tmp/a#b.py"), "file:///tmp/a%23b.py");
    }
}
