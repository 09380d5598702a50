//! Files on disk: `--fix` keeps links, modes, owners and hard links and refuses what the user may
//! not write; a file named twice is one file; FIFOs and devices never hang or exhaust anything.
//! All through the real binary.

#![cfg(unix)]

use std::ffi::CString;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

use interview_lens_tests::{Run, Sandbox, project, run_in};
use serde_json::Value;

/// A safe fix (a bare `except:` that re-raises names `BaseException`), so plain `--fix` writes the file.
const FIXABLE: &str = "try:\n    import foo\nexcept:\n    raise\n";
const FIXED: &str = "try:\n    import foo\nexcept BaseException:\n    raise\n";

fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions.
    unsafe { libc::geteuid() == 0 }
}

fn mkfifo(path: &Path) {
    let c = CString::new(path.to_str().unwrap()).unwrap();
    // SAFETY: a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0, "mkfifo {}", path.display());
}

/// Runs the binary and fails the test (instead of hanging it) if it takes longer than 30 s.
fn run_bounded(dir: &Path, args: &[&str]) -> Run {
    let sandbox = Sandbox::new();
    let mut child = sandbox
        .command()
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("running interview-lens");
    let start = Instant::now();
    while child.try_wait().expect("waiting").is_none() {
        if start.elapsed() > Duration::from_secs(30) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("interview-lens {args:?} hung (killed after 30 s)");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().expect("output").into()
}

fn json(run: &Run) -> Vec<Value> {
    serde_json::from_str::<Value>(&run.stdout)
        .unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{}\nstderr: {}", run.stdout, run.stderr))
        .as_array()
        .expect("a JSON array")
        .clone()
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap()
}

#[test]
fn fix_through_a_symlink_fixes_the_target_and_keeps_the_link() {
    let dir = project(&[("real/app.py", FIXABLE)]);
    std::os::unix::fs::symlink("real/app.py", dir.path().join("link.py")).unwrap();
    let run = run_in(dir.path(), &["check", "--fix", "link.py"]);
    assert!(run.stdout.contains("Fixed 1 finding"), "{}{}", run.stdout, run.stderr);
    let link = std::fs::symlink_metadata(dir.path().join("link.py")).unwrap();
    assert!(link.file_type().is_symlink(), "the link was replaced by a file");
    assert_eq!(std::fs::read_link(dir.path().join("link.py")).unwrap(), Path::new("real/app.py"));
    assert_eq!(read(&dir.path().join("real/app.py")), FIXED);
}

#[test]
fn a_read_only_file_is_refused_with_a_failing_exit_even_with_exit_zero() {
    let dir = project(&[("app.py", FIXABLE)]);
    let file = dir.path().join("app.py");
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o444)).unwrap();
    let run = run_in(dir.path(), &["check", "--fix", "--exit-zero", "app.py"]);
    assert_eq!(run.code, 2, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stderr.contains("error: app.py: not fixed: the file is read-only (mode 0444)"),
        "as root too, a file without write bits is refused: {}",
        run.stderr
    );
    assert_eq!(read(&file), FIXABLE, "the file was changed");
    assert_eq!(std::fs::metadata(&file).unwrap().mode() & 0o7777, 0o444);
    // The same command fixes it once it is writable: the refusal above was not "nothing to fix".
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
    let run = run_in(dir.path(), &["check", "--fix", "--exit-zero", "app.py"]);
    assert_eq!((run.code, read(&file).as_str()), (0, FIXED), "{}{}", run.stdout, run.stderr);
}

#[test]
fn a_file_the_user_may_not_write_is_refused() {
    if !is_root() {
        // Without root there is no second user to run as; the read-only test covers access(2).
        eprintln!("skipped: needs root to run the binary as another user");
        return;
    }
    let dir = project(&[("app.py", FIXABLE)]);
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o777)).unwrap();
    let file = dir.path().join("app.py");
    // Owned by root, writable by root only; run as `nobody` (65534) in a folder anyone may write,
    // so the old temp-and-rename would have succeeded and handed the file to `nobody`.
    let sandbox = Sandbox::new();
    let output = sandbox
        .command()
        .args(["check", "--fix", "--exit-zero", "app.py"])
        .current_dir(dir.path())
        .uid(65534)
        .gid(65534)
        .output()
        .expect("running interview-lens as nobody");
    let run: Run = output.into();
    assert_eq!(run.code, 2, "{}{}", run.stdout, run.stderr);
    assert!(run.stderr.contains("not fixed: you cannot write this file"), "{}", run.stderr);
    assert_eq!(read(&file), FIXABLE);
    let meta = std::fs::metadata(&file).unwrap();
    assert_eq!((meta.uid(), meta.gid(), meta.mode() & 0o7777), (0, 0, 0o644));
}

#[test]
fn fix_keeps_mode_owner_and_group() {
    let dir = project(&[("app.py", FIXABLE)]);
    let file = dir.path().join("app.py");
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o640)).unwrap();
    let owner = if is_root() {
        // Root fixing another user's file must leave it that user's.
        std::os::unix::fs::chown(&file, Some(65534), Some(65534)).unwrap();
        (65534, 65534)
    } else {
        let meta = std::fs::metadata(&file).unwrap();
        (meta.uid(), meta.gid())
    };
    let run = run_in(dir.path(), &["check", "--fix", "app.py"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert_eq!(read(&file), FIXED);
    let meta = std::fs::metadata(&file).unwrap();
    assert_eq!((meta.uid(), meta.gid()), owner);
    assert_eq!(meta.mode() & 0o7777, 0o640);
}

#[test]
fn fix_keeps_hard_links() {
    let dir = project(&[("src/app.py", FIXABLE)]);
    std::fs::create_dir(dir.path().join("elsewhere")).unwrap();
    std::fs::hard_link(dir.path().join("src/app.py"), dir.path().join("elsewhere/same.py")).unwrap();
    let run = run_in(dir.path(), &["check", "--fix", "src"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let (a, b) = (dir.path().join("src/app.py"), dir.path().join("elsewhere/same.py"));
    assert_eq!((read(&a), read(&b)), (FIXED.to_string(), FIXED.to_string()), "both names see the fix");
    let (ma, mb) = (std::fs::metadata(&a).unwrap(), std::fs::metadata(&b).unwrap());
    assert_eq!((ma.ino(), ma.nlink()), (mb.ino(), 2), "still one file with two names");
}

#[test]
fn a_file_named_twice_is_checked_and_fixed_once() {
    let dir = project(&[("a.py", FIXABLE)]);
    std::os::unix::fs::symlink("a.py", dir.path().join("alias.py")).unwrap();
    let items = json(&run_in(dir.path(), &["check", "--format", "json", "a.py", "./a.py", "alias.py", "."]));
    assert_eq!(items.len(), 1, "{items:?}");
    let run = run_in(dir.path(), &["check", "--fix", "a.py", "./a.py", "alias.py"]);
    assert!(run.stdout.contains("Fixed 1 finding.") && run.stdout.contains("in 1 file"), "{}", run.stdout);
    assert_eq!(read(&dir.path().join("a.py")), FIXED);
}

#[test]
fn fifos_and_devices_among_sources_are_skipped_with_a_warning() {
    let dir = project(&[("ok.py", FIXABLE)]);
    mkfifo(&dir.path().join("pipe.py"));
    std::os::unix::fs::symlink("/dev/zero", dir.path().join("zero.py")).unwrap();
    let run = run_bounded(dir.path(), &["check", "--format", "json", ".", "pipe.py", "zero.py"]);
    assert_eq!(run.code, 1, "the findings of ok.py decide: {}", run.stderr);
    assert_eq!(json(&run).len(), 1);
    assert!(run.stderr.contains("warning: ./pipe.py: not a regular file (a FIFO); skipped"), "{}", run.stderr);
    assert!(run.stderr.contains("warning: pipe.py: not a regular file (a FIFO); skipped"), "{}", run.stderr);
    assert!(
        run.stderr.contains("warning: zero.py: not a regular file (a character device); skipped"),
        "{}",
        run.stderr
    );
}

const CARD: &str = "+++\nid = \"team-style\"\ntitle = \"Team style\"\nlevel = \"junior\"\nkind = \"practice\"\ntopic = \"Team\"\nquestion = \"Q?\"\nreferences = []\n+++\n## Strong answer\nA.\n## Red flag\nB.\n## How it is scored\nC.\n## Follow-ups\n- D?\n- E?\n## Example\n```python\nx = 1\n```\n";

#[test]
fn hostile_card_folders_named_by_a_pyproject_never_hang_check_cards_or_explain() {
    let dir = project(&[
        ("pyproject.toml", "[tool.interview-lens]\ncards = [\"cards\"]\n"),
        ("cards/team-style.md", CARD),
        ("app.py", FIXABLE),
    ]);
    mkfifo(&dir.path().join("cards/pipe.md"));
    std::os::unix::fs::symlink("/dev/zero", dir.path().join("cards/zero.md")).unwrap();
    std::fs::write(dir.path().join("cards/huge.md"), vec![b'#'; 2 << 20]).unwrap();
    for args in [&["check", "app.py"][..], &["cards"], &["explain", "team-style"]] {
        let run = run_bounded(dir.path(), args);
        assert!(run.code == 0 || run.code == 1, "{args:?}: {}{}", run.stdout, run.stderr);
        for expected in [
            "cards/pipe.md: not a regular file (a FIFO); skipped",
            "cards/zero.md: not a regular file (a character device); skipped",
            "cards/huge.md: 2 MiB is over the 1 MiB limit; skipped",
        ] {
            assert!(run.stderr.contains(expected), "{args:?}: `{expected}` missing from:\n{}", run.stderr);
        }
    }
}

#[test]
fn explain_and_cards_use_the_pyproject_card_folders_as_check_does() {
    let dir =
        project(&[("pyproject.toml", "[tool.interview-lens]\ncards = [\"cards\"]\n"), ("cards/team-style.md", CARD)]);
    let run = run_in(dir.path(), &["cards"]);
    assert!(run.stdout.contains("team-style"), "{}{}", run.stdout, run.stderr);
    let run = run_in(dir.path(), &["explain", "team-style"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("Team style (team-style)"), "{}", run.stdout);
}

#[test]
fn a_user_card_with_a_built_in_id_wins_and_both_files_are_named() {
    let card = CARD
        .replace("id = \"team-style\"", "id = \"bare-except\"")
        .replace("title = \"Team style\"", "title = \"Our bare except\"")
        .replace("kind = \"practice\"", "kind = \"red-flag\"")
        .replace(
            "```python\nx = 1\n```",
            "### Flagged\n```python\ntry:\n    pass\nexcept:\n    pass\n```\n### Better\n```python\nx = 1\n```",
        );
    let dir = project(&[("cards/bare-except.md", &card)]);
    let run = run_in(dir.path(), &["explain", "bare-except", "--cards", "cards"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.starts_with("Our bare except (bare-except)"), "the user's card wins: {}", run.stdout);
    assert!(
        run.stderr.contains("warning: card cards/bare-except.md:2: card `bare-except` replaces the one in built-in questions/bare-except.md"),
        "{}",
        run.stderr
    );
}

#[test]
fn an_unknown_rule_in_select_is_dropped_and_the_default_runs() {
    let dir =
        project(&[("pyproject.toml", "[tool.interview-lens]\nselect = [\"no-such-rule\"]\n"), ("app.py", FIXABLE)]);
    let run = run_in(dir.path(), &["check", "--format", "json"]);
    assert!(run.stderr.contains("`select` names unknown rule `no-such-rule`, dropped"), "{}", run.stderr);
    assert!(run.stderr.contains("so the default applies: every rule"), "{}", run.stderr);
    assert_eq!(run.code, 1, "the default rules run: {}", run.stdout);
    assert_eq!(json(&run)[0]["rule"], "bare-except");

    let dir = project(&[
        ("pyproject.toml", "[tool.interview-lens]\nselect = [\"no-such-rule\", \"mutable-default-argument\"]\n"),
        ("app.py", FIXABLE),
    ]);
    let run = run_in(dir.path(), &["check"]);
    assert_eq!(run.code, 0, "only mutable-default-argument is selected: {}", run.stdout);
}

#[test]
fn a_malformed_card_header_says_what_is_wrong() {
    let dir = project(&[("cards/team-style.md", &CARD.replace("topic = \"Team\"", "topic ="))]);
    let run = run_in(dir.path(), &["cards", "--cards", "cards"]);
    let line = run.stderr.lines().find(|l| l.contains("team-style.md")).unwrap_or_else(|| panic!("{}", run.stderr));
    assert!(line.starts_with("warning: card cards/team-style.md:6: TOML header: "), "{line}");
    assert!(line.len() > "warning: card cards/team-style.md:6: TOML header: ".len() + 5, "no message: {line}");
}

/// ESC, BEL, NUL and an OSC 52 (clipboard) sequence in card text, source and file names.
#[test]
fn terminal_output_is_inert_and_json_stays_exact() {
    let osc52 = "\u{1b}]52;c;ZXZpbA==\u{7}";
    let card = CARD.replace("title = \"Team style\"", "title = \"Team \\u001b[2J style\"");
    let card = card.replace("question = \"Q?\"", "question = \"Q\\u0007?\"").replace("A.\n", &format!("A {osc52}.\n"));
    let evil_name = "evil\u{1b}[2J.py";
    let source = format!("def f(x):\n    return x is \"{osc52}\"\ny = 1 \u{1b}[2J\u{0}\n");
    let dir = project(&[("cards/team-style.md", &card), (evil_name, &source)]);
    let runs = [
        run_in(dir.path(), &["check", "--cards", "cards", "."]),
        run_in(dir.path(), &["cards", "--cards", "cards"]),
        run_in(dir.path(), &["explain", "team-style", "--cards", "cards"]),
        run_in(dir.path(), &["explain", "team-style", "--markdown", "--cards", "cards"]),
        run_in(dir.path(), &["check", "--cards", "nonexistent\u{1b}[31m", "."]),
    ];
    for run in &runs {
        for text in [&run.stdout, &run.stderr] {
            let active: Vec<char> = text.chars().filter(|c| c.is_control() && *c != '\n' && *c != '\t').collect();
            assert!(active.is_empty(), "raw control characters {active:?} reached the terminal:\n{text}");
        }
    }
    assert!(runs[0].stdout.contains("evil\\x1b[2J.py:2:12: is-vs-eq-literal"), "{}", runs[0].stdout);
    assert!(runs[0].stdout.contains("\\x1b]52;c;ZXZpbA==\\x07"), "{}", runs[0].stdout);
    assert!(runs[0].stdout.contains("syntax-error"), "{}", runs[0].stdout);
    assert!(runs[1].stdout.contains("Team \\x1b[2J style"), "{}", runs[1].stdout);
    assert!(runs[2].stdout.contains("Q\\x07?") && runs[2].stdout.contains("A \\x1b]52"), "{}", runs[2].stdout);
    assert!(runs[4].stderr.contains("nonexistent\\x1b[31m"), "{}", runs[4].stderr);

    // JSON keeps the exact values (escaped as JSON).
    let items = json(&run_in(dir.path(), &["check", "--format", "json", "."]));
    assert!(items.iter().any(|i| i["path"] == format!("./{evil_name}")), "{items:?}");
    assert!(items.iter().any(|i| i["message"].as_str().unwrap().contains(osc52)), "{items:?}");
}

#[test]
fn a_source_over_the_size_limit_is_skipped_with_a_warning() {
    let dir = project(&[("ok.py", FIXABLE)]);
    // Sparse: 64 MiB and one byte, written instantly; refused from its size, before it is read.
    let huge = std::fs::File::create(dir.path().join("generated.py")).unwrap();
    huge.set_len((64 << 20) + 1).unwrap();
    let run = run_bounded(dir.path(), &["check", "--format", "json", "."]);
    assert_eq!(run.code, 1, "ok.py is still checked: {}", run.stderr);
    assert_eq!(json(&run).len(), 1);
    assert!(
        run.stderr.contains("warning: ./generated.py: 67108865 bytes is over the 64 MiB limit; skipped"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_folder_whose_ignore_file_is_a_fifo_or_device_is_not_walked_and_nothing_hangs() {
    let dir = project(&[("ok.py", FIXABLE), ("pipe/a.py", FIXABLE), ("zero/b.py", FIXABLE), ("fine/c.py", FIXABLE)]);
    mkfifo(&dir.path().join("pipe/.gitignore"));
    std::os::unix::fs::symlink("/dev/zero", dir.path().join("zero/.ignore")).unwrap();
    let run = run_bounded(dir.path(), &["check", "--format", "json", "."]);
    let items = json(&run);
    let paths: Vec<&str> = items.iter().map(|i| i["path"].as_str().unwrap()).collect();
    assert_eq!(paths, ["./fine/c.py", "./ok.py"], "{}", run.stderr);
    assert!(
        run.stderr.contains("warning: ./pipe: not walked: ./pipe/.gitignore is not a regular file (a FIFO)"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("./zero/.ignore is not a regular file (a character device)"), "{}", run.stderr);
}
