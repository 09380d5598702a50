//! `blocking-subprocess-in-async` (peers: Ruff ASYNC220 create, ASYNC221 run, ASYNC222 wait). A
//! coroutine that runs a child process with `subprocess` or `os` blocks the event loop until the
//! child exits (or, for `Popen`/`os.popen`, until the returned handle is waited on or read).
//!
//! Detects `subprocess.{run,call,check_call,check_output,Popen,getoutput,getstatusoutput}`,
//! `os.system`, `os.popen`, `os.wait*`, `os.spawn*` and `os.posix_spawn[p]`. Not `os.exec*`, which
//! replaces the process rather than waiting (Ruff does not flag it either). Fix (unsafe), except
//! for `Popen`/`os.popen` whose handle would still block later:
//! `await asyncio.to_thread(subprocess.run, [...], check=True)`.

use ruff_python_ast::{Expr, ExprCall};
use ruff_text_size::Ranged;

use super::helpers::async_blocking::{coroutine_name, to_thread_fix};
use super::helpers::messages::shown_call;
use crate::analysis::checker::Checker;
use crate::analysis::finding::Finding;
use crate::analysis::rule::Rule;
use crate::analysis::semantic::qualified;

const RUN: &[&str] = &[
    "subprocess.run",
    "subprocess.call",
    "subprocess.check_call",
    "subprocess.check_output",
    "subprocess.getoutput",
    "subprocess.getstatusoutput",
    "os.system",
    "os.posix_spawn",
    "os.posix_spawnp",
];

/// Return a handle at once; the blocking happens when it is waited on or read.
const CREATE: &[&str] = &["subprocess.Popen", "os.popen"];

const WAIT: &[&str] = &["os.wait", "os.waitpid", "os.wait3", "os.wait4", "os.waitid"];

const SPAWN: &[&str] = &["spawnl", "spawnle", "spawnlp", "spawnlpe", "spawnv", "spawnve", "spawnvp", "spawnvpe"];

pub(crate) fn check<'a>(checker: &mut Checker<'a>, expr: &'a Expr, call: &'a ExprCall) {
    if !checker.enabled(Rule::BlockingSubprocessInAsync) {
        return;
    }
    let Some(name) = checker.resolve(&call.func) else { return };
    let is_spawn = matches!(name.segments(), ["os", f] if SPAWN.contains(f));
    let is_create = qualified::which(&name, CREATE).is_some();
    let is_wait = qualified::which(&name, WAIT).is_some();
    if !(is_spawn || is_create || is_wait || qualified::which(&name, RUN).is_some()) {
        return;
    }
    let shown = shown_call(checker, call);
    let coroutine = coroutine_name(checker);
    let remedy = match name.segments() {
        ["os", "system" | "popen"] | ["subprocess", "getoutput" | "getstatusoutput"] => {
            "`await asyncio.create_subprocess_shell(...)`"
        }
        _ if is_wait => "`await proc.wait()` on an asyncio subprocess",
        _ => "`await asyncio.create_subprocess_exec(...)`",
    };
    let message = if is_create {
        format!(
            "{shown} in {coroutine} starts a child whose pipes and exit are then waited on synchronously, \
             blocking the event loop; use {remedy}"
        )
    } else if is_wait {
        format!("{shown} blocks the event loop in {coroutine} until a child process exits; use {remedy}")
    } else {
        format!("{shown} blocks the event loop in {coroutine} until the child process exits; use {remedy}")
    };
    let fix = if is_create { None } else { to_thread_fix(checker, expr, call) };
    checker.report(Finding::new(Rule::BlockingSubprocessInAsync, call.func.range(), message).with_fix(fix));
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use crate::analysis::finding::Applicability;
    use crate::analysis::rule::Rule::BlockingSubprocessInAsync as R;

    #[test]
    fn flags_run_create_and_wait() {
        let src = "import subprocess, os\nasync def f(c):\n    subprocess.run(c)\n    subprocess.check_output(c)\n    subprocess.getoutput(c)\n    subprocess.Popen(c).wait()\n    os.system(c)\n    os.popen(c)\n    os.waitpid(1, 0)\n    os.wait()\n    os.spawnlp(os.P_WAIT, c)\n    os.posix_spawn(c, [], {})\n";
        assert_count(src, R, 10);
        assert_count("from subprocess import check_call as cc\nasync def f(c):\n    cc(c)\n", R, 1);
    }

    #[test]
    fn ignores_sync_code_asyncio_subprocesses_and_exec() {
        assert_clean("import subprocess\ndef f(c):\n    subprocess.run(c)\n", R);
        let src = "import asyncio, os, subprocess\nasync def f(c):\n    p = await asyncio.create_subprocess_exec(c)\n    await p.wait()\n    os.execv(c, [])\n    await asyncio.to_thread(subprocess.run, c)\n";
        assert_clean(src, R);
    }

    #[test]
    fn message_names_call_coroutine_and_remedy() {
        let msg = message("import os\nasync def deploy(name):\n    os.system(f'tool {name}')\n", R);
        assert!(
            msg.starts_with("`os.system(f'tool {name}')` blocks the event loop in `deploy`")
                && msg.contains("create_subprocess_shell"),
            "{msg}"
        );
        let msg = message("import subprocess\nasync def f(c):\n    subprocess.Popen(c)\n", R);
        assert!(msg.contains("create_subprocess_exec"), "{msg}");
    }

    #[test]
    fn fix_moves_run_to_thread() {
        let src = "import subprocess\nimport sys\n\nasync def v():\n    done = subprocess.run(\n        [sys.executable, '--version'],\n        capture_output=True,\n    )\n";
        assert_eq!(
            fixed(src, R),
            "import subprocess\nimport sys\nimport asyncio\n\nasync def v():\n    done = await asyncio.to_thread(subprocess.run, [sys.executable, '--version'], capture_output=True)\n"
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
        ] {
            let _ = findings(src, R);
        }
    }

    #[test]
    fn card_examples() {
        assert_card_examples(R);
    }
}
