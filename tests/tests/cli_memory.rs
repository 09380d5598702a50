//! Memory follows the largest file, not the corpus: `check` streams its report (peak RSS measured
//! with wait4 on the real binary).

#![cfg(target_os = "linux")]

use std::path::Path;
use std::process::Stdio;

use interview_lens_tests::Sandbox;

/// Many findings per byte, so that holding results (the old behaviour) shows at once.
const CHUNK: &str = "def add(item, bucket=[]):\n    bucket.append(item)\n    return bucket\n";

/// Peak resident set of one run of the binary, in KiB, and its exit code.
// The child is reaped by wait4 (which gives its rusage), not by `Child::wait`.
#[allow(clippy::zombie_processes)]
fn peak_rss_kib(dir: &Path, args: &[&str]) -> (i64, i32) {
    let sandbox = Sandbox::new();
    let child = sandbox
        .command()
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("running interview-lens");
    let mut status = 0;
    // SAFETY: an all-zero rusage is a valid value to be overwritten by wait4.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: waits for our own child, with valid pointers; std's Child is not used after this.
    let pid = unsafe { libc::wait4(child.id() as libc::pid_t, &mut status, 0, &mut usage) };
    assert_eq!(pid, child.id() as libc::pid_t, "wait4 failed");
    assert!(libc::WIFEXITED(status), "interview-lens did not exit normally");
    (usage.ru_maxrss, libc::WEXITSTATUS(status))
}

fn corpus(files: usize, chunks_per_file: usize) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let text = CHUNK.repeat(chunks_per_file);
    for i in 0..files {
        std::fs::write(dir.path().join(format!("m{i:04}.py")), &text).unwrap();
    }
    dir
}

#[test]
fn peak_memory_does_not_grow_with_the_number_of_files() {
    // 27 KB and 400 findings per file; the large corpus has ten times the files of the small one.
    let small = corpus(8, 400);
    let large = corpus(80, 400);
    for format in ["json", "text"] {
        let (small_kib, code) = peak_rss_kib(small.path(), &["check", "--format", format, "."]);
        assert_eq!(code, 1);
        let (large_kib, code) = peak_rss_kib(large.path(), &["check", "--format", format, "."]);
        assert_eq!(code, 1);
        eprintln!("{format}: {small_kib} KiB for 8 files, {large_kib} KiB for 80");
        // Holding every file's results (32,000 findings) until the end costs tens of MB.
        assert!(
            large_kib < small_kib + small_kib / 2 + 16 * 1024,
            "{format}: {large_kib} KiB for 80 files against {small_kib} KiB for 8"
        );
    }
}

#[test]
fn json_needs_no_more_memory_than_text_on_one_large_file() {
    let dir = corpus(1, 10_000);
    let (text_kib, _) = peak_rss_kib(dir.path(), &["check", "--format", "text", "."]);
    let (json_kib, _) = peak_rss_kib(dir.path(), &["check", "--format", "json", "."]);
    eprintln!("one file: text {text_kib} KiB, JSON {json_kib} KiB");
    assert!(json_kib <= text_kib + text_kib / 10 + 8 * 1024, "JSON {json_kib} KiB, text {text_kib} KiB");
}
