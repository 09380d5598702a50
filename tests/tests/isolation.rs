//! No test touches the user's own files: every run of the binary (and every editor that starts its
//! language server) gets a scratch `INTERVIEW_LENS_DATA_DIR` and a scratch `HOME` that must stay
//! empty ([`Sandbox`]). These tests show that check can fail, and that no test bypasses it.

use std::path::{Path, PathBuf};

use interview_lens_tests::{Sandbox, workspace};

/// The control: a run that ignores `INTERVIEW_LENS_DATA_DIR` writes under the sandbox's HOME, where
/// the check sees it; with the variable, the store lands in the data folder and HOME stays empty.
#[test]
fn a_run_that_ignores_the_data_dir_is_caught() {
    let sandbox = Sandbox::new();
    let run = sandbox.command().args(["progress", "--format", "json"]).output().unwrap();
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    assert!(sandbox.data_dir().join("progress.sqlite3").exists());
    assert_eq!(sandbox.home_entries(), Vec::<PathBuf>::new());

    let stray = Sandbox::new();
    let run = stray.command().env_remove("INTERVIEW_LENS_DATA_DIR").args(["progress", "--format", "json"]).output();
    assert!(run.unwrap().status.success());
    let written = stray.home_entries();
    assert!(written.contains(&PathBuf::from(".local/share/interview-lens/progress.sqlite3")), "{written:?}");
    let caught = std::panic::catch_unwind(|| stray.assert_home_untouched());
    assert!(caught.is_err(), "the check did not fail on {written:?}");
    // Leave it empty, so dropping the sandbox passes.
    std::fs::remove_dir_all(stray.home()).unwrap();
    std::fs::create_dir(stray.home()).unwrap();
}

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
        .collect();
    files.sort();
    files
}

/// Every spawn of the binary goes through the sandbox: `Command::new(binary())` only inside
/// `Sandbox::command`, a pseudo-terminal command gets `Sandbox::vars`, and a test that hands the
/// binary to an editor makes a sandbox for it.
#[test]
fn every_test_starts_the_binary_in_a_sandbox() {
    let root = workspace().join("tests");
    let mut files = rust_files(&root.join("tests"));
    files.extend(rust_files(&root.join("src")));
    let mut bypasses = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        let name = file.strip_prefix(&root).unwrap().display().to_string();
        let lines: Vec<&str> = text.lines().collect();
        for (i, line) in lines.iter().enumerate() {
            let code = line.split("//").next().unwrap_or("");
            if !code.contains("binary()") || code.contains("fn binary()") {
                continue;
            }
            let ok = if code.contains("Command::new(") {
                name == "src/lib.rs" && lines[..i].iter().rev().take(3).any(|l| l.contains("pub fn command(&self)"))
            } else if code.contains("CommandBuilder::new(") {
                lines[i..lines.len().min(i + 5)].iter().any(|l| l.contains("sandbox.vars()"))
            } else {
                // The path handed to an editor or a packaging script: that test must sandbox the editor.
                text.contains("Sandbox::new()")
            };
            if !ok {
                bypasses.push(format!("{name}:{}: {}", i + 1, line.trim()));
            }
        }
        // A spawn through a qualified path to the binary (spelt in two halves so this line is no match).
        let qualified =
            [concat!("Command::new(interview_lens_tests", "::binary"), concat!("Command::new(crate", "::binary")];
        for (i, line) in lines.iter().enumerate() {
            if qualified.iter().any(|q| line.contains(q)) {
                bypasses.push(format!("{name}:{}: {}", i + 1, line.trim()));
            }
        }
    }
    assert!(bypasses.is_empty(), "these start the binary outside a Sandbox:\n{}", bypasses.join("\n"));

    // The editor scripts refuse to run without a data folder of their own.
    for script in ["neovim/e2e.lua", "neovim/enable.lua", "neovim/health.lua", "neovim/quiz.lua", "vscode/e2e.mjs"] {
        let text = std::fs::read_to_string(root.join("editors").join(script)).unwrap();
        assert!(text.contains("INTERVIEW_LENS_DATA_DIR"), "{script} does not check INTERVIEW_LENS_DATA_DIR");
    }
}
