//! `check --format markdown` (the mentor's review) and `--format sarif`, through the real binary.

use std::path::{Path, PathBuf};

use interview_lens_tests::{project, run_in};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("workspace root").to_path_buf()
}

/// The review of the committed example project, compared with `tests/golden/review.md`. A rule's
/// message or a card's text changing changes it: regenerate with
/// `INTERVIEW_LENS_BLESS=1 cargo test -p interview-lens-tests --test cli_review` and read the diff.
#[test]
fn markdown_review_of_the_example_project_matches_the_golden_file() {
    let run = run_in(&workspace(), &["check", "--format", "markdown", "--exit-zero", "examples/review"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let golden = workspace().join("tests/golden/review.md");
    if std::env::var_os("INTERVIEW_LENS_BLESS").is_some() {
        std::fs::write(&golden, &run.stdout).expect("writing the golden file");
    }
    let expected = std::fs::read_to_string(&golden).expect("tests/golden/review.md");
    assert!(
        run.stdout == expected,
        "the review differs from tests/golden/review.md (INTERVIEW_LENS_BLESS=1 regenerates it):\n{}",
        run.stdout
    );
    // What the golden file must show, so that blessing a broken review cannot pass unnoticed.
    let review = &run.stdout;
    assert!(review.starts_with("# Interview review\n\n**Verdict:** not yet ready for a junior-level interview"));
    for needle in [
        "## Most worth discussing\n\n1. **",
        "## Strengths",
        "- **Generator functions** — `examples/review/library.py:40`",
        "- **Context managers** — `examples/review/library.py:44`",
        "`functools.wraps` on the wrapper",
        "**@property** — `examples/review/library.py:26`",
        "### Pythonic idioms (junior)",
        "#### `range-len-loop` — 6 occurrences (6 hints)",
        "- Also at `examples/review/reports.py:44:5`",
        "**A strong answer covers:**",
        "**Talking points:**",
        "## Suppressed",
        "`examples/review/reports.py:26:5` `range-len-loop`",
    ] {
        assert!(review.contains(needle), "no {needle:?} in:\n{review}");
    }
    // The question once per card, however often the card occurs.
    assert_eq!(review.matches("**Question:** How would you rewrite `for i in range(len(names))").count(), 1);
    // Three excerpts for a card that occurs six times.
    assert_eq!(review.matches("  for i in range(len(").count(), 3, "{review}");
}

/// Every fence opened is closed by a fence of the same length, and nothing inside an excerpt
/// looks like a closing fence (an excerpt holding ``` gets a four-backtick fence).
#[test]
fn excerpts_never_break_their_fences() {
    let code =
        "def f(marker):\n    if marker is \"````\":\n        return 1\n    if marker is '```':\n        return 2\n";
    let dir = project(&[("fences.py", code)]);
    let run = run_in(dir.path(), &["check", "--format", "markdown", "--exit-zero", "."]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let mut open: Option<String> = None;
    let mut fences = 0;
    for line in run.stdout.lines() {
        let trimmed = line.trim_start();
        let ticks = trimmed.chars().take_while(|&c| c == '`').count();
        if ticks < 3 {
            continue;
        }
        match &open {
            None => {
                open = Some("`".repeat(ticks));
                fences += 1;
            }
            Some(fence) if trimmed == fence.as_str() => open = None,
            Some(fence) => assert!(ticks < fence.len(), "a line inside a {fence} fence could close it: {line:?}"),
        }
    }
    assert!(open.is_none(), "unclosed fence in:\n{}", run.stdout);
    assert_eq!(fences, 2, "{}", run.stdout);
    assert!(run.stdout.contains("  `````python\n  if marker is \"````\":\n  `````"), "{}", run.stdout);
}

#[test]
fn a_clean_project_gets_a_clean_verdict_and_its_strengths() {
    let code = "from dataclasses import dataclass\n\n\n@dataclass\nclass P:\n    x: int\n\n\ndef read(path):\n    with open(path) as f:\n        yield from f\n";
    let dir = project(&[("ok.py", code)]);
    let run = run_in(dir.path(), &["check", "--format", "markdown", "."]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("**Verdict:** no interview red flags in 1 file"), "{}", run.stdout);
    assert!(!run.stdout.contains("## Most worth discussing"), "{}", run.stdout);
    assert!(run.stdout.contains("- **Dataclasses** — `ok.py:4`"), "{}", run.stdout);
    assert!(run.stdout.contains("- **Context managers** — `ok.py:10`"), "{}", run.stdout);
}

#[test]
fn the_verdict_follows_tier_and_level_not_counts() {
    // Many hints, no warning: ready, with the hints to talk through.
    let hints = "def f(xs):\n    for i in range(len(xs)):\n        print(xs[i])\n".repeat(5);
    let dir = project(&[("hints.py", &hints)]);
    let run = run_in(dir.path(), &["check", "--format", "markdown", "--exit-zero", "."]);
    assert!(run.stdout.contains("**Verdict:** ready for a senior-level interview on these topics"), "{}", run.stdout);
    // One junior-level warning outweighs them.
    let dir = project(&[("hints.py", &hints), ("bug.py", "def g(a=[]):\n    a.append(1)\n    return a\n")]);
    let run = run_in(dir.path(), &["check", "--format", "markdown", "--exit-zero", "."]);
    assert!(
        run.stdout.contains("**Verdict:** not yet ready for a junior-level interview on these topics"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("1. **Mutability & copying** — `mutable-default-argument`"), "{}", run.stdout);
}

#[test]
fn the_text_report_shows_the_tier() {
    let code = "def f(xs, a=[]):\n    a.append(1)\n    for i in range(len(xs)):\n        print(xs[i])\n";
    let dir = project(&[("m.py", code)]);
    let run = run_in(dir.path(), &["check", "--exit-zero", "."]);
    assert!(run.stdout.contains("    Interview question (junior, warning): What is wrong"), "{}", run.stdout);
    assert!(run.stdout.contains("    Interview question (junior, hint): How would you rewrite"), "{}", run.stdout);
}
