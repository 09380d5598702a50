//! Card files: a TOML header between `+++` lines, then `## ` sections (see questions/FORMAT.md).

use serde::Deserialize;

use super::{Card, CardError, Example, Kind, Level};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Header {
    id: String,
    title: String,
    level: String,
    kind: String,
    topic: String,
    question: String,
    #[serde(default)]
    references: Vec<String>,
}

const SECTIONS: &[&str] = &["Strong answer", "Red flag", "How it is scored", "Follow-ups", "Example"];

/// Parses one card. `file` is the file name (the id must match its stem); `origin` names the
/// card in error messages.
pub fn parse_card(file: &str, text: &str, origin: &str) -> Result<Card, CardError> {
    let err = |line: usize, message: String| CardError { origin: origin.to_string(), line, message };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let lines: Vec<&str> = text.lines().collect();
    if lines.first().map(|l| l.trim_end()) != Some("+++") {
        return Err(err(1, "a card starts with a `+++` line, then a TOML header, then another `+++` line".into()));
    }
    let close = lines
        .iter()
        .skip(1)
        .position(|l| l.trim_end() == "+++")
        .map(|i| i + 1)
        .ok_or_else(|| err(1, "the TOML header is not closed by a `+++` line".into()))?;
    // A final line break: at the very end of its input the TOML parser gives no message.
    let header_text = lines[1..close].join("\n") + "\n";
    let header: Header = toml::from_str(&header_text).map_err(|e| {
        // The span is in the header's text, which starts on the file's second line.
        let line = e.span().map_or(1, |span| {
            let start = span.start.min(header_text.len());
            header_text[..start].matches('\n').count() + 1
        });
        err(line + 1, format!("TOML header: {}", crate::config::toml_message(&e)))
    })?;

    let stem = file.strip_suffix(".md").unwrap_or(file);
    if header.id != stem {
        return Err(err(2, format!("id `{}` does not match the file name `{file}`", header.id)));
    }
    if !header.id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-') || header.id.is_empty() {
        return Err(err(2, format!("id `{}` must be lowercase letters, digits and dashes", header.id)));
    }
    let header_line =
        |key: &str| lines[1..close].iter().position(|l| l.trim_start().starts_with(key)).map_or(2, |i| i + 2);
    let level = Level::parse(&header.level)
        .ok_or_else(|| err(header_line("level"), format!("level `{}` is not junior, mid or senior", header.level)))?;
    let kind = match header.kind.as_str() {
        "red-flag" => Kind::RedFlag,
        "concept" => Kind::Concept,
        "practice" => Kind::Practice,
        other => return Err(err(header_line("kind"), format!("kind `{other}` is not red-flag, concept or practice"))),
    };
    for (key, value) in [("title", &header.title), ("topic", &header.topic), ("question", &header.question)] {
        if value.trim().is_empty() {
            return Err(err(header_line(key), format!("`{key}` is empty")));
        }
    }
    for reference in &header.references {
        if !is_official_https(reference) {
            return Err(err(
                header_line("references"),
                format!("reference `{reference}` is not an https URL on docs.python.org or peps.python.org"),
            ));
        }
    }

    // Sections: `## Name` up to the next `## ` heading.
    let mut sections: Vec<(String, usize, Vec<&str>)> = Vec::new();
    let mut in_fence = false;
    for (i, line) in lines.iter().enumerate().skip(close + 1) {
        if line.trim_start().starts_with("```") {
            in_fence = !in_fence;
        }
        if !in_fence && let Some(name) = line.strip_prefix("## ") {
            sections.push((name.trim().to_string(), i + 1, Vec::new()));
            continue;
        }
        match sections.last_mut() {
            Some((_, _, body)) => body.push(line),
            None if line.trim().is_empty() => {}
            None => return Err(err(i + 1, "text before the first `## ` section".into())),
        }
    }
    for (name, line, _) in &sections {
        if !SECTIONS.contains(&name.as_str()) {
            return Err(err(*line, format!("unknown section `## {name}` (expected one of: {})", SECTIONS.join(", "))));
        }
    }
    let section = |name: &str| -> Result<(String, usize), CardError> {
        let (_, line, body) = sections
            .iter()
            .find(|(n, _, _)| n == name)
            .ok_or_else(|| err(lines.len(), format!("missing section `## {name}`")))?;
        let text = body.join("\n").trim().to_string();
        if text.is_empty() {
            return Err(err(*line, format!("section `## {name}` is empty")));
        }
        Ok((text, *line))
    };
    let (strong_answer, _) = section("Strong answer")?;
    let (red_flag, _) = section("Red flag")?;
    let (scoring, _) = section("How it is scored")?;
    let (follow_ups, _) = section("Follow-ups")?;
    let (example_text, example_line) = section("Example")?;
    let example = parse_example(&example_text, kind).map_err(|message| err(example_line, message))?;

    Ok(Card {
        id: header.id,
        title: header.title,
        level,
        kind,
        topic: header.topic,
        question: header.question,
        references: header.references,
        strong_answer,
        red_flag,
        scoring,
        follow_ups,
        example,
        origin: origin.to_string(),
    })
}

fn is_official_https(url: &str) -> bool {
    let Some(rest) = url.strip_prefix("https://") else { return false };
    let host = rest.split('/').next().unwrap_or("");
    matches!(host, "docs.python.org" | "peps.python.org")
        && !url.chars().any(|c| c.is_whitespace() || c == '"' || c == '<' || c == '>')
}

/// Red-flag cards: `### Flagged` and `### Better` subsections, each with a python block.
/// Other cards: exactly one python block.
fn parse_example(text: &str, kind: Kind) -> Result<Example, String> {
    let blocks = python_blocks(text)?;
    if blocks.is_empty() && kind != Kind::Practice {
        return Err("the example has no ```python block".into());
    }
    match kind {
        Kind::RedFlag => {
            let mut example = Example::default();
            for (heading, code) in blocks {
                match heading.as_deref() {
                    Some("Flagged") => example.flagged = Some(code),
                    Some("Better") => example.better = Some(code),
                    other => {
                        return Err(format!(
                            "a red-flag example has `### Flagged` and `### Better` code blocks (found a block under {other:?})"
                        ));
                    }
                }
            }
            if example.flagged.is_none() || example.better.is_none() {
                return Err("a red-flag example needs both a `### Flagged` and a `### Better` python block".into());
            }
            Ok(example)
        }
        // A practice card with no code tie may teach with a checklist of `- ` items instead.
        Kind::Practice if blocks.is_empty() => {
            if !text.lines().any(|l| l.trim_start().starts_with("- ")) {
                return Err("a practice card's example is one python block or a checklist of `- ` items".into());
            }
            Ok(Example { checklist: Some(text.trim().to_string()), ..Example::default() })
        }
        Kind::Concept | Kind::Practice => match blocks.as_slice() {
            [(_, code)] => Ok(Example { code: Some(code.clone()), ..Example::default() }),
            _ => {
                Err(format!("a {} card's example is exactly one python block (found {})", kind.as_str(), blocks.len()))
            }
        },
    }
}

/// (heading above the block, code) for each ```python fence.
fn python_blocks(text: &str) -> Result<Vec<(Option<String>, String)>, String> {
    let mut blocks = Vec::new();
    let mut heading: Option<String> = None;
    let mut current: Option<Vec<&str>> = None;
    for line in text.lines() {
        let trimmed = line.trim();
        match &mut current {
            Some(code) if trimmed == "```" => {
                blocks.push((heading.clone(), code.join("\n") + "\n"));
                current = None;
            }
            Some(code) => code.push(line),
            None if trimmed.starts_with("```") => {
                let lang = trimmed.trim_start_matches('`').trim();
                if lang != "python" && lang != "py" {
                    return Err(format!("example code blocks are ```python (found ```{lang})"));
                }
                current = Some(Vec::new());
            }
            None => {
                if let Some(h) = trimmed.strip_prefix("### ") {
                    heading = Some(h.trim().to_string());
                }
            }
        }
    }
    if current.is_some() {
        return Err("a code block is not closed".into());
    }
    Ok(blocks)
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = "+++\nid = \"demo\"\ntitle = \"Demo\"\nlevel = \"mid\"\nkind = \"concept\"\ntopic = \"T\"\nquestion = \"Q?\"\nreferences = [\"https://docs.python.org/3/\"]\n+++\n\n## Strong answer\nA.\n\n## Red flag\nB.\n\n## How it is scored\nC.\n\n## Follow-ups\n- D?\n\n## Example\n```python\nx = 1\n```\n";

    #[test]
    fn parses_a_good_card() {
        let card = parse_card("demo.md", GOOD, "demo.md").unwrap();
        assert_eq!(card.level, Level::Mid);
        assert_eq!(card.kind, Kind::Concept);
        assert_eq!(card.example.code.as_deref(), Some("x = 1\n"));
    }

    #[test]
    fn errors_name_the_line() {
        let bad = GOOD.replace("level = \"mid\"", "level = \"expert\"");
        let e = parse_card("demo.md", &bad, "demo.md").unwrap_err();
        assert_eq!(e.line, 4, "{e}");
        assert!(e.message.contains("expert"));

        let bad = GOOD.replace("title = \"Demo\"", "title = Demo");
        let e = parse_card("demo.md", &bad, "demo.md").unwrap_err();
        assert_eq!(e.line, 3, "{e}");
        assert!(e.message.starts_with("TOML header: invalid string"), "{e}");

        // A value missing after `=`: the parser's `message()` is empty; the text still says why.
        let bad = GOOD.replace("topic = \"T\"", "topic =");
        let e = parse_card("demo.md", &bad, "demo.md").unwrap_err();
        assert_eq!(e.line, 6, "{e}");
        assert!(e.message.len() > "TOML header: ".len() + 5 && !e.message.contains('\n'), "{e}");

        let bad = GOOD.replace("## Red flag\nB.\n", "## Red flag\n\n");
        let e = parse_card("demo.md", &bad, "demo.md").unwrap_err();
        assert!(e.message.contains("Red flag") && e.line == 14, "{e}");

        let bad = GOOD.replace("\"https://docs.python.org/3/\"", "\"http://example.com\"");
        assert!(parse_card("demo.md", &bad, "demo.md").unwrap_err().message.contains("https"));

        let bad = GOOD.replace("topic = \"T\"", "topic = \"T\"\ncolour = \"red\"");
        assert!(parse_card("demo.md", &bad, "demo.md").unwrap_err().message.contains("colour"));

        assert!(parse_card("other.md", GOOD, "other.md").unwrap_err().message.contains("file name"));
        assert_eq!(parse_card("demo.md", "hello", "demo.md").unwrap_err().line, 1);
    }

    #[test]
    fn a_practice_card_may_teach_with_a_checklist() {
        let checklist = "## Example\n- Situation: the service\n- Action: profiled it\n";
        let practice = GOOD.replace("kind = \"concept\"", "kind = \"practice\"");
        let with_list = practice.replace("## Example\n```python\nx = 1\n```\n", checklist);
        let card = parse_card("demo.md", &with_list, "demo.md").unwrap();
        assert_eq!(card.example.checklist.as_deref(), Some("- Situation: the service\n- Action: profiled it"));
        assert_eq!(card.example.code, None);
        // A concept card still needs its code; prose without list items is no checklist.
        let concept = GOOD.replace("## Example\n```python\nx = 1\n```\n", checklist);
        assert!(parse_card("demo.md", &concept, "demo.md").unwrap_err().message.contains("python block"));
        let prose = practice.replace("## Example\n```python\nx = 1\n```\n", "## Example\nJust words.\n");
        assert!(parse_card("demo.md", &prose, "demo.md").unwrap_err().message.contains("checklist"));
    }
}
