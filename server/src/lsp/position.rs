//! The one place LSP positions and byte offsets meet. Every range goes through [`LineIndex`] with
//! the negotiated encoding; out-of-range positions clamp to the nearest valid place.

use ruff_source_file::LineIndex;
use ruff_text_size::{TextRange, TextSize};
use tower_lsp_server::ls_types::{Position, PositionEncodingKind, Range};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf16,
}

impl Encoding {
    /// UTF-8 when the client offers it (no transcoding), else UTF-16, the LSP default.
    pub fn negotiate(offered: Option<&[PositionEncodingKind]>) -> Encoding {
        match offered {
            Some(kinds) if kinds.contains(&PositionEncodingKind::UTF8) => Encoding::Utf8,
            _ => Encoding::Utf16,
        }
    }

    pub fn kind(self) -> PositionEncodingKind {
        match self {
            Encoding::Utf8 => PositionEncodingKind::UTF8,
            Encoding::Utf16 => PositionEncodingKind::UTF16,
        }
    }
}

/// The byte range of line `line` (0-based), without its terminator; `None` past the last line.
fn line_content(index: &LineIndex, text: &str, line: usize) -> Option<(usize, usize)> {
    let starts = index.line_starts();
    let start = starts.get(line)?.to_usize();
    let next = starts.get(line + 1).map_or(text.len(), |s| s.to_usize());
    let mut end = next;
    let bytes = text.as_bytes();
    if end > start && bytes[end - 1] == b'\n' {
        end -= 1;
    }
    if end > start && bytes[end - 1] == b'\r' {
        end -= 1;
    }
    Some((start, end))
}

/// LSP position -> byte offset. A line past the end gives the end of the text; a character past
/// the end of its line gives the end of the line; a UTF-8 offset inside a character snaps back.
pub fn offset(index: &LineIndex, text: &str, position: Position, encoding: Encoding) -> TextSize {
    let Some((start, end)) = line_content(index, text, position.line as usize) else {
        return TextSize::try_from(text.len()).unwrap_or_default();
    };
    let line = &text[start..end];
    let wanted = position.character as usize;
    let within = match encoding {
        Encoding::Utf8 => {
            let mut at = wanted.min(line.len());
            while !line.is_char_boundary(at) {
                at -= 1;
            }
            at
        }
        Encoding::Utf16 => {
            let mut units = 0;
            let mut at = line.len();
            for (i, c) in line.char_indices() {
                if units >= wanted {
                    at = i;
                    break;
                }
                units += c.len_utf16();
                // A position inside a surrogate pair lands after the character.
            }
            at
        }
    };
    TextSize::try_from(start + within).unwrap_or_default()
}

/// Byte offset -> LSP position (the offset is clamped to the text).
pub fn position(index: &LineIndex, text: &str, offset: TextSize, encoding: Encoding) -> Position {
    let mut offset = offset.to_usize().min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let offset_size = TextSize::try_from(offset).unwrap_or_default();
    let line = index.line_index(offset_size).to_zero_indexed();
    let line_start = index.line_starts().get(line).map_or(0, |s| s.to_usize()).min(offset);
    let prefix = &text[line_start..offset];
    let character = match encoding {
        Encoding::Utf8 => prefix.len(),
        Encoding::Utf16 => prefix.encode_utf16().count(),
    };
    Position { line: u32::try_from(line).unwrap_or(u32::MAX), character: u32::try_from(character).unwrap_or(u32::MAX) }
}

pub fn range(index: &LineIndex, text: &str, range: TextRange, encoding: Encoding) -> Range {
    Range { start: position(index, text, range.start(), encoding), end: position(index, text, range.end(), encoding) }
}

/// LSP range -> byte range; an inverted range is put the right way round.
pub fn text_range(index: &LineIndex, text: &str, range: Range, encoding: Encoding) -> TextRange {
    let a = offset(index, text, range.start, encoding);
    let b = offset(index, text, range.end, encoding);
    TextRange::new(a.min(b), a.max(b))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pos(line: u32, character: u32) -> Position {
        Position { line, character }
    }

    #[test]
    fn columns_after_emoji_and_cjk_in_both_encodings() {
        let text = "a = '😀漢'; b\r\nc\n";
        let index = LineIndex::from_source_text(text);
        let b = text.find("; b").unwrap() + 2;
        let b = TextSize::try_from(b).unwrap();
        // 😀 is 4 bytes / 2 UTF-16 units; 漢 is 3 bytes / 1 unit.
        assert_eq!(position(&index, text, b, Encoding::Utf16), pos(0, 11));
        assert_eq!(position(&index, text, b, Encoding::Utf8), pos(0, 15));
        assert_eq!(offset(&index, text, pos(0, 11), Encoding::Utf16), b);
        assert_eq!(offset(&index, text, pos(0, 15), Encoding::Utf8), b);
        // CRLF: the second line starts after both bytes.
        assert_eq!(
            position(&index, text, TextSize::try_from(text.find('c').unwrap()).unwrap(), Encoding::Utf16),
            pos(1, 0)
        );
    }

    #[test]
    fn out_of_range_positions_clamp() {
        let text = "ab\r\ncd";
        let index = LineIndex::from_source_text(text);
        assert_eq!(offset(&index, text, pos(0, 99), Encoding::Utf16), TextSize::new(2), "end of line, before CRLF");
        assert_eq!(offset(&index, text, pos(9, 0), Encoding::Utf16), TextSize::new(6));
        let text = "é";
        let index = LineIndex::from_source_text(text);
        assert_eq!(offset(&index, text, pos(0, 1), Encoding::Utf8), TextSize::new(0), "inside a character snaps back");
        assert_eq!(position(&index, text, TextSize::new(99), Encoding::Utf16), pos(0, 1));
    }
}
