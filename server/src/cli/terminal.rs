//! Text for a terminal is inert: control characters from card text, source code or file names are
//! shown as visible escapes, so an ESC, BEL or OSC 52 sequence in a repository's card folder
//! cannot move the cursor, clear the screen or set the clipboard in the reader's terminal.

use std::borrow::Cow;
use std::fmt::Write as _;

/// Characters a terminal (or the eye) acts on rather than shows: C0 controls, DEL, C1 controls
/// (U+009B is CSI on terminals that read 8-bit controls), and the bidirectional overrides and
/// isolates that reorder what is displayed ("Trojan Source").
fn is_active(c: char) -> bool {
    matches!(c, '\0'..='\u{1f}' | '\u{7f}'..='\u{9f}' | '\u{61c}' | '\u{200e}' | '\u{200f}' | '\u{2028}' | '\u{2029}')
        || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

fn escape(c: char, out: &mut String) {
    if c.is_ascii() {
        let _ = write!(out, "\\x{:02x}", c as u32);
    } else {
        let _ = write!(out, "\\u{{{:x}}}", c as u32);
    }
}

fn render(text: &str, keep: impl Fn(char) -> bool) -> Cow<'_, str> {
    if !text.chars().any(|c| is_active(c) && !keep(c)) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if is_active(c) && !keep(c) {
            escape(c, &mut out);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Multi-line text (a card, Markdown): line breaks and tabs stay, every other control character
/// becomes `\x1b` / `\u{9b}` style text.
pub fn inert(text: &str) -> Cow<'_, str> {
    render(text, |c| c == '\n' || c == '\t')
}

/// One line of a report (a path, a message): line breaks are escaped too, so a file name cannot
/// forge extra report lines.
pub fn inert_line(text: &str) -> Cow<'_, str> {
    render(text, |c| c == '\t')
}

/// `warning: ...` on stderr, inert.
pub fn warning(message: impl std::fmt::Display) {
    eprintln!("warning: {}", inert_line(&message.to_string()));
}

/// `error: ...` on stderr, inert.
pub fn error(message: impl std::fmt::Display) {
    eprintln!("error: {}", inert_line(&message.to_string()));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_become_visible() {
        assert_eq!(inert("ok\ttext\n"), "ok\ttext\n");
        assert!(matches!(inert("plain"), Cow::Borrowed(_)));
        assert_eq!(inert("\x1b]52;c;ZXZpbA==\x07"), "\\x1b]52;c;ZXZpbA==\\x07");
        assert_eq!(inert("a\0b\x7f\u{9b}2J"), "a\\x00b\\x7f\\u{9b}2J");
        assert_eq!(inert("\u{202e}gnp.exe"), "\\u{202e}gnp.exe");
        assert_eq!(inert_line("one\ntwo\r"), "one\\x0atwo\\x0d");
        assert_eq!(inert("é 漢字 😀"), "é 漢字 😀");
    }
}
