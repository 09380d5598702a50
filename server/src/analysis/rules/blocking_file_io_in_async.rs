//! `blocking-file-io-in-async` (peers: Ruff ASYNC230 for `open`, ASYNC240 for path methods).
//! Regular files have no non-blocking mode: `open`, reads, writes and `stat` calls block the event
//! loop's thread, which matters on network filesystems, cold disks and large files.
//!
//! Detects builtin `open`/`io.open`/`io.open_code`; `pathlib` I/O methods when the receiver is
//! visibly a path (a `Path(...)` call, a `/` join on one, a name assigned one, or a parameter
//! annotated `Path`); and the `os.path` helpers that touch the filesystem (not pure string helpers
//! such as `join` or `normpath`). Fix (unsafe), except for `open` whose file object would still be
//! used on the loop: `await asyncio.to_thread(p.read_text, encoding="utf-8")`.

use ruff_python_ast::{Expr, ExprCall, Operator};
use ruff_text_size::Ranged;

use super::helpers::async_blocking::{annotated_as, constructed_by, coroutine_name, to_thread_fix};
use super::helpers::messages::shown_call;
use crate::analysis::checker::Checker;
use crate::analysis::finding::Finding;
use crate::analysis::rule::Rule;
use crate::analysis::semantic::qualified;

const OPEN: &[&str] = &["builtins.open", "io.open", "io.open_code"];

const PATH_CLASSES: &[&str] = &[
    "pathlib.Path",
    "pathlib.PosixPath",
    "pathlib.WindowsPath",
    "pathlib.PurePath",
    "pathlib.PurePosixPath",
    "pathlib.PureWindowsPath",
];

/// `pathlib.Path` methods that make system calls.
const PATH_METHODS: &[&str] = &[
    "absolute",
    "chmod",
    "copy",
    "copy_into",
    "cwd",
    "exists",
    "expanduser",
    "glob",
    "group",
    "hardlink_to",
    "home",
    "is_block_device",
    "is_char_device",
    "is_dir",
    "is_fifo",
    "is_file",
    "is_junction",
    "is_mount",
    "is_socket",
    "is_symlink",
    "iterdir",
    "lchmod",
    "link_to",
    "lstat",
    "mkdir",
    "move",
    "move_into",
    "open",
    "owner",
    "read_bytes",
    "read_text",
    "readlink",
    "rename",
    "replace",
    "resolve",
    "rglob",
    "rmdir",
    "samefile",
    "stat",
    "symlink_to",
    "touch",
    "unlink",
    "walk",
    "write_bytes",
    "write_text",
];

/// `os.path` functions that touch the filesystem.
const OS_PATH: &[&str] = &[
    "abspath",
    "exists",
    "expanduser",
    "getatime",
    "getctime",
    "getmtime",
    "getsize",
    "isdevdrive",
    "isdir",
    "isfile",
    "isjunction",
    "islink",
    "ismount",
    "lexists",
    "realpath",
    "relpath",
    "samefile",
    "sameopenfile",
];

enum Kind {
    Open,
    PathMethod,
    OsPath,
}

pub(crate) fn check<'a>(checker: &mut Checker<'a>, expr: &'a Expr, call: &'a ExprCall) {
    if !checker.enabled(Rule::BlockingFileIoInAsync) {
        return;
    }
    let Some(kind) = classify(checker, call) else { return };
    let shown = shown_call(checker, call);
    let coroutine = coroutine_name(checker);
    let is_open = matches!(kind, Kind::Open) || matches!(&*call.func, Expr::Attribute(a) if a.attr.as_str() == "open");
    let message = if is_open {
        format!(
            "{shown} opens a file on the event loop thread in {coroutine}: run the whole open-read-close in \
             `asyncio.to_thread(...)`, or use `aiofiles`/`anyio.open_file`"
        )
    } else {
        let what = if matches!(kind, Kind::OsPath) { "a filesystem call" } else { "blocking file I/O" };
        format!("{shown} is {what} on the event loop thread in {coroutine}: move it to `await asyncio.to_thread(...)`")
    };
    // The file object `open` returns would still be read and written on the loop.
    let fix = if is_open { None } else { to_thread_fix(checker, expr, call) };
    checker.report(Finding::new(Rule::BlockingFileIoInAsync, call.func.range(), message).with_fix(fix));
}

fn classify(checker: &Checker, call: &ExprCall) -> Option<Kind> {
    if let Some(name) = checker.resolve(&call.func) {
        if qualified::which(&name, OPEN).is_some() {
            return Some(Kind::Open);
        }
        if let ["os", "path", function] | ["posixpath", function] = name.segments() {
            return OS_PATH.contains(function).then_some(Kind::OsPath);
        }
    }
    let Expr::Attribute(attr) = &*call.func else { return None };
    (PATH_METHODS.contains(&attr.attr.as_str()) && is_path(checker, &attr.value, 0)).then_some(Kind::PathMethod)
}

/// Visibly a `pathlib` path: `Path(...)`, `Path(...) / "x"`, a name assigned one, or a parameter
/// annotated as one.
fn is_path(checker: &Checker, receiver: &Expr, depth: usize) -> bool {
    if depth > 8 {
        return false;
    }
    match receiver {
        Expr::BinOp(binop) if binop.op == Operator::Div => is_path(checker, &binop.left, depth + 1),
        _ => {
            constructed_by(checker, receiver).is_some_and(|c| qualified::which(&c, PATH_CLASSES).is_some())
                || annotated_as(checker, receiver, PATH_CLASSES)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use crate::analysis::finding::Applicability;
    use crate::analysis::rule::Rule::BlockingFileIoInAsync as R;

    #[test]
    fn flags_open_and_os_path_checks() {
        let src = "import io, os, os.path\nasync def f(p):\n    open(p)\n    io.open(p)\n    with open(p) as fh:\n        pass\n    os.path.exists(p)\n    os.path.getmtime(p)\n";
        assert_count(src, R, 5);
        assert_clean(
            "import os\nasync def f(p):\n    os.path.join(p, 'x')\n    os.path.normpath(p)\n    os.path.basename(p)\n",
            R,
        );
    }

    #[test]
    fn flags_path_methods_on_visible_paths() {
        let src = "import pathlib\nfrom pathlib import Path\nasync def f(p: Path, q: pathlib.Path | None, r):\n    p.read_text()\n    q.exists()\n    Path('a').write_bytes(b)\n    t = pathlib.Path('a')\n    t.stat()\n    (Path('a') / 'b').iterdir()\n    p.open()\n    r.read_text()\n    p.with_suffix('.x')\n";
        assert_count(src, R, 6);
    }

    #[test]
    fn ignores_sync_code_and_functions_passed_to_threads() {
        assert_clean("def f(p):\n    open(p)\n", R);
        let src = "import asyncio, os\nasync def f(path):\n    await asyncio.to_thread(path.read_text, encoding='utf-8')\n    await asyncio.to_thread(os.path.exists, path)\n";
        assert_clean(src, R);
    }

    #[test]
    fn message_names_call_and_coroutine() {
        let msg = message("async def read_config(path):\n    with open(path) as f:\n        return f.read()\n", R);
        assert!(msg.starts_with("`open(path)` opens a file") && msg.contains("`read_config`"), "{msg}");
    }

    #[test]
    fn fix_moves_path_and_os_path_calls_to_thread() {
        let src = "import asyncio\nfrom pathlib import Path\nasync def f(p: Path):\n    return p.read_text(encoding='utf-8')\n";
        assert_eq!(
            fixed(src, R),
            "import asyncio\nfrom pathlib import Path\nasync def f(p: Path):\n    return await asyncio.to_thread(p.read_text, encoding='utf-8')\n"
        );
        let src = "import os\r\nasync def f(p):\r\n    if os.path.exists(p):\r\n        pass\r\n";
        assert_eq!(
            fixed(src, R),
            "import os\r\nimport asyncio\r\nasync def f(p):\r\n    if await asyncio.to_thread(os.path.exists, p):\r\n        pass\r\n"
        );
        assert_eq!(findings(src, R)[0].fix.as_ref().map(|f| f.applicability), Some(Applicability::Unsafe));
    }

    #[test]
    fn no_fix_for_open() {
        for src in [
            "async def f(p):\n    data = open(p).read()\n",
            "from pathlib import Path\nasync def f():\n    Path('a').open()\n",
        ] {
            let found = findings(src, R);
            assert_eq!(found.len(), 1, "{src}");
            assert!(found[0].fix.is_none(), "{src}");
        }
    }

    #[test]
    fn half_typed_code_does_not_panic() {
        for src in [
            "async def f():\n    open(",
            "from pathlib import Path\nasync def f(p: Path):\n    p.",
            "async def f(p: ):\n    p.exists()",
        ] {
            let _ = findings(src, R);
        }
    }

    #[test]
    fn card_examples() {
        assert_card_examples(R);
    }
}
