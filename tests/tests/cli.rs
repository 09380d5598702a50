//! `interview-lens check | explain | cards`, driven through the real binary.

use interview_lens_tests::{cpython_parses, project, run_in};
use serde_json::Value;

const MUTABLE: &str = "def add(item, bucket=[]):\n    bucket.append(item)\n    return bucket\n";

fn json(run: &interview_lens_tests::Run) -> Vec<Value> {
    serde_json::from_str::<Value>(&run.stdout)
        .unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{}\nstderr: {}", run.stdout, run.stderr))
        .as_array()
        .expect("a JSON array")
        .clone()
}

#[test]
fn text_report_has_ruff_style_lines_questions_and_a_topic_summary() {
    let dir = project(&[("app.py", MUTABLE)]);
    let run = run_in(dir.path(), &["check", "."]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stdout.contains("app.py:1:22: mutable-default-argument `bucket=[]` is created once, when `def add` runs"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("    Interview question (junior, warning): "), "{}", run.stdout);
    assert!(
        run.stdout.contains("By interview topic:") && run.stdout.contains("Mutability & copying"),
        "{}",
        run.stdout
    );
}

#[test]
fn exit_zero_reports_findings_but_exits_zero() {
    let dir = project(&[("app.py", MUTABLE)]);
    let run = run_in(dir.path(), &["check", "--exit-zero", "."]);
    assert_eq!(run.code, 0);
    assert!(run.stdout.contains("mutable-default-argument"), "{}", run.stdout);
}

#[test]
fn clean_code_exits_zero() {
    let dir = project(&[("ok.py", "def f(x=None):\n    return x\n")]);
    let run = run_in(dir.path(), &["check"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("no interview red flags in 1 file"), "{}", run.stdout);
}

#[test]
fn json_format_is_documented_shape_with_character_columns_and_byte_ranges() {
    // An emoji and CJK text before the finding: columns count characters, byte ranges bytes.
    let code = "s = '😀漢字'; t = 1\ndef f(a='é', b=[]):\n    b.append(a)\n    return b\n";
    let dir = project(&[("m.py", code)]);
    let run = run_in(dir.path(), &["check", "--format", "json", "m.py"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let items = json(&run);
    assert_eq!(items.len(), 1, "{items:?}");
    let item = &items[0];
    assert_eq!(item["path"], "m.py");
    assert_eq!(item["rule"], "mutable-default-argument");
    assert_eq!(item["card"], "mutable-default-argument");
    assert_eq!(item["level"], "junior");
    assert_eq!(item["severity"], "warning");
    assert!(item["message"].as_str().unwrap().contains("`b=[]`"));
    assert_eq!(item["range"]["start"], serde_json::json!({"line": 2, "column": 16}));
    assert_eq!(item["range"]["end"], serde_json::json!({"line": 2, "column": 18}));
    let [start, end] =
        [item["byte_range"][0].as_u64().unwrap() as usize, item["byte_range"][1].as_u64().unwrap() as usize];
    assert_eq!(&code[start..end], "[]");
    let fix = &item["fix"];
    assert_eq!(fix["applicability"], "unsafe");
    assert!(fix["title"].as_str().unwrap().contains("None"));
    let edits = fix["edits"].as_array().unwrap();
    assert!(edits.iter().all(|e| e["byte_range"].as_array().unwrap().len() == 2 && e["content"].is_string()));
}

#[test]
fn json_on_clean_code_is_an_empty_array() {
    let dir = project(&[("ok.py", "x = 1\n")]);
    let run = run_in(dir.path(), &["check", "--format", "json"]);
    assert_eq!(run.code, 0);
    assert!(json(&run).is_empty());
}

#[test]
fn fix_applies_only_safe_fixes_unless_unsafe_is_asked() {
    let dir = project(&[("app.py", MUTABLE)]);
    // The None-sentinel fix is unsafe: plain --fix leaves the file alone.
    let run = run_in(dir.path(), &["check", "--fix", "app.py"]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert_eq!(std::fs::read_to_string(dir.path().join("app.py")).unwrap(), MUTABLE);

    let run = run_in(dir.path(), &["check", "--fix", "--unsafe-fixes", "app.py"]);
    let fixed = std::fs::read_to_string(dir.path().join("app.py")).unwrap();
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("Fixed 1 finding"), "{}", run.stdout);
    assert_eq!(
        fixed,
        "def add(item, bucket=None):\n    if bucket is None:\n        bucket = []\n    bucket.append(item)\n    return bucket\n"
    );
    cpython_parses(&fixed).unwrap();
}

#[test]
fn select_ignore_and_level_filter_findings() {
    let code = "from datetime import datetime\ndef f(a=[], ts=datetime.now()):\n    a.append(ts)\n";
    let dir = project(&[("m.py", code)]);
    let rules = |args: &[&str]| -> Vec<String> {
        let mut all = vec!["check", "--format", "json"];
        all.extend_from_slice(args);
        json(&run_in(dir.path(), &all)).iter().map(|i| i["rule"].as_str().unwrap().to_string()).collect()
    };
    assert_eq!(rules(&[]), ["mutable-default-argument", "call-in-default-argument"]);
    assert_eq!(rules(&["--select", "call-in-default-argument"]), ["call-in-default-argument"]);
    assert_eq!(rules(&["--ignore", "call-in-default-argument"]), ["mutable-default-argument"]);
    // Both cards are junior: a junior filter keeps them; nothing is above senior.
    assert_eq!(rules(&["--level", "junior"]).len(), 2);
    let run = run_in(dir.path(), &["check", "--select", "no-such-rule"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("unknown rule `no-such-rule`"), "{}", run.stderr);
}

#[test]
fn pyproject_settings_apply_and_bad_keys_warn_with_key_and_file() {
    let dir = project(&[
        (
            "pyproject.toml",
            "[tool.interview-lens]\nignore = [\"mutable-default-argument\"]\ncolour = \"red\"\nlevel = 3\n",
        ),
        ("pkg/m.py", MUTABLE),
    ]);
    let run = run_in(dir.path(), &["check", "pkg"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(run.stderr.contains("pyproject.toml [tool.interview-lens]: unknown key `colour`"), "{}", run.stderr);
    assert!(run.stderr.contains("`level` must be a string"), "{}", run.stderr);
    // Flags override the file.
    let run = run_in(dir.path(), &["check", "pkg", "--select", "mutable-default-argument"]);
    assert_eq!(run.code, 1);
}

#[test]
fn invalid_pyproject_is_reported_not_ignored() {
    let dir = project(&[("pyproject.toml", "[tool.interview-lens\nselect = [\n"), ("m.py", MUTABLE)]);
    let run = run_in(dir.path(), &["check"]);
    assert_eq!(run.code, 1, "defaults still apply");
    assert!(run.stderr.contains("pyproject.toml") && run.stderr.contains("invalid TOML"), "{}", run.stderr);
}

#[test]
fn suppression_comments_silence_named_rules_or_all() {
    let code = "def f(a=[]):  # interview-lens: ignore[mutable-default-argument]\n    a.append(1)\ndef g(a=[]):  # interview-lens: ignore\n    a.append(1)\ndef h(a=[]):  # interview-lens: ignore[bare-except]\n    a.append(1)\n";
    let dir = project(&[("m.py", code)]);
    let items = json(&run_in(dir.path(), &["check", "--format", "json"]));
    assert_eq!(items.len(), 1, "{items:?}");
    assert_eq!(items[0]["range"]["start"]["line"], 5);
}

#[test]
fn gitignored_files_are_skipped() {
    let dir = project(&[(".gitignore", "build/\n"), ("build/gen.py", MUTABLE), ("src/ok.py", "x = 1\n")]);
    let run = run_in(dir.path(), &["check", "."]);
    assert_eq!(run.code, 0, "{}", run.stdout);
}

#[test]
fn bad_files_get_one_line_each_and_the_rest_is_checked() {
    let dir = project(&[("good.py", MUTABLE), ("broken.py", "def f(a=[]):\n    a.append(1)\nx = (\n")]);
    std::fs::write(dir.path().join("latin1.py"), b"s = '\xe9t\xe9'\n").unwrap();
    let run = run_in(dir.path(), &["check", ".", "missing_dir"]);
    assert_eq!(run.code, 2, "I/O errors win: {}{}", run.stdout, run.stderr);
    assert!(run.stderr.contains("missing_dir"), "{}", run.stderr);
    assert!(run.stderr.contains("warning: ./latin1.py: not valid UTF-8"), "{}", run.stderr);
    assert!(run.stdout.contains("broken.py:") && run.stdout.contains("syntax-error"), "{}", run.stdout);
    // The intact part of the broken file and the good file are still checked.
    assert!(run.stdout.contains("broken.py:1:9: mutable-default-argument"), "{}", run.stdout);
    assert!(run.stdout.contains("good.py:1:22: mutable-default-argument"), "{}", run.stdout);
}

#[test]
fn a_non_utf8_file_is_a_warning_not_an_io_error() {
    let dir = project(&[("good.py", MUTABLE)]);
    std::fs::write(dir.path().join("latin1.py"), b"# -*- coding: latin-1 -*-\ns = '\xe9t\xe9'\n").unwrap();
    let run = run_in(dir.path(), &["check", "."]);
    assert_eq!(run.code, 1, "findings decide the exit code: {}", run.stderr);
    assert!(run.stderr.contains("latin1.py: not valid UTF-8"), "{}", run.stderr);
}

#[test]
fn deeply_nested_and_huge_files_do_not_crash() {
    let deep = format!("x = {}{}\ndef f(a=[]):\n    a.append(1)\n", "[".repeat(100_000), "]".repeat(100_000));
    let huge = MUTABLE.repeat(20_000);
    let dir = project(&[("deep.py", &deep), ("huge.py", &huge)]);
    let run = run_in(dir.path(), &["check", "--format", "json"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let items = json(&run);
    assert_eq!(items.iter().filter(|i| i["path"] == "./huge.py").count(), 20_000);
    assert!(items.iter().any(|i| i["path"] == "./deep.py"), "a finding after the deep expression is still found");
}

#[test]
fn fix_never_writes_code_that_does_not_parse() {
    // Half-typed code: the fix applies, but the file still has its original syntax error only.
    let code = "def f(a=[]):\n    a.append(1)\nprint(\n";
    let dir = project(&[("m.py", code)]);
    let run = run_in(dir.path(), &["check", "--fix", "--unsafe-fixes", "m.py"]);
    let after = std::fs::read_to_string(dir.path().join("m.py")).unwrap();
    assert!(after.contains("if a is None:"), "fixed despite an unrelated syntax error: {}", run.stdout);
    assert!(after.ends_with("print(\n"), "the user's half-typed line is kept");
}

#[test]
fn explain_prints_the_card_and_unknown_ids_suggest() {
    let dir = project(&[]);
    let run = run_in(dir.path(), &["explain", "mutable-default-argument"]);
    assert_eq!(run.code, 0);
    for heading in ["QUESTION", "STRONG ANSWER", "RED FLAG", "HOW IT IS SCORED", "FOLLOW-UPS", "FLAGGED", "BETTER"] {
        assert!(run.stdout.contains(heading), "{heading} missing:\n{}", run.stdout);
    }
    let run = run_in(dir.path(), &["explain", "mutable-default-arg"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("Did you mean `mutable-default-argument`?"), "{}", run.stderr);
}

#[test]
fn cards_lists_by_level_and_as_json() {
    let dir = project(&[]);
    let run = run_in(dir.path(), &["cards"]);
    assert_eq!(run.code, 0);
    assert!(run.stdout.lines().count() >= 31);
    let run = run_in(dir.path(), &["cards", "--level", "junior", "--format", "json"]);
    let items: Vec<Value> = serde_json::from_str(&run.stdout).unwrap();
    assert!(!items.is_empty());
    assert!(items.iter().all(|c| c["level"] == "junior"));
    assert!(items.iter().all(|c| c["id"].is_string() && c["kind"].is_string() && c["title"].is_string()));
}

#[test]
fn user_cards_load_and_malformed_ones_name_file_and_line() {
    let good = "+++\nid = \"team-style\"\ntitle = \"Team style\"\nlevel = \"junior\"\nkind = \"practice\"\ntopic = \"Team\"\nquestion = \"Q?\"\nreferences = []\n+++\n## Strong answer\nA.\n## Red flag\nB.\n## How it is scored\nC.\n## Follow-ups\n- D?\n- E?\n## Example\n```python\nx = 1\n```\n";
    let bad = good.replace("id = \"team-style\"", "id = \"broken\"").replace("level = \"junior\"", "level = \"guru\"");
    let dir = project(&[("cards/team-style.md", good), ("cards/broken.md", &bad)]);
    let run = run_in(dir.path(), &["cards", "--cards", "cards"]);
    assert_eq!(run.code, 0);
    assert!(run.stdout.contains("team-style"), "{}", run.stdout);
    assert!(run.stderr.contains("broken.md:4:") && run.stderr.contains("guru"), "{}", run.stderr);
}
