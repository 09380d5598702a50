//! The Neovim plugin in real Neovim 0.11 (headless): diagnostics, hover, quick fix, ignore comment,
//! in both position encodings with non-ASCII text; the `vim.lsp.enable` path with the bundled config;
//! and `:checkhealth interview-lens`.

use std::process::Command;

use interview_lens_tests::{Sandbox, binary, editor_tool, workspace};

/// Neovim running `script`; the language server it starts inherits the sandbox's
/// `INTERVIEW_LENS_DATA_DIR` and `HOME` (which must stay empty). Neovim's own XDG folders are scratch
/// folders outside that home, checked by [`assert_no_store_outside`].
fn nvim_command(nvim: &std::path::Path, script: &str, sandbox: &Sandbox) -> (Command, std::path::PathBuf) {
    let mut command = Command::new("timeout");
    command
        .args(["120", nvim.to_str().unwrap(), "--headless", "--clean", "-l"])
        .arg(workspace().join("tests/editors/neovim").join(script));
    sandbox.apply(&mut command);
    let scratch = tempfile::tempdir().unwrap().keep();
    for var in ["XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"] {
        let dir = scratch.join(var);
        std::fs::create_dir_all(&dir).unwrap();
        command.env(var, dir);
    }
    command.env("INTERVIEW_LENS_BIN", binary()).env("IL_PLUGIN", workspace().join("editors/neovim"));
    command.env("IL_FILE", scratch.join("sample.py")).env("IL_OUT", scratch.join("health.txt"));
    (command, scratch)
}

/// The server wrote no practice store into Neovim's XDG folders (where it would go without
/// `INTERVIEW_LENS_DATA_DIR`).
fn assert_no_store_outside(scratch: &std::path::Path) {
    let stray = scratch.join("XDG_DATA_HOME/interview-lens");
    assert!(!stray.exists(), "the server wrote its store to {} instead of INTERVIEW_LENS_DATA_DIR", stray.display());
}

#[test]
fn neovim_diagnostics_hover_fix_and_ignore_in_both_encodings() {
    let Some(nvim) = editor_tool("INTERVIEW_LENS_NVIM", "nvim-venv/bin/nvim") else { return };
    for encoding in ["utf-8", "utf-16"] {
        let sandbox = Sandbox::new();
        let (mut command, scratch) = nvim_command(&nvim, "e2e.lua", &sandbox);
        let output = command.env("IL_ENCODING", encoding).output().expect("running nvim");
        assert_no_store_outside(&scratch);
        let stdout = String::from_utf8_lossy(&output.stdout);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(output.status.success(), "{encoding}: exit {:?}\n{stdout}\n{stderr}", output.status.code());
        assert!(stdout.contains(&format!("ok [{encoding}]")), "{stdout}\n{stderr}");
    }
}

/// `vim.lsp.enable("interview_lens")` with the bundled config and no `setup()` call: quiet start-up
/// (settings are an object, not `[]`), findings, and settings changes.
#[test]
fn neovim_vim_lsp_enable_with_the_bundled_config() {
    let Some(nvim) = editor_tool("INTERVIEW_LENS_NVIM", "nvim-venv/bin/nvim") else { return };
    let sandbox = Sandbox::new();
    let (mut command, scratch) = nvim_command(&nvim, "enable.lua", &sandbox);
    let output = command.output().expect("running nvim");
    assert_no_store_outside(&scratch);
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "exit {:?}\n{stdout}\n{stderr}", output.status.code());
    assert!(stdout.contains("ok [enable]"), "{stdout}\n{stderr}");
}

#[test]
fn neovim_checkhealth_finds_and_starts_the_server() {
    let Some(nvim) = editor_tool("INTERVIEW_LENS_NVIM", "nvim-venv/bin/nvim") else { return };
    let sandbox = Sandbox::new();
    let (mut command, scratch) = nvim_command(&nvim, "health.lua", &sandbox);
    let out = tempfile::NamedTempFile::new().unwrap();
    command.env("IL_OUT", out.path());
    let output = command.output().expect("running nvim");
    assert_no_store_outside(&scratch);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let report = std::fs::read_to_string(out.path()).unwrap();
    for expected in [
        "OK binary:",
        "OK version: interview-lens",
        "OK the server starts and answers `initialize`",
        "OK it shuts down cleanly",
    ] {
        assert!(report.contains(expected), "{expected} missing:\n{report}");
    }
    assert!(!report.contains("ERROR"), "{report}");
}

/// The practice flow: the code lens above a function with findings opens the quiz float, which
/// reveals, grades (with its own keys) and undoes through the server; reviews land in the store.
#[test]
fn neovim_code_lens_opens_the_quiz_float() {
    let Some(nvim) = editor_tool("INTERVIEW_LENS_NVIM", "nvim-venv/bin/nvim") else { return };
    let sandbox = Sandbox::new();
    let (mut command, scratch) = nvim_command(&nvim, "quiz.lua", &sandbox);
    let output = command.output().expect("running nvim");
    assert_no_store_outside(&scratch);
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "exit {:?}\n{stdout}\n{stderr}", output.status.code());
    assert!(stdout.contains("ok [quiz]"), "{stdout}\n{stderr}");
    // The same sandbox: the reviews the float made are in its data folder.
    let progress =
        interview_lens_tests::Run::from(sandbox.command().args(["progress", "--format", "json"]).output().unwrap());
    let json: serde_json::Value = serde_json::from_str(&progress.stdout).expect("progress JSON");
    assert_eq!(json["reviews"], 2, "the undone grade is not counted: {json}");
}
