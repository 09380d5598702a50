//! Exercises: a small Python file that contains a red flag, finished when the engine no longer
//! reports it. Writing and checking them is UI-free, so the command line and the language server
//! share it; recording them is the practice store's job.
//!
//! An exercise file starts with a header of `#` comments. Its first line names the card
//! (`# interview-lens exercise: <card-id>`), so `practice check` knows the topic without a
//! database; a `# self-test: python3` line says the file checks itself by running cleanly (every
//! card example is run by the bank tests, so the flagged code runs before it is fixed, except
//! where the flaw is the crash itself, which the fix removes).

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::analysis::{AnalysisOptions, Finding, analyze_on_large_stack};
use crate::cards::{Bank, Card, Kind, Level};

/// The header line that names an exercise's card.
pub const MARKER: &str = "# interview-lens exercise: ";
/// The header line that turns on the self-test (run the file with `python3`, expect exit 0).
pub const SELF_TEST: &str = "# self-test: python3";
/// A self-test that runs longer than this fails: exercises are small, and a loop that never ends
/// must not hang `practice check`.
const SELF_TEST_LIMIT: Duration = Duration::from_secs(20);

/// Which card an exercise is written for.
#[derive(Clone, Debug)]
pub enum Choice<'a> {
    Topic(&'a str),
    /// The first red-flag card at exactly this level that is not in `taken`, else the first.
    Level(Level),
    /// The first red-flag card not in `taken`, else the first.
    Any,
}

#[derive(Debug, PartialEq, Eq)]
pub enum ChooseError {
    NoCard(String, Option<String>),
    NotCodeTied(String, Kind),
    NothingAtLevel(Level),
}

impl std::fmt::Display for ChooseError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ChooseError::NoCard(id, hint) => {
                write!(f, "no card `{id}`.")?;
                if let Some(hint) = hint {
                    write!(f, " Did you mean `{hint}`?")?;
                }
                f.write_str(" `interview-lens cards` lists them all")
            }
            ChooseError::NotCodeTied(id, kind) => write!(
                f,
                "`{id}` is a {} card: no rule reports it, so there is no red flag to fix; \
                 practise it with `interview-lens quiz --topic {id}`",
                kind.as_str()
            ),
            ChooseError::NothingAtLevel(level) => write!(f, "no red-flag card at level {level}"),
        }
    }
}

/// Picks the card. `taken` lists card ids that already have an exercise, so repeated
/// `practice new --level mid` walks through the level instead of repeating one topic.
pub fn choose<'b>(bank: &'b Bank, choice: &Choice<'_>, taken: &[String]) -> Result<&'b Card, ChooseError> {
    let red_flags = || bank.iter().filter(|c| c.kind == Kind::RedFlag && c.example.flagged.is_some());
    let pick = |cards: Vec<&'b Card>| {
        cards.iter().copied().find(|c| !taken.iter().any(|t| t == &c.id)).or_else(|| cards.first().copied())
    };
    match choice {
        Choice::Topic(id) => {
            let card = bank
                .get(id)
                .ok_or_else(|| ChooseError::NoCard(id.to_string(), bank.suggest(id).map(str::to_string)))?;
            if card.kind != Kind::RedFlag || card.example.flagged.is_none() {
                return Err(ChooseError::NotCodeTied(card.id.clone(), card.kind));
            }
            Ok(card)
        }
        Choice::Level(level) => {
            pick(red_flags().filter(|c| c.level == *level).collect()).ok_or(ChooseError::NothingAtLevel(*level))
        }
        Choice::Any => pick(red_flags().collect()).ok_or(ChooseError::NothingAtLevel(Level::Senior)),
    }
}

/// The exercise text for a card: the header (question, task, how to check) and the card's
/// flagged example.
pub fn render(card: &Card) -> String {
    let code = card.example.flagged.as_deref().unwrap_or_default();
    let question = one_line(&card.question);
    let mut out = String::new();
    out.push_str(&format!("{MARKER}{}\n", card.id));
    out.push_str(&format!("# {} ({}, {})\n", one_line(&card.title), card.level, one_line(&card.topic)));
    out.push_str(&format!("# Interview question: {question}\n"));
    out.push_str("#\n# Task: rewrite the code below the way a strong candidate would, so that this red flag is\n");
    out.push_str("# gone and the file still runs. Check your work with:\n");
    out.push_str("#     interview-lens practice check THIS_FILE\n");
    out.push_str(&format!("# Stuck? `interview-lens explain {}` shows the whole card.\n", card.id));
    out.push_str(&format!("{SELF_TEST}  (the file must still run without an error)\n\n"));
    out.push_str(code);
    if !code.ends_with('\n') {
        out.push('\n');
    }
    out
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Writes the exercise into `dir` as `<card-id>.py`, or `<card-id>-2.py` and so on when that
/// exists: an earlier attempt is never overwritten. Returns the path.
pub fn write(card: &Card, dir: &Path) -> std::io::Result<PathBuf> {
    std::fs::create_dir_all(dir)?;
    let text = render(card);
    for n in 1..10_000 {
        let name = if n == 1 { format!("{}.py", card.id) } else { format!("{}-{n}.py", card.id) };
        let path = dir.join(name);
        match std::fs::OpenOptions::new().write(true).create_new(true).open(&path) {
            Ok(mut file) => {
                file.write_all(text.as_bytes())?;
                return Ok(path);
            }
            Err(err) if err.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(err) => return Err(err),
        }
    }
    Err(std::io::Error::other(format!("too many exercises for {} in {}", card.id, dir.display())))
}

/// The card id an exercise file names in its header, if it has one.
pub fn card_of(text: &str) -> Option<&str> {
    header(text).find_map(|line| line.strip_prefix(MARKER)).map(str::trim).filter(|id| !id.is_empty())
}

/// The leading comment lines.
fn header(text: &str) -> impl Iterator<Item = &str> {
    text.lines().take_while(|l| l.starts_with('#'))
}

fn has_self_test(text: &str) -> bool {
    header(text).any(|line| line.starts_with(SELF_TEST))
}

/// The outcome of the self-test.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SelfTest {
    /// The file has no `# self-test:` line.
    None,
    Passed,
    /// The last line of its error output (or why it could not run).
    Failed(String),
}

/// What `practice check` found.
#[derive(Debug)]
pub struct Check {
    pub card_id: String,
    /// The topic's findings still in the file.
    pub remaining: Vec<Finding>,
    /// Findings of other rules (reported, but they do not block).
    pub others: Vec<Finding>,
    /// Syntax errors: a file that does not parse is not done.
    pub syntax_errors: Vec<String>,
    pub self_test: SelfTest,
}

impl Check {
    pub fn done(&self) -> bool {
        self.remaining.is_empty()
            && self.syntax_errors.is_empty()
            && matches!(self.self_test, SelfTest::None | SelfTest::Passed)
    }
}

/// Checks an exercise's text for `card_id`'s findings. The self-test runs only when the rest
/// passed (it executes the file, which is pointless while the red flag is still there).
pub fn check(path: &Path, text: &str, card_id: &str) -> Check {
    let analysis = analyze_on_large_stack(text, &AnalysisOptions { editor_data: false, ..AnalysisOptions::default() });
    let (remaining, others) = analysis.findings.into_iter().partition(|f| f.rule.id() == card_id);
    let syntax_errors = analysis.syntax_errors.into_iter().map(|e| e.message).collect();
    let mut check = Check { card_id: card_id.to_string(), remaining, others, syntax_errors, self_test: SelfTest::None };
    if check.remaining.is_empty() && check.syntax_errors.is_empty() && has_self_test(text) {
        check.self_test = run_self_test(path);
    }
    check
}

fn run_self_test(path: &Path) -> SelfTest {
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let child = Command::new("python3")
        .arg("-X")
        .arg("utf8")
        .arg(path.file_name().map_or(path.as_os_str(), |n| n))
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn();
    let mut child = match child {
        Ok(child) => child,
        Err(err) => return SelfTest::Failed(format!("cannot run python3 for the self-test: {err}")),
    };
    let started = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if started.elapsed() > SELF_TEST_LIMIT => {
                let _ = child.kill();
                let _ = child.wait();
                return SelfTest::Failed(format!("did not finish in {} s", SELF_TEST_LIMIT.as_secs()));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(10)),
            Err(err) => return SelfTest::Failed(format!("waiting for python3: {err}")),
        }
    };
    if status.success() {
        return SelfTest::Passed;
    }
    let mut stderr = String::new();
    if let Some(mut pipe) = child.stderr.take() {
        use std::io::Read as _;
        let _ = pipe.read_to_string(&mut stderr);
    }
    let last = stderr.lines().rev().find(|l| !l.trim().is_empty()).unwrap_or("").trim().to_string();
    SelfTest::Failed(if last.is_empty() { format!("python3 exited with {status}") } else { last })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn choosing_skips_taken_topics_and_refuses_cards_without_code() {
        let bank = Bank::builtin();
        let first = choose(&bank, &Choice::Level(Level::Junior), &[]).unwrap();
        assert_eq!((first.level, first.kind), (Level::Junior, Kind::RedFlag));
        let second = choose(&bank, &Choice::Level(Level::Junior), std::slice::from_ref(&first.id)).unwrap();
        assert_ne!(first.id, second.id);
        assert_eq!(choose(&bank, &Choice::Topic("range-len-loop"), &[]).unwrap().id, "range-len-loop");
        let err = choose(&bank, &Choice::Topic("cap-theorem"), &[]).unwrap_err();
        assert_eq!(err, ChooseError::NotCodeTied("cap-theorem".into(), Kind::Practice));
        assert!(err.to_string().contains("quiz --topic cap-theorem"), "{err}");
        let err = choose(&bank, &Choice::Topic("range-len-lop"), &[]).unwrap_err();
        assert!(err.to_string().contains("Did you mean `range-len-loop`"), "{err}");
    }

    #[test]
    fn an_exercise_names_its_card_and_holds_the_flagged_code() {
        let bank = Bank::builtin();
        let card = bank.get("mutable-default-argument").unwrap();
        let text = render(card);
        assert_eq!(card_of(&text), Some("mutable-default-argument"));
        assert!(has_self_test(&text));
        assert!(text.ends_with(card.example.flagged.as_deref().unwrap()));
        // The marker counts only in the leading comments, not in code further down.
        assert_eq!(card_of(&format!("x = 1\n{MARKER}range-len-loop\n")), None);
    }

    #[test]
    fn the_topic_findings_decide_and_a_file_that_does_not_parse_is_not_done() {
        let path = Path::new("exercise.py");
        let open = check(path, "def f(x, acc=[]):\n    acc.append(x)\n    return acc\n", "mutable-default-argument");
        assert_eq!(open.remaining.len(), 1);
        assert!(!open.done());
        assert_eq!(open.self_test, SelfTest::None, "the self-test waits until the red flag is gone");
        let broken = check(path, "def f(x, acc=None:\n", "mutable-default-argument");
        assert!(broken.remaining.is_empty() && !broken.syntax_errors.is_empty() && !broken.done());
        // Another rule's finding does not block the exercise.
        let other = check(path, "for i in range(len(xs)):\n    print(xs[i])\n", "mutable-default-argument");
        assert!(other.done() && !other.others.is_empty());
    }
}
