//! One JSON array (the format documented in the README), written element by element as the files
//! arrive, so its size in memory is one element's, not the report's.

use std::io::{self, Write};

use serde::Serialize;
use serde_json::ser::{Formatter, PrettyFormatter};

use super::{Entry, FileReport, Outcome};
use crate::cards::Bank;

pub struct JsonReport<'a> {
    bank: &'a Bank,
    written: usize,
    buffer: Vec<u8>,
}

#[derive(Serialize)]
struct Item<'a> {
    path: &'a str,
    rule: &'static str,
    card: Option<&'a str>,
    level: Option<&'static str>,
    severity: &'static str,
    message: &'a str,
    range: Range,
    byte_range: [u32; 2],
    fix: Option<ItemFix<'a>>,
    /// Stable across edits elsewhere in the file; `--baseline` matches on it.
    fingerprint: String,
    /// With `--baseline`: `new` or `still-open`.
    #[serde(skip_serializing_if = "Option::is_none")]
    baseline: Option<&'static str>,
    /// With `--by-author`.
    #[serde(skip_serializing_if = "Option::is_none")]
    author: Option<&'a str>,
}

#[derive(Serialize)]
struct Range {
    start: Position,
    end: Position,
}

#[derive(Serialize)]
struct Position {
    line: usize,
    column: usize,
}

#[derive(Serialize)]
struct ItemFix<'a> {
    applicability: &'static str,
    title: &'a str,
    edits: Vec<ItemEdit<'a>>,
}

#[derive(Serialize)]
struct ItemEdit<'a> {
    byte_range: [u32; 2],
    content: &'a str,
}

impl<'a> JsonReport<'a> {
    pub fn new(bank: &'a Bank) -> Self {
        JsonReport { bank, written: 0, buffer: Vec::new() }
    }

    pub fn file(&mut self, out: &mut impl Write, report: &FileReport) -> io::Result<()> {
        let Outcome::Checked { entries, .. } = &report.outcome else { return Ok(()) };
        let path = report.path.display().to_string();
        for entry in entries {
            self.entry(out, &path, entry)?;
        }
        Ok(())
    }

    fn entry(&mut self, out: &mut impl Write, path: &str, entry: &Entry) -> io::Result<()> {
        let card = entry.rule.and_then(|rule| self.bank.get(rule.id()));
        let item = Item {
            path,
            rule: entry.id(),
            card: card.map(|c| c.id.as_str()),
            level: card.map(|c| c.level.as_str()),
            severity: entry.severity.as_str(),
            message: &entry.message,
            range: Range {
                start: Position { line: entry.start.0, column: entry.start.1 },
                end: Position { line: entry.end.0, column: entry.end.1 },
            },
            byte_range: [entry.range.start().to_u32(), entry.range.end().to_u32()],
            fix: entry.fix.as_ref().map(|fix| ItemFix {
                applicability: fix.applicability.as_str(),
                title: &fix.title,
                edits: fix
                    .edits
                    .iter()
                    .map(|e| ItemEdit {
                        byte_range: [e.range.start().to_u32(), e.range.end().to_u32()],
                        content: &e.content,
                    })
                    .collect(),
            }),
            fingerprint: entry.fingerprint_hex(),
            baseline: entry.status.map(|s| s.as_str()),
            author: entry.author.as_deref(),
        };
        self.buffer.clear();
        let mut serializer = serde_json::Serializer::with_formatter(&mut self.buffer, InertFormatter::default());
        item.serialize(&mut serializer).map_err(io::Error::other)?;
        out.write_all(if self.written == 0 { b"[\n  " } else { b",\n  " })?;
        // Indent the element one level inside the array; JSON strings hold no raw line breaks.
        for (i, line) in self.buffer.split(|&b| b == b'\n').enumerate() {
            if i > 0 {
                out.write_all(b"\n  ")?;
            }
            out.write_all(line)?;
        }
        self.written += 1;
        Ok(())
    }

    pub fn finish(&mut self, out: &mut impl Write) -> io::Result<()> {
        out.write_all(if self.written == 0 { b"[]\n" } else { b"\n]\n" })
    }
}

/// Pretty JSON whose strings also escape DEL, C1 controls and bidirectional overrides (serde_json
/// escapes only C0): the same values, and a report read in a terminal stays inert.
#[derive(Default)]
struct InertFormatter {
    pretty: PrettyFormatter<'static>,
}

fn needs_escape(c: char) -> bool {
    matches!(c, '\u{7f}'..='\u{9f}' | '\u{61c}' | '\u{200e}' | '\u{200f}' | '\u{2028}' | '\u{2029}')
        || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

impl Formatter for InertFormatter {
    fn write_string_fragment<W: ?Sized + Write>(&mut self, writer: &mut W, fragment: &str) -> io::Result<()> {
        let mut last = 0;
        for (i, c) in fragment.char_indices() {
            if needs_escape(c) {
                writer.write_all(&fragment.as_bytes()[last..i])?;
                write!(writer, "\\u{:04x}", c as u32)?;
                last = i + c.len_utf8();
            }
        }
        writer.write_all(&fragment.as_bytes()[last..])
    }

    fn begin_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.pretty.begin_array(w)
    }
    fn end_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.pretty.end_array(w)
    }
    fn begin_array_value<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.pretty.begin_array_value(w, first)
    }
    fn end_array_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.pretty.end_array_value(w)
    }
    fn begin_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.pretty.begin_object(w)
    }
    fn end_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.pretty.end_object(w)
    }
    fn begin_object_key<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.pretty.begin_object_key(w, first)
    }
    fn begin_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.pretty.begin_object_value(w)
    }
    fn end_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.pretty.end_object_value(w)
    }
}

/// Pretty JSON of `value` with [`InertFormatter`]'s escaping (for `cards --format json`).
pub fn to_inert_pretty(value: &impl Serialize) -> String {
    let mut buffer = Vec::new();
    let mut serializer = serde_json::Serializer::with_formatter(&mut buffer, InertFormatter::default());
    match value.serialize(&mut serializer) {
        Ok(()) => String::from_utf8(buffer).unwrap_or_else(|_| "[]".into()),
        Err(_) => "[]".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_escape_c1_and_bidi_and_stay_the_same_value() {
        let text = "a\u{1b}b\u{9b}c\u{202e}d\u{7f}";
        let json = to_inert_pretty(&serde_json::json!({"s": text}));
        assert!(!json.contains('\u{9b}') && !json.contains('\u{202e}') && !json.contains('\u{7f}'), "{json}");
        assert!(json.contains("\\u009b") && json.contains("\\u202e") && json.contains("\\u001b"), "{json}");
        let back: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(back["s"], text);
    }
}
