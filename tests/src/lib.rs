//! Shared helpers for the end-to-end tests: build and locate the real binary, run it, make
//! scratch projects, and ask CPython whether code parses.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::OnceLock;

/// The `interview-lens` binary, built once per test run (debug profile) so tests never run a
/// stale one.
pub fn binary() -> &'static Path {
    static BINARY: OnceLock<PathBuf> = OnceLock::new();
    BINARY.get_or_init(|| {
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("workspace root");
        let status = Command::new(cargo)
            .args(["build", "--quiet", "-p", "interview-lens", "--bin", "interview-lens"])
            .current_dir(workspace)
            .status()
            .expect("running cargo build");
        assert!(status.success(), "building interview-lens failed");
        let target = std::env::var("CARGO_TARGET_DIR").map_or_else(|_| workspace.join("target"), PathBuf::from);
        let path = target.join("debug").join("interview-lens");
        assert!(path.exists(), "no binary at {}", path.display());
        path
    })
}

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl From<Output> for Run {
    fn from(output: Output) -> Run {
        Run {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }
}

/// Runs the binary with `args` in `dir`, in a fresh [`Sandbox`].
pub fn run_in(dir: &Path, args: &[&str]) -> Run {
    let sandbox = Sandbox::new();
    let run =
        sandbox.command().args(args).current_dir(dir).stdin(Stdio::null()).output().expect("running interview-lens");
    sandbox.assert_home_untouched();
    run.into()
}

/// Where a run of the binary (or an editor that starts it) may keep files, so that no test reads or
/// writes the user's own: `INTERVIEW_LENS_DATA_DIR` is a scratch data folder (the practice store the
/// CLI and the language server write), and `HOME` and the XDG folders point into a scratch home
/// that must stay empty. A write there means some path ignored `INTERVIEW_LENS_DATA_DIR` and, outside
/// the tests, would have written to `~/.local/share`; [`Sandbox::assert_home_untouched`] (also run when
/// the sandbox is dropped) fails the test with what was written.
///
/// Every test starts the binary through [`Sandbox::command`], [`Sandbox::apply`], [`run_in`] or
/// [`lsp_client::LspClient`]; `tests/tests/isolation.rs` fails on a spawn that bypasses them.
pub struct Sandbox {
    root: tempfile::TempDir,
}

impl Default for Sandbox {
    fn default() -> Self {
        Self::new()
    }
}

impl Sandbox {
    pub fn new() -> Sandbox {
        let root = tempfile::tempdir().expect("temp dir");
        for dir in ["data", "home"] {
            std::fs::create_dir(root.path().join(dir)).expect("mkdir");
        }
        Sandbox { root }
    }

    /// `INTERVIEW_LENS_DATA_DIR` of the commands made here.
    pub fn data_dir(&self) -> PathBuf {
        self.root.path().join("data")
    }

    /// `HOME` of the commands made here; the XDG folders are inside it and not created.
    pub fn home(&self) -> PathBuf {
        self.root.path().join("home")
    }

    /// The variables to set on a process that starts the binary (also an editor, whose language
    /// server inherits them).
    pub fn vars(&self) -> Vec<(&'static str, PathBuf)> {
        let home = self.home();
        vec![
            ("INTERVIEW_LENS_DATA_DIR", self.data_dir()),
            ("XDG_DATA_HOME", home.join(".local/share")),
            ("XDG_CONFIG_HOME", home.join(".config")),
            ("XDG_STATE_HOME", home.join(".local/state")),
            ("XDG_CACHE_HOME", home.join(".cache")),
            ("HOME", home),
        ]
    }

    /// Sets [`Sandbox::vars`] on `command`; a later `.env` may still override one.
    pub fn apply<'c>(&self, command: &'c mut Command) -> &'c mut Command {
        command.envs(self.vars())
    }

    /// The binary, with [`Sandbox::vars`] set.
    pub fn command(&self) -> Command {
        let mut command = Command::new(binary());
        self.apply(&mut command);
        command
    }

    /// Everything under [`Sandbox::home`], relative to it.
    pub fn home_entries(&self) -> Vec<PathBuf> {
        fn walk(dir: &Path, base: &Path, out: &mut Vec<PathBuf>) {
            let Ok(entries) = std::fs::read_dir(dir) else { return };
            for entry in entries.flatten() {
                let path = entry.path();
                out.push(path.strip_prefix(base).unwrap_or(&path).to_path_buf());
                if entry.file_type().is_ok_and(|t| t.is_dir()) {
                    walk(&path, base, out);
                }
            }
        }
        let mut out = Vec::new();
        walk(&self.home(), &self.home(), &mut out);
        out.sort();
        out
    }

    /// Fails when anything was written under [`Sandbox::home`].
    pub fn assert_home_untouched(&self) {
        let written = self.home_entries();
        assert!(
            written.is_empty(),
            "a test run wrote to its HOME instead of INTERVIEW_LENS_DATA_DIR (outside the tests this would be \
             the user's own folder): {written:?}"
        );
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        // Not while unwinding: a second panic would abort and hide the first.
        if !std::thread::panicking() {
            self.assert_home_untouched();
        }
    }
}

/// A scratch folder with the given files.
pub fn project(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for (name, text) in files {
        let path = dir.path().join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("mkdir");
        }
        std::fs::write(path, text).expect("write");
    }
    dir
}

/// `Ok(())` when CPython's `ast` parses `code`; the error text otherwise. Panics if no python3.
pub fn cpython_parses(code: &str) -> Result<(), String> {
    let mut child = Command::new("python3")
        .args(["-c", "import ast, sys; ast.parse(sys.stdin.buffer.read())"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("python3 is needed by the tests");
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().expect("stdin");
        stdin.write_all(code.as_bytes()).expect("write to python3");
    }
    let output = child.wait_with_output().expect("python3");
    if output.status.success() { Ok(()) } else { Err(String::from_utf8_lossy(&output.stderr).into_owned()) }
}

pub mod lsp_client;

/// The workspace root.
pub fn workspace() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("workspace root")
}

/// An editor the end-to-end tests drive: from `$var`, else `target/editors/<default>`. `None` means
/// skip, which `tests/run.sh` (and so CI) forbids by setting `INTERVIEW_LENS_REQUIRE_EDITORS=1`.
pub fn editor_tool(var: &str, default: &str) -> Option<PathBuf> {
    let path =
        std::env::var_os(var).map(PathBuf::from).unwrap_or_else(|| workspace().join("target/editors").join(default));
    if path.exists() {
        return Some(path);
    }
    assert!(
        std::env::var("INTERVIEW_LENS_REQUIRE_EDITORS").as_deref() != Ok("1"),
        "{} is required but missing: run tests/setup-editors.sh",
        path.display()
    );
    eprintln!("skipped: {} not found (tests/setup-editors.sh installs it)", path.display());
    None
}
