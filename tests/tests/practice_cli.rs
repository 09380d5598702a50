//! `practice new` -> findings -> fix -> `practice check` done, through the real binary, with the
//! exercise recorded in a scratch practice store.

use std::path::Path;
use std::process::Stdio;

use interview_lens_tests::{Run, Sandbox};

fn run(data: &Path, dir: &Path, args: &[&str]) -> Run {
    Sandbox::new()
        .command()
        .args(args)
        .current_dir(dir)
        .env("INTERVIEW_LENS_DATA_DIR", data)
        .stdin(Stdio::null())
        .output()
        .expect("running interview-lens")
        .into()
}

fn exercises(data: &Path, dir: &Path) -> serde_json::Value {
    let progress = run(data, dir, &["progress", "--format", "json"]);
    assert_eq!(progress.code, 0, "{}", progress.stderr);
    let json: serde_json::Value = serde_json::from_str(&progress.stdout).expect("progress JSON");
    let exercises = &json["exercises"];
    serde_json::json!({"done": exercises["done"], "open": exercises["open"]})
}

#[test]
fn new_exercise_is_open_until_the_fix_removes_its_red_flag() {
    let data = tempfile::tempdir().unwrap();
    let work = tempfile::tempdir().unwrap();
    let (data, work) = (data.path(), work.path());

    let new = run(data, work, &["practice", "new", "--topic", "mutable-default-argument", "--dir", "ex"]);
    assert_eq!(new.code, 0, "{}", new.stderr);
    let path = new.stdout.trim();
    assert_eq!(path, "ex/mutable-default-argument.py");
    let text = std::fs::read_to_string(work.join(path)).unwrap();
    assert!(text.starts_with("# interview-lens exercise: mutable-default-argument\n"), "{text}");
    assert_eq!(exercises(data, work), serde_json::json!({"done": 0, "open": 1}));

    // The exercise contains the red flag: `check` reports it, `practice check` is not done.
    let check = run(data, work, &["check", path]);
    assert_eq!(check.code, 1);
    assert!(check.stdout.contains("mutable-default-argument"), "{}", check.stdout);
    let open = run(data, work, &["practice", "check", path]);
    assert_eq!(open.code, 1, "{}", open.stdout);
    assert!(open.stdout.contains("Not done yet: 1 finding of `mutable-default-argument` left"), "{}", open.stdout);

    // A half-done edit that no longer parses is not done either.
    std::fs::write(work.join(path), text.replace("tags=[]", "tags=None:")).unwrap();
    let broken = run(data, work, &["practice", "check", path]);
    assert_eq!(broken.code, 1, "{}", broken.stdout);
    assert!(broken.stdout.contains("the file does not parse"), "{}", broken.stdout);

    // The quick fix (the None sentinel) clears it; without a FILE, the latest open exercise is checked.
    std::fs::write(work.join(path), &text).unwrap();
    let fix = run(data, work, &["check", "--fix", "--unsafe-fixes", "--exit-zero", path]);
    assert_eq!(fix.code, 0, "{}", fix.stderr);
    assert!(std::fs::read_to_string(work.join(path)).unwrap().contains("if tags is None:"));
    let done = run(data, work, &["practice", "check"]);
    assert_eq!(done.code, 0, "{}\n{}", done.stdout, done.stderr);
    assert!(done.stdout.contains("Done: Mutable default argument"), "{}", done.stdout);
    assert!(done.stdout.contains("its self-test passes"), "{}", done.stdout);
    assert!(done.stdout.contains("Recorded as done."), "{}", done.stdout);
    assert_eq!(exercises(data, work), serde_json::json!({"done": 1, "open": 0}));

    // A second `new` for the topic never overwrites the first attempt.
    let again = run(data, work, &["practice", "new", "--topic", "mutable-default-argument", "--dir", "ex"]);
    assert_eq!(again.stdout.trim(), "ex/mutable-default-argument-2.py");
}

#[test]
fn a_self_test_that_fails_keeps_the_exercise_open() {
    let data = tempfile::tempdir().unwrap();
    let work = tempfile::tempdir().unwrap();
    let (data, work) = (data.path(), work.path());
    let new = run(data, work, &["practice", "new", "--topic", "range-len-loop"]);
    assert_eq!(new.code, 0, "{}", new.stderr);
    let path = new.stdout.trim().to_string();
    // The red flag is gone, but the rewrite raises: not done.
    let header: String = std::fs::read_to_string(work.join(&path))
        .unwrap()
        .lines()
        .take_while(|l| l.starts_with('#'))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(work.join(&path), format!("{header}\nraise SystemExit('wrong answer')\n")).unwrap();
    let failed = run(data, work, &["practice", "check", &path]);
    assert_eq!(failed.code, 1, "{}", failed.stdout);
    assert!(failed.stdout.contains("its self-test failed (wrong answer)"), "{}", failed.stdout);
    assert_eq!(exercises(data, work), serde_json::json!({"done": 0, "open": 1}));
}

#[test]
fn level_walks_through_topics_and_practice_cards_are_refused() {
    let data = tempfile::tempdir().unwrap();
    let work = tempfile::tempdir().unwrap();
    let (data, work) = (data.path(), work.path());
    let first = run(data, work, &["practice", "new", "--level", "junior"]);
    let second = run(data, work, &["practice", "new", "--level", "junior"]);
    assert_eq!((first.code, second.code), (0, 0), "{}{}", first.stderr, second.stderr);
    assert_ne!(first.stdout, second.stdout, "the second exercise is another topic");

    let refused = run(data, work, &["practice", "new", "--topic", "cap-theorem"]);
    assert_eq!(refused.code, 2);
    assert!(refused.stderr.contains("quiz --topic cap-theorem"), "{}", refused.stderr);
    let not_exercise = run(data, work, &["practice", "check", "missing.py"]);
    assert_eq!(not_exercise.code, 2);
    std::fs::write(work.join("plain.py"), "x = 1\n").unwrap();
    let plain = run(data, work, &["practice", "check", "plain.py"]);
    assert_eq!(plain.code, 2);
    assert!(plain.stderr.contains("not an exercise"), "{}", plain.stderr);
}

#[test]
fn an_unusable_store_is_a_warning_not_a_failure() {
    let work = tempfile::tempdir().unwrap();
    // The data folder is a file, so the store cannot be created.
    let blocker = work.path().join("data");
    std::fs::write(&blocker, "").unwrap();
    let new = run(&blocker, work.path(), &["practice", "new", "--topic", "bare-except"]);
    assert_eq!(new.code, 0, "{}", new.stderr);
    assert!(new.stderr.contains("not recorded"), "{}", new.stderr);
    assert!(work.path().join(new.stdout.trim()).exists());
}
