//! `blocking-subprocess-in-async` (peers: Ruff ASYNC220 create, ASYNC221 run, ASYNC222 wait). A
//! coroutine that runs a child process with `subprocess` or `os` and waits for it blocks the event
//! loop until the child exits.
//!
//! Detects the calls that wait: `subprocess.{run,call,check_call,check_output,getoutput,
//! getstatusoutput}`, `os.system`, `os.spawn*(os.P_WAIT, ...)` and `os.wait*`; and the calls that
//! start a child and return at once: `subprocess.Popen`, `os.popen`, `os.posix_spawn[p]` and
//! `os.spawn*` in another mode. Not `os.exec*`, which replaces the process rather than waiting
//! (Ruff does not flag it either), and not `os.wait*` given `os.WNOHANG`, which polls without
//! blocking. A name bound locally (a parameter `subprocess`) is not the module.
//!
//! Tiers (see `helpers::async_blocking`):
//! - warning for a waiting call in a coroutine awaited by code we cannot see, or after the body
//!   started a task or server; for a starting call, only when this coroutine then waits on the
//!   handle (`p.communicate()`, `p.wait()`, reading `p.stdout`, `os.popen(c).read()`, leaving
//!   `with Popen(...)`), and the message names that line.
//! - hint for a starting call whose handle is not waited on here (starting a child is quick; the
//!   message says where blocking would come from), and in test code or the program's entry
//!   coroutine when nothing was started alongside: a script or a test that runs one tool at a time
//!   stalls nobody.
//! - nothing under `if TYPE_CHECKING:` or where a comment says the blocking is meant.
//!
//! Fix (unsafe), for the waiting calls only (a `Popen` handle would still block later):
//! `await asyncio.to_thread(subprocess.run, [...], check=True)`; under trio or anyio,
//! `await trio.to_thread.run_sync(subprocess.run, [...])` when the call has no keyword arguments.

use ruff_python_ast::{Expr, ExprCall, Stmt};
use ruff_text_size::Ranged;

use super::helpers::async_blocking::{Library, Place, deferred_call, place, to_thread_fix};
use super::helpers::messages::shown_call;
use crate::analysis::checker::{Checker, NodeRef};
use crate::analysis::finding::{Finding, Severity};
use crate::analysis::rule::Rule;
use crate::analysis::semantic::{NodeId, Use, qualified};

const RUN: &[&str] = &[
    "subprocess.run",
    "subprocess.call",
    "subprocess.check_call",
    "subprocess.check_output",
    "subprocess.getoutput",
    "subprocess.getstatusoutput",
    "os.system",
];

/// Return a handle at once; the blocking happens when it is waited on or read.
const CREATE: &[&str] = &["subprocess.Popen", "os.popen", "os.posix_spawn", "os.posix_spawnp"];

const WAIT: &[&str] = &["os.wait", "os.waitpid", "os.wait3", "os.wait4", "os.waitid"];

const SPAWN: &[&str] = &["spawnl", "spawnle", "spawnlp", "spawnlpe", "spawnv", "spawnve", "spawnvp", "spawnvpe"];

/// Methods of a `Popen` or `os.popen` handle that wait for the child or read its output.
const HANDLE_WAITS: &[&str] = &["wait", "communicate", "read", "readline", "readlines", "close"];

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// Starts the child and waits for it to exit.
    Run,
    /// Waits for a child started earlier.
    Wait,
    /// Starts the child and returns a handle (or pid) at once.
    Create,
}

/// During the walk: a subprocess call in a coroutine is looked at again on the finished model.
pub(crate) fn check(checker: &mut Checker, call: &ExprCall) {
    if classify(checker, call).is_some()
        && let Some(node) = checker.node_id()
    {
        checker.defer(Rule::BlockingSubprocessInAsync, node);
    }
}

/// After the walk, at the call.
pub(crate) fn report(checker: &mut Checker, node: NodeId) {
    let Some((expr, call)) = deferred_call(checker, node) else { return };
    let Some((kind, shell)) = classify(checker, call) else { return };
    let Some(place) = place(checker, call) else { return };
    let library = Library::of(checker);
    let shown = shown_call(checker, call);
    let remedy = remedy(library, kind, shell, &place);
    let (message, severity) = match kind {
        Kind::Run | Kind::Wait => {
            (format!("{shown} {}; {remedy}", place.consequence("until the child exits")), place.severity())
        }
        Kind::Create => match handle_waited(checker, expr) {
            Some(wait) => (
                format!("{shown}, then {wait} {}; {remedy}", place.consequence("until the child exits")),
                place.severity(),
            ),
            None => (
                format!(
                    "{shown} in {} starts a child without waiting for it: the event loop blocks only where the \
                     child is waited on or its pipes are read, which this coroutine does not do; {remedy} to keep \
                     it so",
                    place.name()
                ),
                Severity::Hint,
            ),
        },
    };
    let fix = if kind == Kind::Create { None } else { to_thread_fix(checker, expr, call) };
    let finding = Finding::new(Rule::BlockingSubprocessInAsync, call.func.range(), message).with_severity(severity);
    checker.report(finding.with_fix(fix));
}

fn remedy(library: Library, kind: Kind, shell: bool, place: &Place) -> String {
    let api = match (library, kind, shell) {
        (Library::Asyncio, Kind::Wait, _) => "`await proc.wait()` on an asyncio subprocess".to_string(),
        (Library::Asyncio, _, true) => "`await asyncio.create_subprocess_shell(...)`".to_string(),
        (Library::Asyncio, _, false) => "`await asyncio.create_subprocess_exec(...)`".to_string(),
        (_, Kind::Wait, _) => format!("`await {}(...)`", library.to_thread()),
        (_, _, _) => format!("`await {}.run_process(...)`", library.module()),
    };
    if place.loop_is_idle() && kind != Kind::Create {
        format!("{api} would let background work run")
    } else {
        format!("use {api}")
    }
}

/// What the call does, and whether it goes through the shell; `None` for calls that do not block.
fn classify(checker: &Checker, call: &ExprCall) -> Option<(Kind, bool)> {
    let name = checker.resolve(&call.func)?;
    let shell = matches!(name.segments(), ["os", "system" | "popen"] | ["subprocess", "getoutput" | "getstatusoutput"]);
    if qualified::which(&name, RUN).is_some() {
        return Some((Kind::Run, shell));
    }
    if qualified::which(&name, CREATE).is_some() {
        return Some((Kind::Create, shell));
    }
    if qualified::which(&name, WAIT).is_some() {
        let polls = call
            .arguments
            .args
            .iter()
            .chain(call.arguments.keywords.iter().map(|k| &k.value))
            .any(|a| has_wnohang(checker, a, 0));
        return (!polls).then_some((Kind::Wait, false));
    }
    if matches!(name.segments(), ["os", f] if SPAWN.contains(f)) {
        let waits = call.arguments.args.first().is_some_and(|mode| checker.resolves_to(mode, "os.P_WAIT"));
        return Some((if waits { Kind::Run } else { Kind::Create }, false));
    }
    None
}

/// `os.WNOHANG`, also inside `os.WNOHANG | os.WUNTRACED`.
fn has_wnohang(checker: &Checker, expr: &Expr, depth: usize) -> bool {
    match expr {
        Expr::BinOp(binop) if depth < 8 => {
            has_wnohang(checker, &binop.left, depth + 1) || has_wnohang(checker, &binop.right, depth + 1)
        }
        _ => checker.resolves_to(expr, "os.WNOHANG"),
    }
}

/// Where this coroutine waits on the handle the call returned: a method chained on the call,
/// leaving a `with` block over it, or a later use of the name it is assigned to ("`p.wait()`
/// (line 5) waits for the child").
fn handle_waited(checker: &Checker, expr: &Expr) -> Option<String> {
    let line = |offset| checker.source.line_number(offset);
    match checker.ancestors().next()? {
        NodeRef::Expr(Expr::Attribute(attr)) if HANDLE_WAITS.contains(&attr.attr.as_str()) => {
            return Some(format!("`.{}()` waits for the child", attr.attr.as_str()));
        }
        NodeRef::Stmt(Stmt::With(with)) if with.items.iter().any(|i| std::ptr::eq(&i.context_expr, expr)) => {
            let end = with.body.last().map_or(with.end(), Ranged::end);
            return Some(format!("leaving its `with` block (line {}) waits for the child", line(end)));
        }
        _ => {}
    }
    let model = checker.semantic();
    let binding = model.bindings().find_map(|(id, b)| b.value.is_some_and(|v| std::ptr::eq(v, expr)).then_some(id))?;
    let name = model.binding(binding).name;
    model.references(binding).filter(|r| r.start() > expr.end() && !model.is_captured(r, binding)).find_map(|r| {
        match model.use_of(r) {
            Use::MethodCall { method, call } if HANDLE_WAITS.contains(&method) => {
                Some(format!("`{}` (line {}) waits for the child", checker.source.shown(call), line(call.start())))
            }
            Use::AttributeLoad(stream @ ("stdout" | "stderr")) => {
                Some(format!("reading `{name}.{stream}` (line {}) waits for the child's output", line(r.start())))
            }
            Use::Iterated => {
                Some(format!("iterating `{name}` (line {}) waits for the child's output", line(r.start())))
            }
            _ => None,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use crate::analysis::finding::{Applicability, Severity};
    use crate::analysis::rule::Rule::BlockingSubprocessInAsync as R;

    #[track_caller]
    fn tier(src: &str, severity: Severity, text: &str) {
        assert_tier(src, R, severity, text);
    }

    #[test]
    fn flags_run_create_and_wait() {
        let src = "import subprocess, os\nasync def f(c):\n    subprocess.run(c)\n    subprocess.check_output(c)\n    subprocess.getoutput(c)\n    subprocess.Popen(c).wait()\n    os.system(c)\n    os.popen(c)\n    os.waitpid(1, 0)\n    os.wait()\n    os.spawnlp(os.P_WAIT, c)\n    os.posix_spawn(c, [], {})\n";
        assert_count(src, R, 10);
        assert_count("from subprocess import check_call as cc\nasync def f(c):\n    cc(c)\n", R, 1);
    }

    #[test]
    fn ignores_sync_code_asyncio_subprocesses_exec_and_polling_waits() {
        assert_clean("import subprocess\ndef f(c):\n    subprocess.run(c)\n", R);
        let src = "import asyncio, os, subprocess\nasync def f(c):\n    p = await asyncio.create_subprocess_exec(c)\n    await p.wait()\n    os.execv(c, [])\n    await asyncio.to_thread(subprocess.run, c)\n";
        assert_clean(src, R);
        // `WNOHANG` polls: it returns at once whether or not a child has exited.
        let src = "import os\nasync def reap():\n    os.waitpid(-1, os.WNOHANG)\n    os.wait3(os.WNOHANG | os.WUNTRACED)\n    os.waitid(os.P_ALL, 0, options=os.WEXITED | os.WNOHANG)\n";
        assert_clean(src, R);
    }

    #[test]
    fn nested_sync_code_run_in_a_thread_is_not_reported() {
        let src = "import asyncio, subprocess\nasync def f(c):\n    def build():\n        return subprocess.run(c, check=True)\n    await asyncio.to_thread(build)\n    await asyncio.get_running_loop().run_in_executor(None, lambda: subprocess.call(c))\n";
        assert_clean(src, R);
    }

    #[test]
    fn a_local_name_that_shadows_the_import_is_not_the_module() {
        for src in [
            "import subprocess\nasync def f(subprocess, c):\n    subprocess.run(c)\n",
            "from subprocess import run\nasync def f(runner, c):\n    match runner:\n        case run:\n            run(c)\n",
            "import os\nasync def f(fake_os, c):\n    os = fake_os\n    os.system(c)\n",
        ] {
            assert_clean(src, R);
        }
    }

    #[test]
    fn waiting_calls_warn_with_the_coroutine_and_remedy() {
        tier(
            "import os\nasync def deploy(name):\n    os.system(f'tool {name}')\n",
            Severity::Warning,
            "`os.system(f'tool {name}')` in `async def deploy`, which the event loop runs: every task stalls until \
             the child exits, not only this one; use `await asyncio.create_subprocess_shell(...)`",
        );
        tier(
            "import subprocess\nasync def kill(pid):\n    subprocess.run(['taskkill', '/F', '/PID', str(pid)])\n",
            Severity::Warning,
            "use `await asyncio.create_subprocess_exec(...)`",
        );
        tier("import os\nasync def reap(pid):\n    os.waitpid(pid, 0)\n", Severity::Warning, "`await proc.wait()`");
    }

    #[test]
    fn starting_a_child_warns_only_where_this_coroutine_waits_on_it() {
        tier(
            "import subprocess\nasync def f(c):\n    p = subprocess.Popen(c, stdout=subprocess.PIPE)\n    out, _ = p.communicate()\n",
            Severity::Warning,
            "`subprocess.Popen(c, stdout=subprocess.PIPE)`, then `p.communicate()` (line 4) waits for the child in \
             `async def f`, which the event loop runs: every task stalls until the child exits",
        );
        tier(
            "import subprocess\nasync def f(c):\n    with subprocess.Popen(c) as p:\n        pass\n",
            Severity::Warning,
            "leaving its `with` block (line 4) waits for the child",
        );
        tier(
            "import os\nasync def f(c):\n    return os.popen(c).read()\n",
            Severity::Warning,
            "`os.popen(c)`, then `.read()` waits for the child in `async def f`",
        );
        tier(
            "import subprocess\nasync def f(c):\n    p = subprocess.Popen(c, stdout=subprocess.PIPE)\n    for line in p.stdout:\n        print(line)\n",
            Severity::Warning,
            "reading `p.stdout` (line 4) waits for the child's output",
        );
        // Started and handed on, or waited on in a worker thread: nothing here blocks on it.
        for src in [
            "import subprocess\nclass S:\n    async def start(self, c):\n        self.proc = subprocess.Popen(c)\n",
            "import asyncio, subprocess\nasync def f(c):\n    p = subprocess.Popen(c)\n    await asyncio.to_thread(lambda: p.wait())\n",
            "import os\nasync def f(c):\n    pid = os.posix_spawn(c, [c], {})\n",
            "import os\nasync def f(c):\n    os.spawnl(os.P_NOWAIT, c, c)\n",
        ] {
            tier(src, Severity::Hint, "starts a child without waiting for it");
        }
    }

    #[test]
    fn test_code_and_the_entry_coroutine_get_a_hint_unless_work_runs_alongside() {
        tier(
            "import asyncio, subprocess, sys\nasync def main():\n    subprocess.run([sys.executable, '--version'])\nasyncio.run(main())\n",
            Severity::Hint,
            "in `async def main`, the program's entry coroutine (`asyncio.run(main())`, line 4), where the event \
             loop stalls until the child exits; no task or server was started before it, so nothing visibly \
             waits; `await asyncio.create_subprocess_exec(...)` would let background work run",
        );
        tier(
            "import subprocess, pytest\nasync def test_cli(tmp_path):\n    subprocess.run(['tool', str(tmp_path)], check=True)\n",
            Severity::Hint,
            "in test code (`async def test_cli`), where the event loop stalls until the child exits; the test \
             started no task or server before it",
        );
        tier(
            "import asyncio, subprocess, pytest\nasync def test_client(serve):\n    server = asyncio.create_task(serve())\n    subprocess.run(['curl', 'http://127.0.0.1:8080'])\n",
            Severity::Warning,
            "`asyncio.create_task(serve())` (line 3) started a task that cannot run meanwhile",
        );
    }

    #[test]
    fn a_test_runner_is_not_test_code() {
        // Meson's `mtest.py`: `TestRun` classes run tests; their coroutines run beside each other.
        let src = "import subprocess\nclass TestRun:\n    async def _kill(self, p):\n        subprocess.run(['taskkill', '/F', '/T', '/PID', str(p.pid)])\n";
        tier(src, Severity::Warning, "in `async def _kill`, which the event loop runs");
    }

    #[test]
    fn deliberate_blocking_and_code_that_never_runs_are_not_reported() {
        for src in [
            "import subprocess\nasync def f(c):\n    subprocess.run(c)  # blocks the loop on purpose: nothing else may run during the upgrade\n",
            "import subprocess\nfrom typing import TYPE_CHECKING\nasync def f(c):\n    if TYPE_CHECKING:\n        subprocess.run(c)\n",
        ] {
            assert_clean(src, R);
        }
    }

    #[test]
    fn trio_and_anyio_code_gets_run_process() {
        tier(
            "import subprocess, trio\nasync def f(c):\n    subprocess.run(c)\n",
            Severity::Warning,
            "use `await trio.run_process(...)`",
        );
        tier(
            "import subprocess, anyio\nasync def f(c):\n    subprocess.check_output(c)\n",
            Severity::Warning,
            "use `await anyio.run_process(...)`",
        );
    }

    #[test]
    fn fix_moves_run_to_thread() {
        let src = "import subprocess\nimport sys\n\nasync def v():\n    done = subprocess.run(\n        [sys.executable, '-c', 'print(42)'],\n        capture_output=True, text=True,\n    )\n    return done.stdout\n";
        let result = assert_fix_keeps_output(src, R, "import asyncio\nprint(asyncio.run(v()))\n");
        assert_eq!(
            result,
            "import subprocess\nimport sys\nimport asyncio\n\nasync def v():\n    done = await asyncio.to_thread(subprocess.run, [sys.executable, '-c', 'print(42)'], capture_output=True, text=True)\n    return done.stdout\n"
        );
        assert_eq!(findings(src, R)[0].fix.as_ref().map(|f| f.applicability), Some(Applicability::Unsafe));
        let src = "import asyncio as aio, os\nasync def f(pid):\n    _, status = os.waitpid(pid, 0)\n";
        assert_eq!(
            fixed(src, R),
            "import asyncio as aio, os\nasync def f(pid):\n    _, status = await aio.to_thread(os.waitpid, pid, 0)\n"
        );
    }

    #[test]
    fn no_fix_for_handles() {
        for src in [
            "import subprocess\nasync def f(c):\n    p = subprocess.Popen(c)\n",
            "import os\nasync def f(c):\n    out = os.popen(c).read()\n",
        ] {
            let found = findings(src, R);
            assert_eq!(found.len(), 1, "{src}");
            assert!(found[0].fix.is_none(), "{src}");
        }
    }

    #[test]
    fn half_typed_code_does_not_panic() {
        for src in [
            "import subprocess\nasync def f():\n    subprocess.run(",
            "import os\nasync def f():\n    os.",
            "async def f():\n    subprocess.run([)",
            "import os\nasync def f():\n    os.spawnl(",
            "import subprocess\nasync def f():\n    p = subprocess.Popen(\n    p.",
        ] {
            let _ = findings(src, R);
        }
    }

    #[test]
    fn card_examples() {
        assert_card_examples(R);
    }
}
