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

/// Runs the binary with `args` in `dir`.
pub fn run_in(dir: &Path, args: &[&str]) -> Run {
    Command::new(binary())
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .output()
        .expect("running interview-lens")
        .into()
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
