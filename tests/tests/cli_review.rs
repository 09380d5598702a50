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
        "- **Generator functions** — `examples/review/library.py:49`",
        "- **Comprehensions** — `examples/review/library.py:54`",
        "- **Context managers** — `examples/review/library.py:53`",
        "- **Context managers**: a lock taken with `with` is released on every way out of the block — \
         `examples/review/library.py:36`",
        "- **Decorators**: `functools.wraps` on the wrapper",
        "**@property** — `examples/review/library.py:27`",
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

fn sarif(run: &interview_lens_tests::Run) -> serde_json::Value {
    serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{}\nstderr: {}", run.stdout, run.stderr))
}

fn assert_valid_sarif(log: &serde_json::Value) {
    let schema_text = std::fs::read_to_string(workspace().join("tests/schemas/sarif-schema-2.1.0.json"))
        .expect("tests/schemas/sarif-schema-2.1.0.json");
    // The 2.1.0 schema's `run.language` pattern has a stray `]` that is not a valid ECMAScript
    // regex, so the validator refuses the schema; OASIS errata01 corrects it. We never write
    // `language`, so the correction changes nothing checked here (see tests/schemas/README.md).
    let schema_text =
        schema_text.replace(r#""^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$""#, r#""^[a-zA-Z]{2}(-[a-zA-Z]{2})?$""#);
    let schema: serde_json::Value = serde_json::from_str(&schema_text).expect("the schema is JSON");
    let validator = jsonschema::validator_for(&schema).expect("the SARIF schema compiles");
    let errors: Vec<String> = validator.iter_errors(log).map(|e| format!("{} at {}", e, e.instance_path())).collect();
    assert!(errors.is_empty(), "not valid SARIF 2.1.0:\n{}\n{log:#}", errors.join("\n"));
    // The check can fail: the same log with an invalid level, or a result without a message.
    if log.pointer("/runs/0/results/0").is_some() {
        let mut broken = log.clone();
        broken["runs"][0]["results"][0]["level"] = "severe".into();
        assert!(!validator.is_valid(&broken), "the schema accepted level `severe`");
        let mut broken = log.clone();
        broken["runs"][0]["results"][0].as_object_mut().unwrap().remove("message");
        assert!(!validator.is_valid(&broken), "the schema accepted a result without a message");
    }
}

#[test]
fn sarif_is_valid_against_the_official_schema_with_rules_results_and_fixes() {
    let run = run_in(&workspace(), &["check", "--format", "sarif", "--exit-zero", "examples/review"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let log = sarif(&run);
    assert_valid_sarif(&log);
    assert_eq!(log["version"], "2.1.0");
    let run0 = &log["runs"][0];
    let rules = run0["tool"]["driver"]["rules"].as_array().unwrap();
    let mutable = rules.iter().find(|r| r["id"] == "mutable-default-argument").expect("a rule per card");
    assert!(mutable["help"]["text"].as_str().unwrap().contains("Strong answer: "), "{mutable:#}");
    assert!(mutable["helpUri"].as_str().unwrap().starts_with("https://"), "{mutable:#}");
    let results = run0["results"].as_array().unwrap();
    let result = results.iter().find(|r| r["ruleId"] == "mutable-default-argument").unwrap();
    assert_eq!(result["level"], "warning");
    assert_eq!(rules[result["ruleIndex"].as_u64().unwrap() as usize]["id"], "mutable-default-argument");
    let location = &result["locations"][0]["physicalLocation"];
    assert_eq!(location["artifactLocation"]["uri"], "examples/review/library.py");
    assert_eq!(location["region"]["startLine"], 40);
    assert_eq!(location["region"]["startColumn"], 26);
    assert!(result["partialFingerprints"]["interviewLens/v1"].as_str().unwrap().len() == 16);
    let replacements = &result["fixes"][0]["artifactChanges"][0]["replacements"];
    assert!(replacements[0]["deletedRegion"]["byteOffset"].is_u64(), "{result:#}");
    // Hints are notes; the silenced finding is there, marked as suppressed in the source.
    let hint = results.iter().find(|r| r["ruleId"] == "range-len-loop").unwrap();
    assert_eq!(hint["level"], "note");
    let silenced: Vec<_> = results.iter().filter(|r| r["suppressions"].is_array()).collect();
    assert_eq!(silenced.len(), 1, "{silenced:?}");
    assert_eq!(silenced[0]["suppressions"][0]["kind"], "inSource");
}

#[test]
fn sarif_fingerprints_do_not_move_when_lines_are_added_above() {
    let code = "def add(item, bucket=[]):\n    bucket.append(item)\n    return bucket\n\n\ndef g(b=[]):\n    b.append(1)\n    return b\n";
    let dir = project(&[("app.py", code)]);
    let fingerprints = |dir: &Path| {
        let log = sarif(&run_in(dir, &["check", "--format", "sarif", "--exit-zero", "app.py"]));
        assert_valid_sarif(&log);
        log["runs"][0]["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                let line = r["locations"][0]["physicalLocation"]["region"]["startLine"].as_u64().unwrap();
                (line, r["partialFingerprints"]["interviewLens/v1"].as_str().unwrap().to_string())
            })
            .collect::<Vec<_>>()
    };
    let before = fingerprints(dir.path());
    assert_eq!(before.len(), 2, "{before:?}");
    assert_ne!(before[0].1, before[1].1);
    std::fs::write(dir.path().join("app.py"), format!("import os\n\n# a comment\n{code}")).unwrap();
    let after = fingerprints(dir.path());
    assert_eq!(after.iter().map(|(l, _)| *l).collect::<Vec<_>>(), [4, 9], "{after:?}");
    assert_eq!(before.iter().map(|(_, f)| f).collect::<Vec<_>>(), after.iter().map(|(_, f)| f).collect::<Vec<_>>());
}

const TWO_FINDINGS: &str = "def add(item, bucket=[]):\n    bucket.append(item)\n    return bucket\n\n\ndef is_admin(role):\n    return role is 'admin'\n";

#[test]
fn baseline_round_trip_lists_the_fixed_finding_as_resolved() {
    let dir = project(&[("app.py", TWO_FINDINGS)]);
    let first = run_in(dir.path(), &["check", "--format", "json", "--exit-zero", "."]);
    assert_eq!(first.code, 0, "{}", first.stderr);
    let baseline = dir.path().join("review-1.json");
    std::fs::write(&baseline, &first.stdout).unwrap();
    let items: serde_json::Value = serde_json::from_str(&first.stdout).unwrap();
    assert_eq!(items.as_array().unwrap().len(), 2, "{items:#}");
    assert!(items[0]["fingerprint"].as_str().is_some_and(|f| f.len() == 16), "{items:#}");

    // Fix the `is` comparison, push the other finding down, add a new one.
    let fixed = TWO_FINDINGS.replace("role is 'admin'", "role == 'admin'");
    let code = format!("import os\n\n\n{fixed}\n\ndef check(x):\n    return x is 'yes'\n");
    std::fs::write(dir.path().join("app.py"), code).unwrap();
    let baseline_arg = baseline.to_str().unwrap();

    let text = run_in(dir.path(), &["check", "--exit-zero", "--baseline", baseline_arg, "."]);
    assert_eq!(text.code, 0, "{}", text.stderr);
    assert!(text.stdout.contains("(junior, warning, still open)"), "{}", text.stdout);
    assert!(text.stdout.contains("(junior, warning, new)"), "{}", text.stdout);
    assert!(text.stdout.contains("Resolved since the baseline (1):\n  app.py:7: is-vs-eq-literal"), "{}", text.stdout);

    let review = run_in(dir.path(), &["check", "--format", "markdown", "--exit-zero", "--baseline", baseline_arg, "."]);
    let review = &review.stdout;
    assert!(
        review.contains("## Resolved since the last review\n\nWell done: 1 finding from the last review is gone."),
        "{review}"
    );
    assert!(review.contains("- `app.py:7` `is-vs-eq-literal`"), "{review}");
    assert!(review.contains("`mutable-default-argument` — 1 occurrence (1 warning; 0 new, 1 still open)"), "{review}");

    let json = run_in(dir.path(), &["check", "--format", "json", "--exit-zero", "--baseline", baseline_arg, "."]);
    let items: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    let states: Vec<(&str, &str)> = items
        .as_array()
        .unwrap()
        .iter()
        .map(|i| (i["rule"].as_str().unwrap(), i["baseline"].as_str().unwrap()))
        .collect();
    assert_eq!(states, [("mutable-default-argument", "still-open"), ("is-vs-eq-literal", "new")]);

    // The same file named by its absolute path is the same file.
    let absolute = dir.path().canonicalize().unwrap().join("app.py");
    let by_path = run_in(dir.path(), &["check", "--exit-zero", "--baseline", baseline_arg, absolute.to_str().unwrap()]);
    assert!(by_path.stdout.contains("(junior, warning, still open)"), "{}", by_path.stdout);

    let sarif_run = run_in(dir.path(), &["check", "--format", "sarif", "--exit-zero", "--baseline", baseline_arg, "."]);
    let log = sarif(&sarif_run);
    assert_valid_sarif(&log);
    let mut states: Vec<&str> =
        log["runs"][0]["results"].as_array().unwrap().iter().map(|r| r["baselineState"].as_str().unwrap()).collect();
    states.sort();
    assert_eq!(states, ["absent", "new", "unchanged"]);
}

#[test]
fn a_baseline_without_fingerprints_is_a_usage_error() {
    let dir = project(&[("app.py", TWO_FINDINGS), ("old.json", "[{\"path\": \"app.py\", \"rule\": \"bare-except\"}]")]);
    let run = run_in(dir.path(), &["check", "--baseline", "old.json", "."]);
    assert_eq!(run.code, 2, "{}{}", run.stdout, run.stderr);
    assert!(run.stderr.contains("no `fingerprint`"), "{}", run.stderr);
}

fn git(dir: &Path, args: &[&str]) {
    let status = std::process::Command::new("git")
        .args(["-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false"])
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .status()
        .expect("git is needed by the tests");
    assert!(status.success(), "git {args:?} failed");
}

fn commit_as(dir: &Path, name: &str, message: &str) {
    git(dir, &["add", "-A"]);
    let email = format!("user.email={}@example.com", name.to_lowercase());
    git(dir, &["-c", &format!("user.name={name}"), "-c", &email, "commit", "-q", "-m", message]);
}

#[test]
fn diff_reports_only_the_lines_changed_since_the_revision() {
    let dir = project(&[("app.py", TWO_FINDINGS)]);
    git(dir.path(), &["init", "-q"]);
    commit_as(dir.path(), "Alice", "first");
    // A finding on a new line, one on an edited line, none on unchanged lines; an untracked file.
    let code = TWO_FINDINGS.replace("return role is 'admin'", "return role is 'root'")
        + "\n\ndef later(x):\n    return x is 'later'\n";
    std::fs::write(dir.path().join("app.py"), code).unwrap();
    std::fs::write(dir.path().join("new.py"), "def n(a={}):\n    a['k'] = 1\n    return a\n").unwrap();

    let run = run_in(dir.path(), &["check", "--format", "json", "--exit-zero", "--diff", "HEAD", "."]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let items: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let found: Vec<(String, u64)> = items
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["path"].as_str().unwrap().trim_start_matches("./").to_string(),
                i["range"]["start"]["line"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(found, [("app.py".to_string(), 7), ("app.py".to_string(), 11), ("new.py".to_string(), 1)]);

    // Without --diff, the unchanged mutable default is reported too; nothing changed: nothing.
    let all = run_in(dir.path(), &["check", "--format", "json", "--exit-zero", "."]);
    assert_eq!(serde_json::from_str::<serde_json::Value>(&all.stdout).unwrap().as_array().unwrap().len(), 4);
    // Run from outside the repository, naming it: the repository of the path is asked.
    let name = dir.path().file_name().unwrap().to_str().unwrap();
    let outside =
        run_in(dir.path().parent().unwrap(), &["check", "--format", "json", "--exit-zero", "--diff", "HEAD", name]);
    assert_eq!(outside.code, 0, "{}", outside.stderr);
    assert_eq!(serde_json::from_str::<serde_json::Value>(&outside.stdout).unwrap().as_array().unwrap().len(), 3);
    commit_as(dir.path(), "Alice", "second");
    let none = run_in(dir.path(), &["check", "--diff", "HEAD", "."]);
    assert_eq!(none.code, 0, "{}{}", none.stdout, none.stderr);

    let bad = run_in(dir.path(), &["check", "--diff", "no-such-rev", "."]);
    assert_eq!(bad.code, 2);
    assert!(bad.stderr.contains("--diff no-such-rev: not a commit"), "{}", bad.stderr);
}

#[test]
fn diff_outside_a_git_repository_is_a_usage_error() {
    let dir = project(&[("app.py", TWO_FINDINGS)]);
    let sandbox = interview_lens_tests::Sandbox::new();
    let run = sandbox
        .command()
        .args(["check", "--diff", "HEAD", "."])
        .current_dir(dir.path())
        .env("GIT_CEILING_DIRECTORIES", dir.path().parent().unwrap())
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&run.stderr).contains("--diff HEAD: git rev-parse"));
}

#[test]
fn by_author_splits_the_review_by_git_blame() {
    let dir = project(&[("app.py", "def add(item, bucket=[]):\n    bucket.append(item)\n    return bucket\n")]);
    git(dir.path(), &["init", "-q"]);
    commit_as(dir.path(), "Alice", "first");
    let more = "def add(item, bucket=[]):\n    bucket.append(item)\n    return bucket\n\n\ndef is_admin(role):\n    return role is 'admin'\n\n\ndef lines(path):\n    with open(path) as f:\n        yield from f\n";
    std::fs::write(dir.path().join("app.py"), more).unwrap();
    commit_as(dir.path(), "Bob", "second");

    let run = run_in(dir.path(), &["check", "--format", "markdown", "--exit-zero", "--by-author", "."]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let review = &run.stdout;
    let alice = review.find("# Interview review: Alice").unwrap_or_else(|| panic!("{review}"));
    let bob = review.find("# Interview review: Bob").unwrap_or_else(|| panic!("{review}"));
    assert!(alice < bob, "{review}");
    let (alice_part, bob_part) = (&review[alice..bob], &review[bob..]);
    assert!(alice_part.contains("`mutable-default-argument`") && !alice_part.contains("is-vs-eq-literal"), "{review}");
    assert!(bob_part.contains("`is-vs-eq-literal`") && !bob_part.contains("mutable-default-argument"), "{review}");
    assert!(bob_part.contains("- **Context managers** — `app.py:11`"), "{review}");

    let json = run_in(dir.path(), &["check", "--format", "json", "--exit-zero", "--by-author", "."]);
    let items: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    let authors: Vec<&str> = items.as_array().unwrap().iter().map(|i| i["author"].as_str().unwrap()).collect();
    assert_eq!(authors, ["Alice", "Bob"]);
    let text = run_in(dir.path(), &["check", "--exit-zero", "--by-author", "."]);
    assert!(text.stdout.contains("(junior, warning, by Bob)"), "{}", text.stdout);
    assert!(
        text.stdout.contains("By author (git blame of the finding's first line):\n  Alice  1\n  Bob  1"),
        "{}",
        text.stdout
    );
}

#[test]
fn a_construct_on_a_flagged_line_is_not_praised() {
    let code = "def f(xs):\n    squares = [x * x for x in xs]\n    return squares, any([x > 0 for x in xs])\n";
    let dir = project(&[("c.py", code)]);
    let run = run_in(dir.path(), &["check", "--format", "markdown", "--exit-zero", "."]);
    assert!(run.stdout.contains("`list-comprehension-in-call`"), "{}", run.stdout);
    assert!(run.stdout.contains("- **Comprehensions** — `c.py:2`\n"), "{}", run.stdout);
    assert!(!run.stdout.contains("c.py:3`\n"), "{}", run.stdout);
}
