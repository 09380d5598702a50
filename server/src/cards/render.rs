//! Cards as Markdown (hovers, `workspace/executeCommand`) and as plain terminal text (`explain`).

use super::{Card, Kind};

/// Markdown that reads well in VS Code and in Neovim's float: headings, bold labels, lists, fenced
/// code; no raw HTML. `headline` is the finding's own message when the card explains a finding.
pub fn render_markdown(card: &Card, headline: Option<&str>) -> String {
    let mut out = String::new();
    if let Some(headline) = headline {
        out.push_str(&format!("**{}**\n\n", escape_bold(headline)));
    }
    out.push_str(&format!("### {}\n*{} · {} · {}*\n\n", card.title, card.level, card.topic, kind_label(card.kind)));
    out.push_str(&format!("**Interview question:** {}\n\n", card.question));
    out.push_str(&format!("**Strong answer.** {}\n\n", card.strong_answer));
    out.push_str(&format!("**Red flag.** {}\n\n", card.red_flag));
    out.push_str(&format!("**How it is scored.**\n\n{}\n\n", card.scoring));
    out.push_str(&format!("**Follow-ups.**\n\n{}\n", card.follow_ups));
    if let (Some(flagged), Some(better)) = (&card.example.flagged, &card.example.better) {
        out.push_str(&format!("\n**Flagged:**\n```python\n{flagged}```\n**Better:**\n```python\n{better}```\n"));
    } else if let Some(code) = &card.example.code {
        out.push_str(&format!("\n**Example:**\n```python\n{code}```\n"));
    }
    if !card.references.is_empty() {
        let links: Vec<String> = card.references.iter().map(|url| format!("[{}]({url})", link_label(url))).collect();
        out.push_str(&format!("\n{}\n", links.join(" · ")));
    }
    out
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

/// Plain text for a terminal: the same content, Markdown markers dropped.
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
    }
    if !card.references.is_empty() {
        section(&mut out, "REFERENCES", &card.references.join("\n"));
    }
    out.trim_end().to_string() + "\n"
}
