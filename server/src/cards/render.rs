//! Cards as Markdown (hovers, `workspace/executeCommand`) and as plain terminal text (`explain`).

use super::{Card, Kind};

/// Markdown that reads well in VS Code and in Neovim's float: headings, bold labels, lists, fenced
/// code. User cards are the author's text, so the output is made inert for a hover: raw HTML is
/// escaped, links keep only https targets (see [`safe_markdown`]), and example code sits in a fence
/// it cannot close. `headline` is the finding's own message when the card explains a finding.
pub fn render_markdown(card: &Card, headline: Option<&str>) -> String {
    let mut out = header(card, headline);
    out.push_str(&format!("**Strong answer.** {}\n\n", safe_markdown(&card.strong_answer)));
    out.push_str(&format!("**Red flag.** {}\n\n", safe_markdown(&card.red_flag)));
    out.push_str(&format!("**How it is scored.**\n\n{}\n\n", safe_markdown(&card.scoring)));
    out.push_str(&format!("**Follow-ups.**\n\n{}\n", safe_markdown(&card.follow_ups)));
    if let (Some(flagged), Some(better)) = (&card.example.flagged, &card.example.better) {
        out.push_str(&format!("\n**Flagged:**\n{}**Better:**\n{}", fenced(flagged), fenced(better)));
    } else if let Some(code) = &card.example.code {
        out.push_str(&format!("\n**Example:**\n{}", fenced(code)));
    } else if let Some(checklist) = &card.example.checklist {
        out.push_str(&format!("\n**Checklist:**\n\n{}\n", safe_markdown(checklist)));
    }
    if !card.references.is_empty() {
        // Validated when the card loads: https URLs on docs.python.org or peps.python.org.
        let links: Vec<String> = card.references.iter().map(|url| format!("[{}]({url})", link_label(url))).collect();
        out.push_str(&format!("\n{}\n", links.join(" · ")));
    }
    out
}

/// The command a hover link runs to open the whole card: the server's own `showCard`, which
/// vscode-languageclient registers as an editor command (VS Code trusts hover links for it only).
pub const SHOW_CARD_COMMAND: &str = "interview-lens.showCard";

/// What both hovers open with: the finding's message (when there is one), the card's title line
/// and its question.
fn header(card: &Card, headline: Option<&str>) -> String {
    let mut out = String::new();
    if let Some(headline) = headline {
        out.push_str(&format!("**{}**\n\n", escape_bold(&safe_line(headline))));
    }
    out.push_str(&format!(
        "### {}\n*{} · {} · {}*\n\n",
        safe_line(&card.title),
        card.level,
        safe_line(&card.topic),
        kind_label(card.kind)
    ));
    out.push_str(&format!("**Interview question:** {}\n\n", safe_line(&card.question)));
    out
}

/// The hover that reads in ten seconds: the finding's message, the question, the red flag in one
/// sentence, the scoring's strong-answer line, and a link to the whole card (strong answer,
/// follow-ups, example) — a command link for VS Code, `:InterviewLensCard` for Neovim. Made inert
/// the same way as [`render_markdown`].
pub fn render_compact(card: &Card, headline: Option<&str>) -> String {
    let mut out = header(card, headline);
    let red_flag = first_sentence(&card.red_flag);
    // "Code: ..." sections (the code shape, then the answer) lose their label here.
    let red_flag = match red_flag.strip_prefix("Code: ") {
        Some(rest) => {
            let mut chars = rest.chars();
            chars.next().map_or_else(String::new, |c| c.to_uppercase().chain(chars).collect())
        }
        None => red_flag,
    };
    out.push_str(&format!("**Red flag:** {}\n\n", safe_line(&red_flag)));
    out.push_str(&format!("**Scored strong:** {}\n\n", safe_line(&strong_line(&card.scoring))));
    // Ids are `[a-z0-9-]+` (checked when the card loads), so only the JSON brackets and quotes
    // need percent-encoding in the command's argument list.
    out.push_str(&format!(
        "[Whole card: strong answer, follow-ups, example](command:{SHOW_CARD_COMMAND}?%5B%22{}%22%5D) \
         (Neovim: `:InterviewLensCard`)\n",
        card.id
    ));
    out
}

/// The text up to the first sentence end outside code spans, lines joined. A sentence over
/// [`LONG_SENTENCE`] bytes that lists its cases with semicolons ends at the first one instead: a
/// hover line is read at a glance.
fn first_sentence(text: &str) -> String {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let bytes = text.as_bytes();
    let mut first_semicolon = None;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'`' => {
                let n = bytes[i..].iter().take_while(|&&b| b == b'`').count();
                let ticks = &text[i..i + n];
                // Skip to the closing run of as many backticks (none: the rest is not a span).
                i = text[i + n..].find(ticks).map_or(i + n, |k| i + n + k + n);
                continue;
            }
            b'.' | b'!' | b'?' if bytes.get(i + 1).is_none_or(|&b| b == b' ') => {
                let word = text[..i].rsplit(' ').next().unwrap_or("");
                let abbreviation = ["e.g", "i.e", "etc", "vs", "cf"].contains(&word.to_ascii_lowercase().as_str());
                if !abbreviation && !word.ends_with('.') {
                    return match first_semicolon {
                        Some(at) if i > LONG_SENTENCE => format!("{}.", &text[..at]),
                        _ => text[..=i].to_string(),
                    };
                }
            }
            b';' if first_semicolon.is_none() && i >= 40 => first_semicolon = Some(i),
            _ => {}
        }
        i += 1;
    }
    match first_semicolon {
        Some(at) if text.len() > LONG_SENTENCE => format!("{}.", &text[..at]),
        _ => text,
    }
}

const LONG_SENTENCE: usize = 200;

/// The scoring's `**Strong:**` bullet without its marker (continuation lines joined), else the
/// first line: cards written to another layout still get a line.
fn strong_line(scoring: &str) -> String {
    let mut lines = scoring.lines().skip_while(|l| !l.trim_start().starts_with("- **Strong:**"));
    match lines.next() {
        Some(first) => {
            let mut out = first.trim_start().trim_start_matches("- **Strong:**").trim().to_string();
            for more in lines.take_while(|l| l.starts_with(' ') && !l.trim().is_empty()) {
                out.push(' ');
                out.push_str(more.trim());
            }
            out
        }
        None => {
            scoring.lines().find(|l| !l.trim().is_empty()).unwrap_or("").trim().trim_start_matches("- ").to_string()
        }
    }
}

/// A python code block whose fence is longer than any backtick run in `code`, so the code cannot
/// end the block early and turn the rest into Markdown.
fn fenced(code: &str) -> String {
    let longest = code.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest.max(2) + 1);
    let newline = if code.ends_with('\n') { "" } else { "\n" };
    format!("{fence}python\n{code}{newline}{fence}\n")
}

/// [`safe_markdown`] for text that belongs on one line (a title, a question): line breaks become
/// spaces so it cannot open a new block.
fn safe_line(text: &str) -> String {
    safe_markdown(&text.replace(['\r', '\n'], " "))
}

/// Markdown from a card made inert for a hover, changing how it renders only where it would do
/// more than show text: outside code, `<` is escaped (no raw HTML, no autolinks); a link or image
/// whose target is not `https://` is left as literal text; a link reference definition with
/// another target is disabled; a bare URL with another scheme (`http://`, `javascript:`) or a
/// `www.` address is kept from being linked. Backslash escapes render as the character itself.
pub fn safe_markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    let mut fence: Option<(char, usize)> = None;
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let trimmed = line.trim_start();
        let run = |c: char| trimmed.chars().take_while(|&x| x == c).count();
        match fence {
            Some((c, n)) => {
                if run(c) >= n && trimmed[run(c)..].trim().is_empty() {
                    fence = None;
                }
                out.push_str(line);
                continue;
            }
            None => {
                for c in ['`', '~'] {
                    if run(c) >= 3 && line.len() - trimmed.len() < 4 {
                        fence = Some((c, run(c)));
                    }
                }
                if fence.is_some() {
                    out.push_str(line);
                    continue;
                }
            }
        }
        safe_inline(line, &mut out);
    }
    out
}

fn safe_inline(line: &str, out: &mut String) {
    // `[label]: target` at the start of a line defines a link reference.
    let definition = {
        let t = line.trim_start();
        t.starts_with('[')
            && line.len() - t.len() < 4
            && t.find("]:").is_some_and(|end| !t[end + 2..].trim_start().starts_with("https://"))
    };
    let chars: Vec<(usize, char)> = line.char_indices().collect();
    let mut i = 0;
    let mut in_definition_label = definition;
    while i < chars.len() {
        let (at, c) = chars[i];
        let rest = &line[at..];
        match c {
            '\\' => {
                // Already an escape: copy it and the character it escapes.
                out.push(c);
                if let Some(&(_, next)) = chars.get(i + 1) {
                    out.push(next);
                    i += 1;
                }
            }
            '`' => {
                let n = rest.chars().take_while(|&x| x == '`').count();
                let ticks = &rest[..n];
                let after = &rest[n..];
                // A code span: up to a run of exactly as many backticks; copied as it is.
                let close = (0..after.len()).find(|&k| {
                    after[k..].starts_with(ticks)
                        && !after[k + n..].starts_with('`')
                        && (k == 0 || !after[..k].ends_with('`'))
                });
                match close {
                    Some(k) => {
                        let span = &rest[..n + k + n];
                        out.push_str(span);
                        i += span.chars().count() - 1;
                    }
                    None => {
                        out.push_str(ticks);
                        i += n - 1;
                    }
                }
            }
            '<' => out.push_str("\\<"),
            ']' if in_definition_label && rest.starts_with("]:") => {
                out.push_str("]\\:");
                in_definition_label = false;
                i += 1;
            }
            ']' if rest.starts_with("](") && !rest[2..].trim_start().starts_with("https://") => {
                out.push_str("]\\(");
                i += 1;
            }
            'h' if rest.starts_with("https://") && word_start(line, at) => {
                // An https URL: copied whole (its `www.` is part of it).
                let end = rest.find(|c: char| c.is_whitespace() || c == ')' || c == '>').unwrap_or(rest.len());
                out.push_str(&rest[..end]);
                i += rest[..end].chars().count() - 1;
            }
            'w' if rest.starts_with("www.") && word_start(line, at) => {
                out.push_str("www\\.");
                i += 3;
            }
            c if c.is_ascii_alphabetic() && word_start(line, at) => {
                let scheme_len = rest.chars().take_while(|c| c.is_ascii_alphanumeric() || "+.-".contains(*c)).count();
                let scheme = &rest[..scheme_len];
                let after = &rest[scheme_len..];
                const BARE: &[&str] =
                    &["javascript", "vbscript", "data", "mailto", "command", "file", "vscode", "tel", "xmpp"];
                let linkable = after.starts_with("://")
                    || (after.starts_with(':') && BARE.iter().any(|s| s.eq_ignore_ascii_case(scheme)));
                if scheme_len >= 2 && linkable && !scheme.eq_ignore_ascii_case("https") {
                    out.push_str(scheme);
                    out.push_str("\\:");
                    i += scheme_len;
                } else {
                    out.push_str(scheme);
                    i += scheme_len - 1;
                }
            }
            c => out.push(c),
        }
        i += 1;
    }
}

/// `at` begins a word (nothing alphanumeric right before it).
fn word_start(line: &str, at: usize) -> bool {
    !line[..at].chars().next_back().is_some_and(|c| c.is_alphanumeric() || c == '_')
}

fn escape_bold(text: &str) -> String {
    text.replace("**", "\\*\\*")
}

fn kind_label(kind: Kind) -> &'static str {
    match kind {
        Kind::RedFlag => "red flag",
        Kind::Concept => "concept",
        Kind::Practice => "practice",
    }
}

/// `https://docs.python.org/3/library/functools.html#functools.wraps` -> `functools.wraps`.
fn link_label(url: &str) -> String {
    if let Some((_, anchor)) = url.rsplit_once('#') {
        return anchor.to_string();
    }
    let path = url.trim_end_matches('/').rsplit('/').next().unwrap_or(url);
    path.trim_end_matches(".html").to_string()
}

/// Plain text for a terminal: the same content, Markdown markers dropped. The caller makes it inert
/// (`cli::terminal`) before printing.
pub fn render_terminal(card: &Card) -> String {
    let mut out = String::new();
    out.push_str(&format!("{} ({})\n", card.title, card.id));
    out.push_str(&format!("{} · {} · {}\n\n", card.level, card.topic, kind_label(card.kind)));
    let section = |out: &mut String, name: &str, body: &str| {
        out.push_str(name);
        out.push('\n');
        for line in body.lines() {
            out.push_str(&format!("  {}\n", line.replace("**", "")));
        }
        out.push('\n');
    };
    section(&mut out, "QUESTION", &card.question);
    section(&mut out, "STRONG ANSWER", &card.strong_answer);
    section(&mut out, "RED FLAG", &card.red_flag);
    section(&mut out, "HOW IT IS SCORED", &card.scoring);
    section(&mut out, "FOLLOW-UPS", &card.follow_ups);
    if let (Some(flagged), Some(better)) = (&card.example.flagged, &card.example.better) {
        section(&mut out, "FLAGGED", flagged);
        section(&mut out, "BETTER", better);
    } else if let Some(code) = &card.example.code {
        section(&mut out, "EXAMPLE", code);
    } else if let Some(checklist) = &card.example.checklist {
        section(&mut out, "CHECKLIST", checklist);
    }
    if !card.references.is_empty() {
        section(&mut out, "REFERENCES", &card.references.join("\n"));
    }
    out.trim_end().to_string() + "\n"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_html_and_non_https_links_are_inert() {
        assert_eq!(safe_markdown("a <img src=x onerror=alert(1)> b"), "a \\<img src=x onerror=alert(1)> b");
        assert_eq!(safe_markdown("[docs](https://docs.python.org/3/)"), "[docs](https://docs.python.org/3/)");
        assert_eq!(safe_markdown("[x](javascript:alert(1))"), "[x]\\(javascript\\:alert(1))");
        assert_eq!(safe_markdown("![t](http://tracker/p.png)"), "![t]\\(http\\://tracker/p.png)");
        assert_eq!(safe_markdown("[x](command:workbench.action.quit)"), "[x]\\(command\\:workbench.action.quit)");
        assert_eq!(safe_markdown("[x]: http://e.com\nsee [x]"), "[x]\\: http\\://e.com\nsee [x]");
        assert_eq!(safe_markdown("go to http://e.com or www.e.com"), "go to http\\://e.com or www\\.e.com");
        assert_eq!(safe_markdown("see https://www.python.org/x"), "see https://www.python.org/x");
    }

    #[test]
    fn code_is_left_as_written() {
        for text in [
            "`a < b` and `` x`<y `` stay",
            "```python\nif a < b:\n    print('<b>')\n```",
            "Note: plain prose, e.g. a ratio 3:1, is unchanged.",
        ] {
            assert_eq!(safe_markdown(text), text);
        }
        // Code that holds a fence cannot close the example's block.
        assert_eq!(fenced("x = 1\n```\n<b>\n"), "````python\nx = 1\n```\n<b>\n````\n");
    }

    #[test]
    fn first_sentences_skip_code_and_abbreviations() {
        assert_eq!(first_sentence("Uses `a. b` here, e.g. now. Then more."), "Uses `a. b` here, e.g. now.");
        assert_eq!(
            first_sentence("Wraps `f = open(p)` ... `f.close()`.\nNext"),
            "Wraps `f = open(p)` ... `f.close()`."
        );
        assert_eq!(first_sentence("Says \"it is fine\". Then"), "Says \"it is fine\".");
        assert_eq!(first_sentence("no end at all"), "no end at all");
        assert_eq!(first_sentence("an unclosed `tick. Here"), "an unclosed `tick.");
        let long = format!("Writes `a; b` and {}; or {}.", "x".repeat(100), "y".repeat(100));
        assert_eq!(first_sentence(&long), format!("Writes `a; b` and {}.", "x".repeat(100)));
        assert_eq!(first_sentence("Short, with a list; of two. Next"), "Short, with a list; of two.");
    }

    #[test]
    fn every_builtin_card_has_a_compact_hover() {
        let mut cut = 0;
        let bank = crate::cards::Bank::builtin();
        let cards: Vec<_> = bank.iter().collect();
        for card in &cards {
            let md = render_compact(card, Some("the message"));
            assert!(md.starts_with("**the message**\n\n### "), "{}: {md}", card.id);
            let flag = md.split("**Red flag:** ").nth(1).and_then(|r| r.split("\n\n").next()).unwrap();
            // One sentence: shorter than the section, ending where a sentence ends.
            assert!(flag.len() <= card.red_flag.len() && flag.ends_with(['.', '?', '!']), "{}: {flag}", card.id);
            cut += usize::from(flag.len() < card.red_flag.len() / 2);
            assert!(!flag.starts_with("Code:"), "{}", card.id);
            let strong = md.split("**Scored strong:** ").nth(1).and_then(|r| r.split("\n\n").next()).unwrap();
            assert!(
                strong.len() > 20 && !strong.starts_with("**") && !strong.contains("**Acceptable"),
                "{}: {strong}",
                card.id
            );
            assert!(
                md.contains(&format!("(command:interview-lens.showCard?%5B%22{}%22%5D)", card.id)),
                "{}: {md}",
                card.id
            );
            for whole in ["**Strong answer.**", "**Follow-ups.**", "```"] {
                assert!(!md.contains(whole), "{}: the compact hover has {whole}", card.id);
            }
        }
        // Most red-flag sections are a few sentences; the hover keeps the first.
        assert!(cut * 2 > cards.len(), "only {cut} of {} red flags were shortened", cards.len());
    }

    #[test]
    fn builtin_cards_render_unchanged_apart_from_fences() {
        for card in crate::cards::Bank::builtin().iter() {
            for text in
                [&card.title, &card.question, &card.strong_answer, &card.red_flag, &card.scoring, &card.follow_ups]
            {
                assert_eq!(&safe_markdown(text), text, "{}: the sanitiser changed authored text", card.id);
            }
        }
    }
}
