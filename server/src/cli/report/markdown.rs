//! `check --format markdown`: a review a mentor can hand over. A verdict driven by tier and
//! level, the few items most worth discussing, the strengths (the concept anchors that drive the
//! hovers), then every finding grouped by interview level and topic with the card's question
//! once, a few fenced excerpts, what a strong answer covers and the card's follow-ups as talking
//! points; what was resolved since `--baseline`; what comments silenced. Plain CommonMark (no
//! HTML), so it reads the same on GitHub and in a pager. With `--by-author`, one review per
//! author.
//!
//! Memory: per card a count, [`SHOWN`] excerpts and [`LISTED`] further locations, so a large
//! project costs a bounded amount per card, not per finding.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::{self, Write};

use super::{Entry, FileReport, Outcome, Resolved, Status};
use crate::analysis::{Rule, Severity};
use crate::cards::{Bank, Card, Level};
use crate::cli::terminal::{inert, inert_line};

/// Occurrences shown with an excerpt per card; further ones are listed by location, up to
/// [`LISTED`], then counted.
const SHOWN: usize = 3;
const LISTED: usize = 12;
/// Files shown per strength.
const STRENGTH_PLACES: usize = 5;
/// Concept cards whose use is a strength in itself. Others (`decorator`, `async-await`,
/// `gil-threading`, `nonlocal-closure`) are worth teaching but say nothing good on their own;
/// they count only with a named practice (`functools.wraps` under decorators).
const STRENGTH_CARDS: &[&str] =
    &["generator-function", "comprehension", "context-manager", "dataclass", "property", "slots"];
/// Suppressed findings listed per review.
const SUPPRESSED_LISTED: usize = 50;
/// Sentences of the strong answer quoted.
const ANSWER_SENTENCES: usize = 2;

pub struct MarkdownReport<'a> {
    bank: &'a Bank,
    /// Per author (`None` without `--by-author`).
    reviews: BTreeMap<Option<String>, Review>,
    checked: usize,
}

#[derive(Default)]
struct Review {
    cards: BTreeMap<&'static str, CardFindings>,
    /// Keyed by card and practice.
    strengths: BTreeMap<(&'static str, Option<&'static str>), Places>,
    suppressed: Vec<String>,
    suppressed_total: usize,
    syntax_errors: usize,
}

struct CardFindings {
    rule: Rule,
    warnings: usize,
    hints: usize,
    new: usize,
    still_open: usize,
    shown: Vec<Occurrence>,
    listed: Vec<String>,
}

struct Occurrence {
    location: String,
    severity: Severity,
    status: Option<Status>,
    message: String,
    excerpt: Option<String>,
}

/// A card's findings with the card (`None` for a rule without one).
type Found<'r> = (&'r CardFindings, Option<&'r Card>);

/// Uses of a strength: counted, and the first one in each of the first few files shown (a file
/// full of `@property` is one example, not five).
#[derive(Default)]
struct Places {
    uses: usize,
    files: usize,
    shown: Vec<String>,
    last: (String, usize),
}

impl Places {
    fn add(&mut self, path: &str, line: usize) {
        // Several anchors on one line (`with` and its items) are one use.
        if self.last.0 == path && self.last.1 == line {
            return;
        }
        self.uses += 1;
        if self.last.0 != path {
            self.files += 1;
            if self.shown.len() < STRENGTH_PLACES {
                self.shown.push(format!("{path}:{line}"));
            }
            self.last.0 = path.to_string();
        }
        self.last.1 = line;
    }
}

impl CardFindings {
    fn count(&self) -> usize {
        self.warnings + self.hints
    }
}

impl<'a> MarkdownReport<'a> {
    pub fn new(bank: &'a Bank) -> Self {
        MarkdownReport { bank, reviews: BTreeMap::new(), checked: 0 }
    }

    pub fn file(&mut self, report: &FileReport) {
        let Outcome::Checked { entries, .. } = &report.outcome else { return };
        self.checked += 1;
        let path = report.path.display().to_string();
        // `./a.py` reads as `a.py` in a review.
        let mut path = path.as_str();
        while let Some(rest) = path.strip_prefix("./") {
            path = rest;
        }
        let path = inert_line(path).into_owned();
        for entry in entries {
            let review = self.reviews.entry(entry.author.clone()).or_default();
            let Some(rule) = entry.rule else {
                review.syntax_errors += 1;
                continue;
            };
            let card = review.cards.entry(rule.id()).or_insert_with(|| CardFindings {
                rule,
                warnings: 0,
                hints: 0,
                new: 0,
                still_open: 0,
                shown: Vec::new(),
                listed: Vec::new(),
            });
            if entry.severity == Severity::Warning {
                card.warnings += 1;
            } else {
                card.hints += 1;
            }
            match entry.status {
                Some(Status::New) => card.new += 1,
                Some(Status::StillOpen) => card.still_open += 1,
                None => {}
            }
            let location = format!("{path}:{}:{}", entry.start.0, entry.start.1);
            if card.shown.len() < SHOWN {
                card.shown.push(Occurrence {
                    location,
                    severity: entry.severity,
                    status: entry.status,
                    message: entry.message.clone(),
                    excerpt: entry.excerpt.clone(),
                });
            } else if card.listed.len() < LISTED {
                card.listed.push(location);
            }
        }
        // A line where a card's particular practice was seen is listed under that practice only.
        let named: Vec<(&str, usize)> =
            report.review.strengths.iter().filter(|s| s.practice.is_some()).map(|s| (s.card, s.line)).collect();
        // A construct on a line with a finding (`any([...])`) is not praised.
        let flagged: Vec<usize> = entries.iter().filter(|e| e.rule.is_some()).map(|e| e.start.0).collect();
        for strength in &report.review.strengths {
            if flagged.contains(&strength.line) {
                continue;
            }
            if strength.practice.is_none()
                && (!STRENGTH_CARDS.contains(&strength.card) || named.contains(&(strength.card, strength.line)))
            {
                continue;
            }
            let review = self.reviews.entry(strength.author.clone()).or_default();
            review.strengths.entry((strength.card, strength.practice)).or_default().add(&path, strength.line);
        }
        for entry in &report.review.suppressed {
            let review = self.reviews.entry(entry.author.clone()).or_default();
            review.suppressed_total += 1;
            if review.suppressed.len() < SUPPRESSED_LISTED {
                review.suppressed.push(suppressed_line(&path, entry));
            }
        }
    }

    pub fn finish(&mut self, out: &mut impl Write, resolved: &[Resolved]) -> io::Result<()> {
        let mut text = String::new();
        let by_author = self.reviews.keys().any(Option::is_some);
        if self.reviews.is_empty() {
            self.reviews.insert(None, Review::default());
        }
        for (author, review) in &self.reviews {
            let title = match author {
                Some(author) => format!("Interview review: {}", inert_line(author)),
                None => "Interview review".to_string(),
            };
            let _ = writeln!(text, "# {title}\n");
            if by_author {
                text.push_str("Findings and strengths by the `git blame` author of their first line.\n\n");
            }
            self.review(&mut text, review, if by_author { &[] } else { resolved });
        }
        if by_author && !resolved.is_empty() {
            text.push_str("# Resolved since the last review\n\n");
            resolved_section(&mut text, resolved);
        }
        out.write_all(text.as_bytes())
    }

    fn review(&self, out: &mut String, review: &Review, resolved: &[Resolved]) {
        let cards: Vec<Found> = review.cards.values().map(|found| (found, self.bank.get(found.rule.id()))).collect();
        out.push_str(&verdict(&cards, self.checked));
        out.push_str("\n\n");
        if review.syntax_errors > 0 {
            let _ = writeln!(
                out,
                "{} syntax error{} (the parts that parse were still reviewed).\n",
                review.syntax_errors,
                plural(review.syntax_errors)
            );
        }

        let mut ranked = cards.clone();
        // Harm first, then the most junior level, then how often (the harm first again).
        ranked.sort_by_key(|(found, card)| {
            let level = card.map_or(Level::Senior, |c| c.level);
            (found.warnings == 0, level, std::cmp::Reverse((found.warnings, found.count())))
        });
        if !ranked.is_empty() {
            out.push_str("## Most worth discussing\n\n");
            for (i, (found, card)) in ranked.iter().take(3).enumerate() {
                let id = found.rule.id();
                let _ = write!(out, "{}. **{}** — `{id}` (", i + 1, topic(*card));
                if let Some(card) = card {
                    let _ = write!(out, "{}, ", card.level);
                }
                let _ = write!(out, "{})", tier_summary(found));
                match card {
                    Some(card) => {
                        let _ = writeln!(out, ": {}", inert_line(&card.question));
                    }
                    None => out.push('\n'),
                }
            }
            out.push('\n');
        }

        out.push_str("## Strengths\n\n");
        if review.strengths.is_empty() {
            out.push_str(
                "None found. The review recognises generators, comprehensions, context managers (and locks taken \
                 with `with`), dataclasses, properties, `__slots__` and `functools.wraps`.\n\n",
            );
        } else {
            for ((card_id, practice), places) in &review.strengths {
                let card = self.bank.get(card_id);
                let name = card.map_or_else(|| card_id.to_string(), |c| inert_line(&c.title).into_owned());
                let _ = write!(out, "- **{name}**");
                if let Some(practice) = practice {
                    let _ = write!(out, ": {practice}");
                }
                let listed: Vec<String> = places.shown.iter().map(|p| code_span(p)).collect();
                let _ = write!(out, " — {}", listed.join(", "));
                if places.uses > places.shown.len() {
                    let (uses, files) = (places.uses, places.files);
                    let _ = write!(out, " ({uses} uses in {files} file{})", plural(files));
                }
                out.push('\n');
            }
            out.push('\n');
        }

        if !resolved.is_empty() {
            out.push_str("## Resolved since the last review\n\n");
            resolved_section(out, resolved);
        }

        if !cards.is_empty() {
            out.push_str("## Findings by level and topic\n\n");
            let mut grouped: BTreeMap<(Level, String), Vec<Found>> = BTreeMap::new();
            for (found, card) in &cards {
                let level = card.map_or(Level::Senior, |c| c.level);
                grouped.entry((level, topic(*card))).or_default().push((found, *card));
            }
            for ((level, topic), mut group) in grouped {
                let _ = writeln!(out, "### {topic} ({level})\n");
                group.sort_by_key(|(found, _)| (found.warnings == 0, std::cmp::Reverse(found.count())));
                for (found, card) in group {
                    card_section(out, found, card);
                }
            }
        }

        if review.suppressed_total > 0 {
            out.push_str("## Suppressed\n\n");
            let _ = writeln!(
                out,
                "Silenced by a comment on their line (`# interview-lens: ignore[...]`, `# noqa`, `# pylint: disable`):\n"
            );
            for line in &review.suppressed {
                let _ = writeln!(out, "{line}");
            }
            if review.suppressed_total > review.suppressed.len() {
                let _ = writeln!(out, "- and {} more", review.suppressed_total - review.suppressed.len());
            }
            out.push('\n');
        }
    }
}

/// One card: its question once, a few excerpts, the rest by location, then what a strong answer
/// covers and the follow-ups.
fn card_section(out: &mut String, found: &CardFindings, card: Option<&Card>) {
    let id = found.rule.id();
    let count = found.count();
    let _ = write!(out, "#### `{id}` — {count} occurrence{} ({}", plural(count), tier_summary(found));
    if found.new + found.still_open > 0 {
        let _ = write!(out, "; {} new, {} still open", found.new, found.still_open);
    }
    out.push_str(")\n\n");
    if let Some(card) = card {
        let _ = writeln!(out, "**Question:** {}\n", inert_line(&card.question));
    }
    for occurrence in &found.shown {
        let _ = write!(out, "- {} · {}", code_span(&occurrence.location), occurrence.severity.as_str());
        if let Some(status) = occurrence.status {
            let _ = write!(out, " · {}", if status == Status::New { "new" } else { "still open" });
        }
        let _ = writeln!(out, " — {}", inert_line(&occurrence.message));
        if let Some(excerpt) = &occurrence.excerpt {
            out.push('\n');
            fenced(out, &inert(excerpt), "  ");
        }
        out.push('\n');
    }
    let unlisted = count - found.shown.len() - found.listed.len();
    if !found.listed.is_empty() {
        let places: Vec<String> = found.listed.iter().map(|p| code_span(p)).collect();
        let _ = write!(out, "- Also at {}", places.join(", "));
        if unlisted > 0 {
            let _ = write!(out, " and {unlisted} more");
        }
        out.push_str(".\n\n");
    }
    if let Some(card) = card {
        let answer = first_sentences(&card.strong_answer, ANSWER_SENTENCES);
        if !answer.is_empty() {
            let _ = writeln!(out, "**A strong answer covers:** {}\n", inert_line(&answer));
        }
        let follow_ups = card.follow_ups.trim();
        if !follow_ups.is_empty() {
            let _ = writeln!(out, "**Talking points:**\n\n{}\n", inert(follow_ups));
        }
        let _ = writeln!(out, "The whole card: `interview-lens explain {id}`.\n");
    }
}

fn resolved_section(out: &mut String, resolved: &[Resolved]) {
    let n = resolved.len();
    let _ = writeln!(
        out,
        "Well done: {n} finding{} from the last review {} gone.\n",
        plural(n),
        if n == 1 { "is" } else { "are" }
    );
    for item in resolved.iter().take(LISTED * 4) {
        let location = format!("{}:{}", item.path, item.line);
        let _ =
            writeln!(out, "- {} `{}` — {}", code_span(&location), inert_line(&item.rule), inert_line(&item.message));
    }
    if n > LISTED * 4 {
        let _ = writeln!(out, "- and {} more", n - LISTED * 4);
    }
    out.push('\n');
}

fn suppressed_line(path: &str, entry: &Entry) -> String {
    let location = format!("{path}:{}:{}", entry.start.0, entry.start.1);
    let mut line = format!("- {} `{}` — {}", code_span(&location), entry.id(), inert_line(&entry.message));
    if let Some(excerpt) = &entry.excerpt
        && let Some(first) = excerpt.lines().next()
    {
        let _ = write!(line, " (at {})", code_span(&inert_line(first.trim())));
    }
    line
}

/// The verdict: driven by the tier (a warning shows harm, a hint does not) and the level of each
/// topic, not by raw counts.
fn verdict(cards: &[Found], checked: usize) -> String {
    let files = format!("{checked} file{}", plural(checked));
    if cards.is_empty() {
        return format!(
            "**Verdict:** no interview red flags in {files}: nothing here stands in the way of an interview on the \
             topics this code touches."
        );
    }
    // Topics by the lowest level at which they show harm (warnings), and the hint-only ones.
    let mut harm: BTreeMap<Level, Vec<String>> = BTreeMap::new();
    let mut hint_only: Vec<String> = Vec::new();
    let mut topics: BTreeMap<String, (Option<Level>, Level)> = BTreeMap::new();
    for (found, card) in cards {
        let level = card.map_or(Level::Senior, |c| c.level);
        let entry = topics.entry(topic(*card)).or_insert((None, level));
        entry.1 = entry.1.min(level);
        if found.warnings > 0 {
            entry.0 = Some(entry.0.map_or(level, |l: Level| l.min(level)));
        }
    }
    for (name, (harm_level, _)) in &topics {
        match harm_level {
            Some(level) => harm.entry(*level).or_default().push(name.clone()),
            None => hint_only.push(name.clone()),
        }
    }
    let mut by_level: BTreeMap<Level, usize> = BTreeMap::new();
    for (_, low) in topics.values() {
        *by_level.entry(*low).or_default() += 1;
    }
    let spread: Vec<String> = by_level.iter().map(|(level, n)| format!("{n} {level}")).collect();
    let n = topics.len();
    let summary = format!("{n} interview topic{} in {files} ({})", plural(n), spread.join(", "));
    let list = |names: &[String]| names.iter().map(|t| inert_line(t).into_owned()).collect::<Vec<_>>().join(", ");
    let head = match harm.iter().next() {
        Some((Level::Junior, names)) => format!(
            "not yet ready for a junior-level interview on these topics: the code shows the harm on junior-level \
             topics ({})",
            list(names)
        ),
        Some((Level::Mid, names)) => format!(
            "ready for a junior-level interview on these topics; before a mid-level one, work on {} (the code \
             shows the harm there)",
            list(names)
        ),
        Some((Level::Senior, names)) => format!(
            "ready for a mid-level interview on these topics; before a senior-level one, work on {} (the code \
             shows the harm there)",
            list(names)
        ),
        None => "ready for a senior-level interview on these topics: no finding shows harm in this code, the hints \
                 are shapes worth talking through"
            .to_string(),
    };
    let mut verdict = format!("**Verdict:** {head}. {summary}");
    if !hint_only.is_empty() && !harm.is_empty() {
        let _ = write!(verdict, "; hints only (no harm shown) on {}", list(&hint_only));
    }
    verdict.push('.');
    verdict
}

fn topic(card: Option<&Card>) -> String {
    card.map_or_else(|| "Other".to_string(), |c| inert_line(&c.topic).into_owned())
}

fn tier_summary(found: &CardFindings) -> String {
    match (found.warnings, found.hints) {
        (w, 0) => format!("{w} warning{}", plural(w)),
        (0, h) => format!("{h} hint{}", plural(h)),
        (w, h) => format!("{w} warning{}, {h} hint{}", plural(w), plural(h)),
    }
}

/// The first `n` sentences of Markdown prose: a sentence ends at `.`, `!` or `?` followed by a
/// space, outside code spans.
fn first_sentences(text: &str, n: usize) -> String {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let (mut in_code, mut count) = (false, 0);
    let bytes = text.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'`' => in_code = !in_code,
            b'.' | b'!' | b'?' if !in_code && bytes.get(i + 1).is_none_or(|&next| next == b' ') => {
                // `e.g.` and `i.e.` do not end a sentence.
                let before = &text[..=i];
                if before.ends_with("e.g.") || before.ends_with("i.e.") {
                    continue;
                }
                count += 1;
                if count == n {
                    return text[..=i].to_string();
                }
            }
            _ => {}
        }
    }
    text
}

/// A fenced block whose fence is longer than any run of backticks inside, so no excerpt can
/// close it; every line indented by `indent` (inside a list item).
fn fenced(out: &mut String, code: &str, indent: &str) {
    let fence = "`".repeat(longest_run(code, '`').max(2) + 1);
    let _ = writeln!(out, "{indent}{fence}python");
    for line in code.lines() {
        if line.is_empty() {
            out.push('\n');
        } else {
            let _ = writeln!(out, "{indent}{line}");
        }
    }
    let _ = writeln!(out, "{indent}{fence}");
}

/// Inline code that any text fits in: delimiters longer than its longest backtick run, padded
/// when it starts or ends with a backtick.
fn code_span(text: &str) -> String {
    let ticks = "`".repeat(longest_run(text, '`') + 1);
    let pad = if text.starts_with('`') || text.ends_with('`') { " " } else { "" };
    format!("{ticks}{pad}{text}{pad}{ticks}")
}

fn longest_run(text: &str, c: char) -> usize {
    let (mut best, mut run) = (0, 0);
    for ch in text.chars() {
        run = if ch == c { run + 1 } else { 0 };
        best = best.max(run);
    }
    best
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fences_and_spans_outlast_the_backticks_inside() {
        let mut out = String::new();
        fenced(&mut out, "x = '```'\ny = 1", "  ");
        assert_eq!(out, "  ````python\n  x = '```'\n  y = 1\n  ````\n");
        assert_eq!(code_span("a`b"), "``a`b``");
        assert_eq!(code_span("`x"), "`` `x ``");
        assert_eq!(code_span("plain.py:1"), "`plain.py:1`");
    }

    #[test]
    fn sentences_end_outside_code() {
        let text = "Calling `f.` is fine. It returns `x. y`. A third one.";
        assert_eq!(first_sentences(text, 2), "Calling `f.` is fine. It returns `x. y`.");
        assert_eq!(first_sentences("One, e.g. two. Three.", 1), "One, e.g. two.");
        assert_eq!(first_sentences("No end", 2), "No end");
    }
}
