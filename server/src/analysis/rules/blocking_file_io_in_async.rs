//! `blocking-file-io-in-async` (peers: Ruff ASYNC230 for `open`, ASYNC240 for path methods).
//! Regular files have no non-blocking mode: `open`, reads, writes and `stat` calls block the event
//! loop's thread. How long depends on the file and the disk: microseconds for a small local file,
//! far longer on a network filesystem, a cold disk or a large file.
//!
//! Detects builtin `open`/`io.open`/`io.open_code`; `pathlib` I/O methods when the receiver is
//! visibly a path (a `Path(...)` call, a `/` join on one, a name assigned one, or a parameter
//! annotated `Path`); and the `os.path` helpers that touch the filesystem. Not the calls that only
//! compute a path (`join`, `normpath`, `abspath`, `relpath`, `expanduser`, `Path.absolute`,
//! `Path.cwd`, `Path.home`): at most a `getcwd`, no I/O worth moving.
//!
//! Tiers (see `helpers::async_blocking` for how the place is read). Because a single small read
//! is usually harmless, a warning needs evidence that the stall adds up or that others wait:
//! - warning for opening, reading, writing, copying or listing when the coroutine is a request
//!   handler (a `request` parameter, a `...Request` annotation, a route decorator: every request
//!   pays it) or the call is inside a loop (the stall repeats per item); the message names that
//!   evidence. A task started alongside is not enough: it waits, but usually for microseconds.
//! - hint for the same calls without that evidence, and for single metadata calls (`exists`,
//!   `stat`, `is_file`, `mkdir`, `unlink`, `resolve`...) anywhere: the message says the cost is
//!   small on a local disk.
//! - nothing in test code (a module that imports a test framework or defines tests), even when the
//!   test started a server: tests read fixture and temporary files, and no user waits on them.
//! - nothing in the program's entry coroutine (`asyncio.run(main())`) before it starts any task or
//!   server: reading configuration or input at start-up stalls no one.
//! - nothing under `if TYPE_CHECKING:` or where a comment says the blocking is meant.
//!
//! Fix (unsafe), except for `open` whose file object would still be used on the loop:
//! `await asyncio.to_thread(p.read_text, encoding="utf-8")`; under trio or anyio,
//! `await trio.to_thread.run_sync(p.read_text)` when the call has no keyword arguments.

use ruff_python_ast::{Expr, ExprCall, Operator};
use ruff_text_size::Ranged;

use super::helpers::async_blocking::{
    Library, Place, Runner, annotated_as, deferred_call, enclosing_loop, place, request_handler_evidence, to_thread_fix,
};
use super::helpers::messages::shown_call;
use crate::analysis::checker::Checker;
use crate::analysis::finding::{Finding, Severity};
use crate::analysis::rule::Rule;
use crate::analysis::semantic::{NodeId, qualified};

const OPEN: &[&str] = &["builtins.open", "io.open", "io.open_code"];

const PATH_CLASSES: &[&str] = &[
    "pathlib.Path",
    "pathlib.PosixPath",
    "pathlib.WindowsPath",
    "pathlib.PurePath",
    "pathlib.PurePosixPath",
    "pathlib.PureWindowsPath",
];

/// `pathlib.Path` methods that move data or list directories: their cost grows with the file.
const PATH_DATA_METHODS: &[&str] = &[
    "copy",
    "copy_into",
    "glob",
    "iterdir",
    "move",
    "move_into",
    "read_bytes",
    "read_text",
    "rglob",
    "walk",
    "write_bytes",
    "write_text",
];

/// `pathlib.Path` methods that make one or a few metadata system calls.
const PATH_METADATA_METHODS: &[&str] = &[
    "chmod",
    "exists",
    "group",
    "hardlink_to",
    "is_block_device",
    "is_char_device",
    "is_dir",
    "is_fifo",
    "is_file",
    "is_junction",
    "is_mount",
    "is_socket",
    "is_symlink",
    "lchmod",
    "link_to",
    "lstat",
    "mkdir",
    "owner",
    "readlink",
    "rename",
    "replace",
    "resolve",
    "rmdir",
    "samefile",
    "stat",
    "symlink_to",
    "touch",
    "unlink",
];

/// `os.path` functions that make metadata system calls.
const OS_PATH: &[&str] = &[
    "exists",
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
    "samefile",
    "sameopenfile",
];

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// `open(...)`, `Path.open(...)`: the file object is then used on the loop too.
    Open,
    /// Reads, writes, copies, directory listings.
    Data,
    /// One metadata call: `exists`, `stat`, `mkdir`...
    Metadata,
}

/// During the walk: file I/O in a coroutine is looked at again on the finished model.
pub(crate) fn check(checker: &mut Checker, call: &ExprCall) {
    if classify(checker, call).is_some()
        && let Some(node) = checker.node_id()
    {
        checker.defer(Rule::BlockingFileIoInAsync, node);
    }
}

/// After the walk, at the call.
pub(crate) fn report(checker: &mut Checker, node: NodeId) {
    let Some((expr, call)) = deferred_call(checker, node) else { return };
    let Some(kind) = classify(checker, call) else { return };
    let Some(place) = place(checker, call) else { return };
    match place.runner {
        // Test files are fixtures and temporary files; nobody waits on a test's disk reads.
        Runner::Test => return,
        // Reading configuration or input before anything else runs stalls no one.
        Runner::Entry { .. } if place.alongside.is_none() => return,
        _ => {}
    }
    let library = Library::of(checker);
    let shown = shown_call(checker, call);
    let name = place.name();
    let remedy = match (kind, library) {
        (Kind::Open, Library::Asyncio) => {
            "run the whole open-read-close in `await asyncio.to_thread(...)`, or use `aiofiles`".to_string()
        }
        (Kind::Open, _) => format!("use `await {}.open_file(...)`", library.module()),
        _ => format!("move it to `await {}(...)`", library.to_thread()),
    };
    let (message, severity) = if kind == Kind::Metadata {
        (
            format!(
                "{shown} in {name} is one filesystem metadata call on the event loop thread: microseconds on a local \
                 disk, a stall only on a slow or network filesystem; {remedy} if that matters here"
            ),
            Severity::Hint,
        )
    } else if let Some(evidence) = evidence(checker, &place) {
        (format!("{shown} in {name} does file I/O on the event loop thread: {evidence}; {remedy}"), Severity::Warning)
    } else {
        (
            format!(
                "{shown} in {name} does file I/O on the event loop thread: every task waits while the disk works, \
                 which is brief for a small local file and long on a network filesystem or for a large file; \
                 nothing here shows it running often or beside other work; where it might, {remedy}"
            ),
            Severity::Hint,
        )
    };
    // The file object `open` returns would still be read and written on the loop.
    let fix = if kind == Kind::Open { None } else { to_thread_fix(checker, expr, call) };
    let finding = Finding::new(Rule::BlockingFileIoInAsync, call.func.range(), message).with_severity(severity);
    checker.report(finding.with_fix(fix));
}

/// What shows that the stall adds up: a request handler pays it per request, a loop per item.
/// (Work started alongside is not enough: it waits, but usually for microseconds.)
fn evidence(checker: &Checker, place: &Place) -> Option<String> {
    if let Some(handler) = request_handler_evidence(checker, place.coroutine) {
        return Some(format!(
            "it handles requests ({handler}), so every request stalls every connection while the disk works"
        ));
    }
    enclosing_loop(checker).map(|at| format!("inside {at}, so every task waits for each file in turn"))
}

fn classify(checker: &Checker, call: &ExprCall) -> Option<Kind> {
    if let Some(name) = checker.resolve(&call.func) {
        if qualified::which(&name, OPEN).is_some() {
            return Some(Kind::Open);
        }
        if let ["os", "path", function] | ["posixpath" | "ntpath", function] = name.segments() {
            return OS_PATH.contains(function).then_some(Kind::Metadata);
        }
    }
    let Expr::Attribute(attr) = &*call.func else { return None };
    let method = attr.attr.as_str();
    let kind = if method == "open" {
        Kind::Open
    } else if PATH_DATA_METHODS.contains(&method) {
        Kind::Data
    } else if PATH_METADATA_METHODS.contains(&method) {
        Kind::Metadata
    } else {
        return None;
    };
    is_path(checker, &attr.value, 0).then_some(kind)
}

/// Visibly a `pathlib` path: `Path(...)`, `Path(...) / "x"`, a path method that returns a path
/// (`p.with_suffix(".x")`, `p.parent`), a name assigned one of those, or a parameter annotated as
/// a path.
fn is_path(checker: &Checker, receiver: &Expr, depth: usize) -> bool {
    if depth > 8 {
        return false;
    }
    match receiver {
        Expr::BinOp(binop) if binop.op == Operator::Div => is_path(checker, &binop.left, depth + 1),
        Expr::Call(call) => match &*call.func {
            Expr::Attribute(attr) if PATH_RETURNING_METHODS.contains(&attr.attr.as_str()) => {
                is_path(checker, &attr.value, depth + 1)
            }
            func => checker.resolves_to_any(func, PATH_CLASSES).is_some(),
        },
        Expr::Attribute(attr) if attr.attr.as_str() == "parent" => is_path(checker, &attr.value, depth + 1),
        Expr::Name(name) => {
            annotated_as(checker, receiver, PATH_CLASSES)
                || checker
                    .binding_of(name)
                    .and_then(|b| b.value)
                    .is_some_and(|value| is_path(checker, value, depth + 1))
        }
        _ => false,
    }
}

/// `pathlib` methods that return another path.
const PATH_RETURNING_METHODS: &[&str] =
    &["absolute", "expanduser", "joinpath", "relative_to", "resolve", "with_name", "with_stem", "with_suffix"];

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use crate::analysis::finding::{Applicability, Severity};
    use crate::analysis::rule::Rule::BlockingFileIoInAsync as R;

    #[track_caller]
    fn tier(src: &str, severity: Severity, text: &str) {
        assert_tier(src, R, severity, text);
    }

    #[test]
    fn flags_open_and_os_path_checks() {
        let src = "import io, os, os.path\nasync def f(p):\n    open(p)\n    io.open(p)\n    with open(p) as fh:\n        pass\n    os.path.exists(p)\n    os.path.getmtime(p)\n";
        assert_count(src, R, 5);
    }

    #[test]
    fn ignores_calls_that_only_compute_a_path() {
        let src = "import os\nfrom pathlib import Path\nasync def f(p: Path, s):\n    os.path.join(s, 'x')\n    os.path.normpath(s)\n    os.path.basename(s)\n    os.path.abspath(s)\n    os.path.relpath(s)\n    os.path.expanduser(s)\n    p.absolute()\n    Path.cwd()\n    Path.home()\n    p.expanduser()\n    p.with_suffix('.x')\n";
        assert_clean(src, R);
    }

    #[test]
    fn flags_path_methods_on_visible_paths() {
        let src = "import pathlib\nfrom pathlib import Path\nasync def f(p: Path, q: pathlib.Path | None, r):\n    p.read_text()\n    q.exists()\n    Path('a').write_bytes(b)\n    t = pathlib.Path('a')\n    t.stat()\n    (Path('a') / 'b').iterdir()\n    p.open()\n    r.read_text()\n    p.with_suffix('.x')\n";
        assert_count(src, R, 6);
        // Paths derived from paths (`p.resolve()` is itself a metadata call).
        let src = "from pathlib import Path\nasync def f(p: Path):\n    template = Path('templates') / 'index.html'\n    template.read_text()\n    p.with_suffix('.bak').write_text('x')\n    p.parent.mkdir()\n    backup = p.resolve().parent / 'old'\n    backup.exists()\n";
        assert_count(src, R, 5);
    }

    #[test]
    fn ignores_sync_code_and_functions_passed_to_threads() {
        assert_clean("def f(p):\n    open(p)\n", R);
        for src in [
            "import asyncio, os\nasync def f(path):\n    await asyncio.to_thread(path.read_text, encoding='utf-8')\n    await asyncio.to_thread(os.path.exists, path)\n",
            "import asyncio\nasync def f(path):\n    def read():\n        with open(path) as fh:\n            return fh.read()\n    return await asyncio.to_thread(read)\n",
            "async def f(loop, path):\n    return await loop.run_in_executor(None, lambda: open(path).read())\n",
        ] {
            assert_clean(src, R);
        }
    }

    #[test]
    fn a_local_name_that_shadows_the_builtin_is_not_open() {
        for src in [
            "async def f(open, p):\n    open(p)\n",
            "from aiofiles import open\nasync def f(p):\n    async with open(p) as fh:\n        return await fh.read()\n",
            "import aiofiles\nasync def f(p):\n    open = aiofiles.open\n    async with open(p) as fh:\n        return await fh.read()\n",
            "async def f(cmd, p):\n    match cmd:\n        case open:\n            open(p)\n",
            "import os\nasync def f(os, p):\n    os.path.exists(p)\n",
        ] {
            assert_clean(src, R);
        }
    }

    #[test]
    fn warning_needs_evidence_that_the_stall_matters() {
        // A request handler pays it on every request.
        tier(
            "from aiohttp import web\nasync def page(request: web.Request) -> web.Response:\n    with open('index.html', 'rb') as fp:\n        return web.Response(body=fp.read())\n",
            Severity::Warning,
            "`open('index.html', 'rb')` in `async def page` does file I/O on the event loop thread: it handles \
             requests (`request: web.Request`), so every request stalls every connection while the disk works",
        );
        tier(
            "from fastapi import FastAPI\napp = FastAPI()\n@app.get('/report')\nasync def report():\n    with open('report.csv') as fh:\n        return fh.read()\n",
            Severity::Warning,
            "it handles requests (`@app.get('/report')`)",
        );
        // In a loop the stall repeats per item.
        tier(
            "async def total(paths):\n    n = 0\n    for path in paths:\n        with open(path, 'rb') as fh:\n            n += len(fh.read())\n    return n\n",
            Severity::Warning,
            "inside the loop at line 3, so every task waits for each file in turn",
        );
        // Work started alongside waits, but for one read that is usually microseconds.
        tier(
            "import asyncio\nfrom pathlib import Path\nasync def f(p: Path):\n    beat = asyncio.create_task(heartbeat())\n    data = p.read_bytes()\n",
            Severity::Hint,
            "nothing here shows it running often or beside other work",
        );
    }

    #[test]
    fn hint_without_evidence_and_for_metadata_calls() {
        tier(
            "import json\nasync def load_settings(path):\n    with open(path) as fh:\n        return json.load(fh)\n",
            Severity::Hint,
            "`open(path)` in `async def load_settings` does file I/O on the event loop thread: every task waits \
             while the disk works, which is brief for a small local file and long on a network filesystem or for \
             a large file; nothing here shows it running often or beside other work",
        );
        tier(
            "import os\nasync def handler(request):\n    if os.path.exists(request.path):\n        pass\n",
            Severity::Hint,
            "`os.path.exists(request.path)` in `async def handler` is one filesystem metadata call on the event \
             loop thread: microseconds on a local disk, a stall only on a slow or network filesystem",
        );
        tier("from pathlib import Path\nasync def f(p: Path):\n    p.resolve()\n", Severity::Hint, "metadata call");
    }

    #[test]
    fn test_code_is_not_reported() {
        for src in [
            "import pytest\nasync def test_upload(client, tmp_path):\n    with open(tmp_path / 'f', 'wb') as fh:\n        fh.write(b'x')\n",
            "from pathlib import Path\nimport unittest\nclass T(unittest.IsolatedAsyncioTestCase):\n    async def asyncSetUp(self):\n        self.file = open('data.bin', 'rb')\n",
            // A helper in a test module, and module-level tests without imports (formatter fixtures).
            "from pathlib import Path\nimport pytest\nasync def run_and_export(path):\n    return Path(path).read_bytes() if Path(path).exists() else None\n",
            "async def test_async():\n    open('f')\n",
            "from test import support\nasync def check():\n    open(support.TESTFN)\n",
            "import asyncio, unittest\nclass T(unittest.IsolatedAsyncioTestCase):\n    async def asyncSetUp(self):\n        self.server = await asyncio.start_server(self.handle, '127.0.0.1', 0)\n        self.file = open('data.bin', 'rb')\n",
            "class TestUpload:\n    async def test_upload(self, client):\n        with open('f.bin', 'rb') as fh:\n            await client.post('/', data=fh)\n",
        ] {
            assert_clean(src, R);
        }
    }

    #[test]
    fn the_entry_coroutine_at_start_up_is_not_reported() {
        // Reading the input before any concurrent work starts stalls no one.
        let src = "import asyncio, sys\nasync def main(filename):\n    with open(filename) as f:\n        text = f.read()\n    await asyncio.gather(*(check(l) for l in text.split()))\n\nif __name__ == '__main__':\n    asyncio.run(main(sys.argv[1]))\n";
        assert_clean(src, R);
        // Once it has started a task, that task waits for the disk.
        let src = "import asyncio\nasync def main():\n    t = asyncio.create_task(serve())\n    for name in names:\n        open(name).close()\nasyncio.run(main())\n";
        tier(src, Severity::Warning, "inside the loop at line 4, so every task waits for each file in turn");
        let src = "import asyncio\nasync def main():\n    t = asyncio.create_task(serve())\n    open('x').close()\nasyncio.run(main())\n";
        tier(src, Severity::Hint, "does file I/O on the event loop thread");
    }

    #[test]
    fn a_test_runner_is_not_test_code() {
        // Meson's `mtest.py` defines `TestRun`, `TestHarness.test_suitable` and `test_slice`: a
        // test runner, not tests.
        let src = "def test_slice(arg):\n    return arg.split(':')\nclass TestHarness:\n    def test_suitable(self, test):\n        return test.ok\nclass TestRun:\n    async def finish(self):\n        for x in self.items:\n            with open(x) as f:\n                f.read()\n";
        tier(src, Severity::Warning, "inside the loop at line 8");
        // A `test_*` function that asserts, or a test class with one, is a test.
        let src = "def test_slice():\n    assert True\nasync def helper():\n    open('x')\n";
        assert_clean(src, R);
        let src =
            "class TestX:\n    def test_y(self):\n        self.assertEqual(1, 1)\nasync def helper():\n    open('x')\n";
        assert_clean(src, R);
    }

    #[test]
    fn deliberate_blocking_and_code_that_never_runs_are_not_reported() {
        for src in [
            "async def f(p):\n    # blocking read on purpose: runs once before the workers start\n    return open(p).read()\n",
            "from typing import TYPE_CHECKING\nasync def f(p):\n    if TYPE_CHECKING:\n        open(p)\n",
        ] {
            assert_clean(src, R);
        }
    }

    #[test]
    fn trio_and_anyio_code_gets_their_remedies() {
        tier(
            "import trio\nasync def page(request):\n    return open('x').read()\n",
            Severity::Warning,
            "use `await trio.open_file(...)`",
        );
        let src = "import anyio\nfrom pathlib import Path\nasync def f(p: Path):\n    return p.read_text()\n";
        assert_eq!(
            fixed(src, R),
            "import anyio\nfrom pathlib import Path\nimport anyio.to_thread\nasync def f(p: Path):\n    return await anyio.to_thread.run_sync(p.read_text)\n"
        );
        let found = findings(
            "import trio\nfrom pathlib import Path\nasync def f(p: Path):\n    p.read_text(encoding='utf-8')\n",
            R,
        );
        assert!(found[0].fix.is_none(), "run_sync takes no keyword arguments for the function");
    }

    #[test]
    fn fix_moves_path_and_os_path_calls_to_thread() {
        let src = "import asyncio\nfrom pathlib import Path\nasync def f(p: Path):\n    return p.read_text(encoding='utf-8')\n";
        let driver = "import tempfile, os\nwith tempfile.TemporaryDirectory() as d:\n    q = Path(d, 'a.txt')\n    q.write_text('hello', encoding='utf-8')\n    print(asyncio.run(f(q)))\n";
        let result = assert_fix_keeps_output(src, R, driver);
        assert_eq!(
            result,
            "import asyncio\nfrom pathlib import Path\nasync def f(p: Path):\n    return await asyncio.to_thread(p.read_text, encoding='utf-8')\n"
        );
        let src =
            "import os\r\nasync def f(p):\r\n    if os.path.exists(p):\r\n        return 'yes'\r\n    return 'no'\r\n";
        let result =
            assert_fix_keeps_output(src, R, "import asyncio\nprint(asyncio.run(f('.')), asyncio.run(f('/no/such')))\n");
        assert_eq!(
            result,
            "import os\r\nimport asyncio\r\nasync def f(p):\r\n    if await asyncio.to_thread(os.path.exists, p):\r\n        return 'yes'\r\n    return 'no'\r\n"
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
            "import asyncio\nasync def main():\n    open('x')\nasyncio.run(main(",
        ] {
            let _ = findings(src, R);
        }
    }

    #[test]
    fn card_examples() {
        assert_card_examples(R);
    }
}
