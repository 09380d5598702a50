//! Read-only access to the text being analysed: slices, lines, indentation, tokens.

use std::cell::OnceCell;

use ruff_python_ast::token::{Token, TokenKind, Tokens};
use ruff_source_file::LineIndex;
use ruff_text_size::{Ranged, TextRange, TextSize};

pub struct Source<'a> {
    text: &'a str,
    tokens: &'a Tokens,
    line_ending: &'static str,
    indent_unit: String,
    /// Built on first use: most files need no line numbers during analysis.
    lines: OnceCell<LineIndex>,
}

impl<'a> Source<'a> {
    pub fn new(text: &'a str, tokens: &'a Tokens) -> Self {
        let line_ending = match text.find(['\n', '\r']) {
            Some(i) if text[i..].starts_with("\r\n") => "\r\n",
            Some(i) if text[i..].starts_with('\r') => "\r",
            _ => "\n",
        };
        let indent_unit = detect_indent_unit(tokens, text);
        Source { text, tokens, line_ending, indent_unit, lines: OnceCell::new() }
    }

    pub fn text(&self) -> &'a str {
        self.text
    }

    pub fn slice<T: Ranged>(&self, node: &T) -> &'a str {
        let range = node.range();
        self.text.get(range.start().to_usize()..range.end().to_usize()).unwrap_or("")
    }

    /// The newline sequence the file already uses, so fixes do not mix styles.
    pub fn line_ending(&self) -> &'static str {
        self.line_ending
    }

    /// One level of indentation as the file writes it (four spaces when it has none yet).
    pub fn indent_unit(&self) -> &str {
        &self.indent_unit
    }

    fn lines(&self) -> &LineIndex {
        self.lines.get_or_init(|| LineIndex::from_source_text(self.text))
    }

    /// Offset of the first byte of the line containing `offset`.
    pub fn line_start(&self, offset: TextSize) -> TextSize {
        let offset = offset.min(self.text_len());
        let lines = self.lines();
        lines.line_start(lines.line_index(offset), self.text)
    }

    /// The 1-based line number of `offset`, for messages that point at other code.
    pub fn line_number(&self, offset: TextSize) -> usize {
        self.lines().line_index(offset.min(self.text_len())).get()
    }

    fn text_len(&self) -> TextSize {
        TextSize::try_from(self.text.len()).unwrap_or(TextSize::new(u32::MAX))
    }

    /// The code of `node` for quoting in a message: itself when short and on one line, else
    /// its start followed by `...`.
    pub fn shown<T: Ranged>(&self, node: &T) -> std::borrow::Cow<'a, str> {
        const MAX: usize = 60;
        let text = self.slice(node);
        if text.len() <= MAX && !text.contains(['\n', '\r']) {
            return text.into();
        }
        let line = text.split(['\n', '\r']).next().unwrap_or("");
        let mut end = line.len().min(MAX);
        while !line.is_char_boundary(end) {
            end -= 1;
        }
        format!("{}...", line[..end].trim_end()).into()
    }

    /// Offset just after the line terminator of the line containing `offset` (or end of text).
    pub fn full_line_end(&self, offset: TextSize) -> TextSize {
        let start = offset.to_usize().min(self.text.len());
        let rest = &self.text[start..];
        let end = match rest.find(['\n', '\r']) {
            Some(i) if rest[i..].starts_with("\r\n") => start + i + 2,
            Some(i) => start + i + 1,
            None => self.text.len(),
        };
        TextSize::try_from(end).unwrap_or_default()
    }

    /// The leading whitespace of the line holding `offset`, if only whitespace precedes `offset`.
    pub fn indentation_at(&self, offset: TextSize) -> Option<&'a str> {
        let start = self.line_start(offset);
        let prefix = &self.text[start.to_usize()..offset.to_usize()];
        prefix.chars().all(|c| c == ' ' || c == '\t').then_some(prefix)
    }

    /// True when only whitespace or a comment follows `offset` on its line.
    pub fn nothing_after_on_line(&self, offset: TextSize) -> bool {
        let end = self.full_line_end(offset);
        let rest = self.text[offset.to_usize()..end.to_usize()].trim();
        rest.is_empty() || rest.starts_with('#')
    }

    /// The tokens inside `range`, without asserting that the range is on token boundaries.
    pub fn tokens_in(&self, range: TextRange) -> &'a [Token] {
        let all: &'a [Token] = self.tokens;
        let first = all.partition_point(|t| t.start() < range.start());
        let last = all.partition_point(|t| t.end() <= range.end());
        if first >= last { &[] } else { &all[first..last] }
    }

    /// The first token starting at or after `offset`.
    pub fn token_after(&self, offset: TextSize) -> Option<&'a Token> {
        let all: &'a [Token] = self.tokens;
        let i = all.partition_point(|t| t.start() < offset);
        all[i..].iter().find(|t| !t.kind().is_trivia())
    }

    /// The last non-trivia token ending at or before `offset`.
    pub fn token_before(&self, offset: TextSize) -> Option<&'a Token> {
        let all: &'a [Token] = self.tokens;
        let i = all.partition_point(|t| t.end() <= offset);
        all[..i].iter().rev().find(|t| !t.kind().is_trivia())
    }

    /// A string that spans lines would change content if re-indented, so fixes that move
    /// code into a new block refuse to touch such ranges.
    pub fn has_multiline_string(&self, range: TextRange) -> bool {
        self.tokens_in(range).iter().any(|t| {
            matches!(
                t.kind(),
                TokenKind::String
                    | TokenKind::FStringMiddle
                    | TokenKind::TStringMiddle
                    | TokenKind::FStringStart
                    | TokenKind::TStringStart
            ) && self.slice(t).contains(['\n', '\r'])
                || (t.kind() == TokenKind::FStringStart || t.kind() == TokenKind::TStringStart)
                    && t.is_triple_quoted_string()
        })
    }

    /// Comments inside `range` (the fixes that rebuild statements would drop them).
    pub fn has_comments(&self, range: TextRange) -> bool {
        self.tokens_in(range).iter().any(|t| t.kind() == TokenKind::Comment)
    }

    pub fn comments(&self) -> impl Iterator<Item = TextRange> + 'a {
        let all: &'a [Token] = self.tokens;
        all.iter().filter(|t| t.kind() == TokenKind::Comment).map(|t| t.range())
    }
}

fn detect_indent_unit(tokens: &Tokens, text: &str) -> String {
    tokens
        .iter()
        .find(|t| t.kind() == TokenKind::Indent)
        .and_then(|t| text.get(t.start().to_usize()..t.end().to_usize()))
        .filter(|s| !s.is_empty())
        .map_or_else(|| "    ".to_string(), str::to_string)
}
