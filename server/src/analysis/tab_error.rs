//! CPython's `TabError`: indentation that mixes tabs and spaces so that its meaning depends on the
//! tab size. The parser accepts such code; CPython refuses to run it.
//!
//! The rule is CPython's tokenizer's (`Parser/lexer/lexer.c`): each logical line's indentation is
//! measured twice, with tabs to multiples of 8 (`col`) and of 1 (`altcol`); a form feed resets both.
//! Against the indentation stack, the two measures must agree: same `col` needs the same `altcol`,
//! a deeper `col` a deeper `altcol`, and a dedent must land on an entry with the same `altcol`.
//! Only the first physical line of a logical line at bracket depth 0 is measured (continuation
//! lines, lines inside brackets or strings, blank and comment-only lines are not).

use ruff_python_ast::token::{TokenKind, Tokens};
use ruff_text_size::{Ranged, TextRange, TextSize};

use super::SyntaxError;

pub const MESSAGE: &str = "inconsistent use of tabs and spaces in indentation";

/// The first `TabError` CPython would raise for `text` (it stops there), if any.
pub fn find(text: &str, tokens: &Tokens) -> Option<SyntaxError> {
    // Without a tab both measures agree on every line; most files have none, and this walk over
    // every token was a tenth of `check`'s time.
    memchr::memchr(b'\t', text.as_bytes())?;
    // (col, altcol) of each open indentation level; the outermost is 0.
    let mut stack: Vec<(u32, u32)> = vec![(0, 0)];
    let mut at_line_start = true;
    for token in tokens.iter() {
        let kind = token.kind();
        match kind {
            TokenKind::Newline => {
                at_line_start = true;
                continue;
            }
            TokenKind::NonLogicalNewline
            | TokenKind::Comment
            | TokenKind::Indent
            | TokenKind::Dedent
            | TokenKind::EndOfFile => continue,
            _ if !at_line_start => continue,
            _ => at_line_start = false,
        }
        let start = token.range().start().to_usize();
        let line_start = logical_line_start(text, start);
        // From the text, not the token: the lexer turns some mixed indentation into an
        // `Unknown` token that starts the line.
        let (col, altcol) = measure(&text[line_start..]);
        let &(top_col, top_alt) = stack.last().unwrap_or(&(0, 0));
        let consistent = if col == top_col {
            altcol == top_alt
        } else if col > top_col {
            let deeper = altcol > top_alt;
            stack.push((col, altcol));
            deeper
        } else {
            while stack.len() > 1 && stack.last().is_some_and(|&(c, _)| col < c) {
                stack.pop();
            }
            match stack.last() {
                // CPython's IndentationError (which the parser reports itself): stop here.
                Some(&(c, _)) if c != col => return None,
                Some(&(_, a)) => a == altcol,
                None => return None,
            }
        };
        if !consistent {
            let range = TextRange::new(TextSize::try_from(line_start).ok()?, token.range().start());
            return Some(SyntaxError { range, message: MESSAGE.to_string() });
        }
    }
    None
}

/// Where the physical line holding `offset` starts, moved back over lines that are only
/// whitespace and a line-continuation backslash (CPython measures from the first of them).
fn logical_line_start(text: &str, offset: usize) -> usize {
    let line_start = |end: usize| text[..end].rfind(['\n', '\r']).map_or(0, |i| i + 1);
    let mut start = line_start(offset);
    while start > 0 {
        let mut end = start - 1;
        if text.as_bytes()[end] == b'\n' && end > 0 && text.as_bytes()[end - 1] == b'\r' {
            end -= 1;
        }
        let previous = line_start(end);
        let line = &text[previous..end];
        match line.strip_suffix('\\') {
            Some(indent) if indent.chars().all(|c| matches!(c, ' ' | '\t' | '\x0c')) => start = previous,
            _ => break,
        }
    }
    start
}

/// (col, altcol) of the indentation `line` starts with, as CPython's tokenizer counts them,
/// including its handling of whitespace-and-backslash prefix lines (`cont_line_col`: the column at
/// the first backslash).
fn measure(line: &str) -> (u32, u32) {
    const TAB_SIZE: u32 = 8;
    let (mut col, mut altcol, mut cont_line_col) = (0u32, 0u32, 0u32);
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            ' ' => {
                col += 1;
                altcol += 1;
            }
            '\t' => {
                col = (col / TAB_SIZE + 1) * TAB_SIZE;
                altcol += 1;
            }
            '\x0c' => {
                col = 0;
                altcol = 0;
            }
            '\\' if matches!(chars.peek(), Some('\n' | '\r')) => {
                if cont_line_col == 0 {
                    cont_line_col = col;
                }
                if chars.next() == Some('\r') && chars.peek() == Some(&'\n') {
                    chars.next();
                }
            }
            _ => break,
        }
    }
    if cont_line_col != 0 { (cont_line_col, cont_line_col) } else { (col, altcol) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ruff_python_parser::parse_module;

    fn tab_error_line(code: &str) -> Option<usize> {
        let parsed = ruff_python_parser::parse_unchecked_source(code, ruff_python_ast::PySourceType::Python);
        find(code, parsed.tokens()).map(|e| code[..e.range.start().to_usize()].matches('\n').count() + 1)
    }

    #[test]
    fn mixed_indentation_is_found_where_cpython_finds_it() {
        assert_eq!(tab_error_line("if x:\n\tif y:\n        pass\n"), Some(3));
        assert_eq!(tab_error_line("if x:\n        a = 1\n\tb = 2\n"), Some(3));
        assert_eq!(tab_error_line("if x:\n    if y:\n\tpass\n"), Some(3));
    }

    #[test]
    fn consistent_or_unmeasured_indentation_is_fine() {
        // A tab after spaces that lands on a consistent level, tabs only, spaces only.
        assert_eq!(tab_error_line("if x:\n  \tpass\n"), None);
        assert_eq!(tab_error_line("if x:\n\tif y:\n\t\tpass\n"), None);
        // Inside brackets, strings and after a backslash, lines are not measured.
        assert_eq!(tab_error_line("def f():\n\tx = (1,\n        2)\n\treturn x\n"), None);
        assert_eq!(tab_error_line("def f():\n\ts = '''\n        x'''\n\treturn s\n"), None);
        assert_eq!(tab_error_line("def f():\n\tx = 1 + \\\n        2\n\treturn x\n"), None);
        // Comment-only and blank lines do not count.
        assert_eq!(tab_error_line("def f():\n\tx = 1\n        # note\n\n\treturn x\n"), None);
        assert!(parse_module("if x:\n\tif y:\n        pass\n").is_ok(), "the parser accepts what CPython rejects");
    }
}
