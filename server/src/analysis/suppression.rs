//! `# interview-lens: ignore[rule-id, ...]` comments (a bare `ignore` silences every rule on the line),
//! and the comments users already wrote for their other tools: `# noqa` (bare, or naming the Ruff
//! code of an equivalent rule) and `# pylint: disable=<message>` / `disable-next=<message>` (by
//! symbolic name or code). Each silences the line it is on (the next line for `disable-next`); a
//! Pylint `disable` on a line of its own is not extended to the rest of the block as Pylint does.

use std::sync::LazyLock;

use memchr::memmem::Finder;
use ruff_source_file::LineIndex;
use ruff_text_size::{TextRange, TextSize};

use super::finding::Finding;
use super::rule::{Rule, RuleSet};
use super::source::Source;

const MARKER: &str = "interview-lens:";

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Suppression {
    /// The whole comment.
    pub comment: TextRange,
    /// Start of the line the comment is on.
    pub line_start: TextSize,
    /// Rule ids named in the brackets, each with its range; empty means every rule.
    pub rules: Vec<(String, TextRange)>,
    /// Where the closing `]` is (or where `[...]` would go), for "extend this comment" edits.
    pub insert_at: TextSize,
    pub has_brackets: bool,
}

/// Our own comments and the other tools' comments, in one pass over the comment tokens.
pub fn parse(source: &Source) -> (Vec<Suppression>, Vec<ForeignSuppression>) {
    let mut own = Vec::new();
    let mut foreign = Vec::new();
    if !may_suppress(source.text()) {
        return (own, foreign);
    }
    for range in source.comments() {
        if let Some(suppression) = parse_comment(source, range) {
            own.push(suppression);
        } else if let Some(suppression) = parse_foreign_comment(source, range) {
            foreign.push(suppression);
        }
    }
    (own, foreign)
}

/// A `# noqa` or `# pylint:` comment that silences some of our rules on one line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ForeignSuppression {
    /// Start of the line it silences.
    pub line_start: TextSize,
    pub rules: RuleSet,
}

fn parse_foreign_comment(source: &Source, range: TextRange) -> Option<ForeignSuppression> {
    let (rules, next_line) = foreign_rules(source.slice(&range))?;
    let line_start = if next_line { source.full_line_end(range.end()) } else { source.line_start(range.start()) };
    Some(ForeignSuppression { line_start, rules })
}

/// Searchers built once: every comment of every file is searched.
static MARKER_FINDER: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new(MARKER));
static PYLINT_FINDER: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new("pylint:"));

/// Whether `text` has any of the words a suppression comment needs. Most files have none, and one
/// scan of the whole text is cheaper than searching each of its comments.
fn may_suppress(text: &str) -> bool {
    let bytes = text.as_bytes();
    // `q` is rare in code and prose, so it is the byte to look for; `noqa` in any case around it.
    let noqa = || {
        memchr::memchr2_iter(b'q', b'Q', bytes).any(|i| {
            i.checked_sub(2).and_then(|start| bytes.get(start..i + 2)).is_some_and(|w| w.eq_ignore_ascii_case(b"noqa"))
        })
    };
    MARKER_FINDER.find(bytes).is_some() || PYLINT_FINDER.find(bytes).is_some() || noqa()
}

/// Byte offset of `noqa` in any ASCII case.
fn find_noqa(comment: &str) -> Option<usize> {
    let bytes = comment.as_bytes();
    memchr::memchr2_iter(b'n', b'N', bytes)
        .find(|&i| bytes.get(i + 1..i + 4).is_some_and(|rest| rest.eq_ignore_ascii_case(b"oqa")))
}

/// The rules a `noqa` / `pylint:` comment names, and whether it is about the next line.
fn foreign_rules(comment: &str) -> Option<(RuleSet, bool)> {
    if let Some(at) = find_noqa(comment) {
        // `# noqa`, `# noqa: B006, E722`, `# NOQA:B006` (as Ruff reads them; `# noqa` inside
        // prose such as `# see noqa docs` does not count: it must open a comment segment).
        let before = comment[..at].trim_end();
        if before.ends_with('#') {
            let rest = &comment[at + 4..];
            return match rest.trim_start().strip_prefix(':') {
                Some(codes) => {
                    let mut set = RuleSet::empty();
                    for code in codes.split([',', ' ', '\t']).map(str::trim).filter(|c| !c.is_empty()) {
                        if !code.chars().all(|c| c.is_ascii_alphanumeric()) {
                            break;
                        }
                        for rule in
                            Rule::ALL.iter().filter(|r| r.ruff_codes().iter().any(|rc| rc.eq_ignore_ascii_case(code)))
                        {
                            set.insert(*rule);
                        }
                    }
                    Some((set, false))
                }
                None if rest.is_empty() || rest.starts_with([' ', '\t', '#']) => Some((RuleSet::all(), false)),
                None => None,
            };
        }
    }
    // Pylint reads its directives case-sensitively.
    let at = PYLINT_FINDER.find(comment.as_bytes())?;
    let directive = comment[at + "pylint:".len()..].trim_start();
    let (names, next_line) = if let Some(names) = directive.strip_prefix("disable-next") {
        (names, true)
    } else {
        (directive.strip_prefix("disable")?, false)
    };
    let names = names.trim_start().strip_prefix('=')?;
    let mut set = RuleSet::empty();
    for name in names.split(',').map(str::trim) {
        let name = name.split_whitespace().next().unwrap_or_default();
        if name == "all" {
            return Some((RuleSet::all(), next_line));
        }
        for rule in Rule::ALL.iter().filter(|r| r.pylint_messages().iter().any(|m| m.eq_ignore_ascii_case(name))) {
            set.insert(*rule);
        }
    }
    Some((set, next_line))
}

fn parse_comment(source: &Source, range: TextRange) -> Option<Suppression> {
    let text = source.slice(&range);
    let marker_at = MARKER_FINDER.find(text.as_bytes())?;
    let after_marker = marker_at + MARKER.len();
    let rest = &text[after_marker..];
    let trimmed = rest.trim_start();
    let ignore_at = after_marker + (rest.len() - trimmed.len());
    let after_ignore = trimmed.strip_prefix("ignore")?;
    let base = range.start() + TextSize::try_from(ignore_at + "ignore".len()).ok()?;
    let line_start = source.line_start(range.start());
    match after_ignore.strip_prefix('[') {
        Some(list) => {
            let close = list.find(']')?;
            let mut rules = Vec::new();
            let mut offset = 1; // past '['
            for part in list[..close].split(',') {
                let id = part.trim();
                if !id.is_empty() {
                    let lead = part.len() - part.trim_start().len();
                    let start = base + TextSize::try_from(offset + lead).ok()?;
                    rules.push((id.to_string(), TextRange::at(start, TextSize::try_from(id.len()).ok()?)));
                }
                offset += part.len() + 1;
            }
            let insert_at = base + TextSize::try_from(1 + close).ok()?;
            Some(Suppression { comment: range, line_start, rules, insert_at, has_brackets: true })
        }
        // A bare `ignore` (followed by whitespace, another comment or nothing) silences the line.
        None if after_ignore.is_empty() || after_ignore.starts_with([' ', '\t', '#']) => {
            Some(Suppression { comment: range, line_start, rules: Vec::new(), insert_at: base, has_brackets: false })
        }
        None => None,
    }
}

/// Drops the findings a suppression comment silences (on the line the finding starts on).
/// Removes the findings a comment silences and returns them (reports list what was silenced).
pub fn retain_unsuppressed(
    findings: &mut Vec<Finding>,
    own: &[Suppression],
    foreign: &[ForeignSuppression],
    text: &str,
) -> Vec<Finding> {
    if findings.is_empty() || (own.is_empty() && foreign.is_empty()) {
        return Vec::new();
    }
    let lines = LineIndex::from_source_text(text);
    let end = TextSize::try_from(text.len()).unwrap_or_default();
    let silenced = |finding: &Finding| {
        let line_start = lines.line_start(lines.line_index(finding.range.start().min(end)), text);
        let by_own = own.iter().any(|s| {
            s.line_start == line_start && (s.rules.is_empty() || s.rules.iter().any(|(id, _)| id == finding.rule.id()))
        });
        let by_foreign = foreign.iter().any(|s| s.line_start == line_start && s.rules.contains(finding.rule));
        by_own || by_foreign
    };
    let (suppressed, kept) = std::mem::take(findings).into_iter().partition(silenced);
    *findings = kept;
    suppressed
}

#[cfg(test)]
mod tests {
    use crate::analysis::{AnalysisOptions, analyze};

    fn rules_found(src: &str) -> Vec<&'static str> {
        analyze(src, &AnalysisOptions::default()).findings.iter().map(|f| f.rule.id()).collect()
    }

    #[test]
    fn own_comments() {
        assert!(
            rules_found("def f(a=[]):  # interview-lens: ignore[mutable-default-argument]\n    a.append(1)\n")
                .is_empty()
        );
        assert!(rules_found("x = y is 1  # interview-lens: ignore\n").is_empty());
        assert_eq!(rules_found("x = y is 1  # interview-lens: ignore[bare-except]\n"), ["is-vs-eq-literal"]);
    }

    #[test]
    fn the_whole_text_prefilter_finds_every_marker() {
        use super::may_suppress;
        for text in ["#noqa", "x  # NoQa: B006\n", "# NOQA", "# pylint: disable=x", "# interview-lens: ignore"] {
            assert!(may_suppress(text), "{text:?}");
        }
        for text in ["", "q", "qa", "x = 1  # no qa here\n", "request = queue.get()  # PyLint\n", "# interview-lens"] {
            assert!(!may_suppress(text), "{text:?}");
        }
    }

    #[test]
    fn noqa_with_the_equivalent_ruff_code_or_bare() {
        assert!(rules_found("def f(a=[]):  # noqa: B006\n    a.append(1)\n").is_empty());
        assert!(rules_found("def f(a=[]):  # NOQA:b006,E501\n    a.append(1)\n").is_empty());
        assert!(rules_found("x = y is 1  # noqa\n").is_empty());
        assert!(rules_found("x = y is 1  # type: ignore # noqa\n").is_empty());
        // Another code, or `noqa` in prose, silences nothing of ours.
        assert_eq!(rules_found("x = y is 1  # noqa: E501\n"), ["is-vs-eq-literal"]);
        assert_eq!(rules_found("x = y is 1  # we do not use noqa here\n"), ["is-vs-eq-literal"]);
        assert_eq!(rules_found("x = y is 1  # noqa-like\n"), ["is-vs-eq-literal"]);
    }

    #[test]
    fn pylint_disable_by_name_or_code() {
        assert!(rules_found("def f(a=[]):  # pylint: disable=dangerous-default-value\n    a.append(1)\n").is_empty());
        assert!(rules_found("x = y is 1  # pylint: disable=invalid-name, R0123\n").is_empty());
        assert!(rules_found("x = y is 1  # pylint: disable=all\n").is_empty());
        assert!(rules_found("# pylint: disable-next=literal-comparison\nx = y is 1\n").is_empty());
        assert_eq!(rules_found("x = y is 1  # pylint: disable=invalid-name\n"), ["is-vs-eq-literal"]);
        // Only the named line.
        assert_eq!(rules_found("# pylint: disable=literal-comparison\nx = y is 1\n"), ["is-vs-eq-literal"]);
    }
}
