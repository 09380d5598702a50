//! `blocking-sleep-in-async` (peer: Ruff ASYNC251). `time.sleep` in a coroutine parks the event
//! loop's thread, so every task waits, not only this one.
//!
//! Tiers (see `helpers::async_blocking` for how the place is read):
//! - warning in a coroutine awaited by code we cannot see (the loop may run anything beside it),
//!   and wherever the body started a task or server before the sleep (it cannot run during it);
//!   the message names the coroutine or the starting call.
//! - hint in test code and in the program's entry coroutine (`asyncio.run(main())`) when nothing
//!   was started alongside: the sleep costs only its own time there, and the message says so; and
//!   for `time.sleep(0)`, which stalls nothing but does not yield either (only `await` does).
//! - nothing under `if TYPE_CHECKING:`, or where a comment at the call says the blocking is meant
//!   (tests of timeouts and slow-callback detection: "pretend the loop is busy").
//!
//! Test code gets the hint tier, not silence: a test that sleeps while a background task or a
//! server it started should make progress is a real bug, and the warning names that task.
//!
//! Fix (unsafe: other tasks now interleave during the wait): `await asyncio.sleep(...)`, or
//! `trio.sleep`/`anyio.sleep` when the module imports that library. `await time.sleep(...)`
//! (already a `TypeError`) only gets its callee replaced.

use ruff_python_ast::{Expr, ExprCall};
use ruff_text_size::Ranged;

use super::helpers::async_blocking::{
    Library, await_not_allowed, awaited_text, deferred_call, import_callable, is_awaited, place,
};
use super::helpers::messages::shown_call;
use crate::analysis::checker::Checker;
use crate::analysis::finding::{Edit, Finding, Fix, Severity};
use crate::analysis::rule::Rule;
use crate::analysis::semantic::NodeId;

/// During the walk: a call to `time.sleep` in a coroutine is looked at again on the finished model.
pub(crate) fn check(checker: &mut Checker, call: &ExprCall) {
    if checker.resolves_to(&call.func, "time.sleep")
        && let Some(node) = checker.node_id()
    {
        checker.defer(Rule::BlockingSleepInAsync, node);
    }
}

/// After the walk, at the call.
pub(crate) fn report(checker: &mut Checker, node: NodeId) {
    let Some((expr, call)) = deferred_call(checker, node) else { return };
    let Some(place) = place(checker, call) else { return };
    let library = Library::of(checker).module();
    let shown = shown_call(checker, call);
    let (message, severity) = match seconds(checker, call) {
        Some(0.0) => (
            format!(
                "{shown} in {} stalls nothing, but it does not give other tasks a turn either: only an `await` \
                 that suspends does; use `await {library}.sleep(0)` to yield to the event loop",
                place.name()
            ),
            Severity::Hint,
        ),
        seconds => {
            let stall = seconds.map_or_else(|| "for the whole sleep".to_string(), |s| format!("for {s} s"));
            let remedy = if place.loop_is_idle() {
                format!("`await {library}.sleep(...)` would let background work run")
            } else {
                format!("use `await {library}.sleep(...)`")
            };
            (format!("{shown} {}; {remedy}", place.consequence(&stall)), place.severity())
        }
    };
    let fix = sleep_fix(checker, expr, call, library);
    let finding = Finding::new(Rule::BlockingSleepInAsync, call.func.range(), message).with_severity(severity);
    checker.report(finding.with_fix(fix));
}

/// The delay when it is a number literal.
fn seconds(checker: &Checker, call: &ExprCall) -> Option<f64> {
    let [arg @ Expr::NumberLiteral(_)] = &*call.arguments.args else { return None };
    if !call.arguments.keywords.is_empty() {
        return None;
    }
    checker.source.slice(arg).replace('_', "").parse::<f64>().ok().filter(|s| s.is_finite() && *s >= 0.0)
}

fn sleep_fix(checker: &Checker, expr: &Expr, call: &ExprCall, library: &str) -> Option<Fix> {
    if checker.source.slice(&call.arguments).is_empty() {
        return None;
    }
    let (sleep, import) = import_callable(checker, library, "sleep")?;
    let title = format!("Use `await {sleep}(...)`");
    let edit = if is_awaited(checker) {
        Edit::replace(call.func.range(), sleep)
    } else if await_not_allowed(checker) {
        return None;
    } else {
        let text = format!("{sleep}{}", checker.source.slice(&call.arguments));
        Edit::replace(expr.range(), awaited_text(checker, expr, &text))
    };
    let mut edits = vec![edit];
    edits.extend(import);
    Fix::unsafe_(title, edits)
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use crate::analysis::finding::{Applicability, Severity};
    use crate::analysis::rule::Rule::BlockingSleepInAsync as R;

    /// The one finding on `src`: its severity, and a message containing `text`.
    #[track_caller]
    fn tier(src: &str, severity: Severity, text: &str) {
        assert_tier(src, R, severity, text);
    }

    #[test]
    fn flags_time_sleep_in_coroutines_only() {
        assert_count("import time\nasync def f():\n    time.sleep(1)\n", R, 1);
        assert_count("from time import sleep as nap\nasync def f():\n    nap(1)\n    [nap(0) for _ in x]\n", R, 2);
        assert_clean("import time\ndef f():\n    time.sleep(1)\n", R);
        assert_clean("import asyncio\nasync def f():\n    await asyncio.sleep(1)\n", R);
        assert_clean("def sleep(x): pass\nasync def f():\n    sleep(1)\n", R);
    }

    #[test]
    fn warning_names_the_coroutine_and_the_stall() {
        tier(
            "import time\nasync def poll():\n    time.sleep(0.5)\n",
            Severity::Warning,
            "`time.sleep(0.5)` in `async def poll`, which the event loop runs: every task stalls for 0.5 s, not \
             only this one; use `await asyncio.sleep(...)`",
        );
        tier("import time\nasync def poll(d):\n    time.sleep(d)\n", Severity::Warning, "stalls for the whole sleep");
        // Polling a flag another task sets: that task never runs, so the loop spins forever.
        tier(
            "import time\nclass W:\n    async def wait_ready(self):\n        while not self.ready:\n            time.sleep(0.1)\n",
            Severity::Warning,
            "`async def wait_ready`, which the event loop runs",
        );
    }

    #[test]
    fn nested_sync_code_run_in_a_thread_is_not_reported() {
        for src in [
            "import asyncio, time\nasync def f():\n    def work():\n        time.sleep(1)\n    await asyncio.to_thread(work)\n",
            "import time\nasync def f(loop):\n    await loop.run_in_executor(None, lambda: time.sleep(1))\n",
            "import asyncio, functools, time\nasync def f():\n    await asyncio.to_thread(functools.partial(time.sleep, 1))\n",
            "import asyncio, time\nasync def f(loop):\n    await asyncio.to_thread(time.sleep, 1)\n    await loop.run_in_executor(None, time.sleep, 1)\n",
        ] {
            assert_clean(src, R);
        }
    }

    #[test]
    fn a_local_name_that_shadows_the_import_is_not_time_sleep() {
        for src in [
            // `case sleep:` binds a local `sleep`.
            "from time import sleep\nasync def f(cmd):\n    match cmd:\n        case sleep:\n            sleep(1)\n",
            "from time import sleep\nasync def f(cmd):\n    match cmd:\n        case {'wait': sleep}:\n            sleep(1)\n",
            "import time\nasync def f(cmd):\n    match cmd:\n        case time:\n            time.sleep(1)\n",
            "import time\nasync def f(time):\n    time.sleep(1)\n",
            "from time import sleep\ndef outer(sleep):\n    async def f():\n        sleep(1)\n    return f\n",
            "from time import sleep\nasync def f(clock):\n    for sleep in clock.sleepers:\n        sleep(1)\n",
            "from time import sleep\nasync def f(clock):\n    with clock.patch() as sleep:\n        sleep(1)\n",
            "from time import sleep\nasync def f(clock):\n    if (sleep := clock.sleep):\n        sleep(1)\n",
            "import asyncio\nfrom time import sleep\nasync def f():\n    sleep = asyncio.sleep\n    await sleep(1)\n",
        ] {
            assert_clean(src, R);
        }
    }

    #[test]
    fn test_code_gets_a_hint_unless_it_started_work_alongside() {
        tier(
            "import time, pytest\nasync def test_expiry(cache):\n    cache.set('k', 1, ttl=0.1)\n    time.sleep(0.2)\n",
            Severity::Hint,
            "in test code (`async def test_expiry`), where the event loop stalls for 0.2 s; the test started no \
             task or server before it, so nothing visibly waits; `await asyncio.sleep(...)` would let background \
             work run",
        );
        // unittest, or module-level tests without an import, are test code too.
        tier(
            "import time, unittest\nclass T(unittest.IsolatedAsyncioTestCase):\n    async def test_x(self):\n        time.sleep(0.2)\n",
            Severity::Hint,
            "in test code",
        );
        tier("import time\nasync def test_x():\n    time.sleep(0.2)\n", Severity::Hint, "in test code");
        // A task started before the sleep cannot make progress during it.
        tier(
            "import asyncio, time, pytest\nasync def test_refresh(r):\n    task = asyncio.create_task(r.run())\n    time.sleep(0.2)\n    assert r.count\n",
            Severity::Warning,
            "`time.sleep(0.2)` in `async def test_refresh`, where the event loop stalls for 0.2 s: \
             `asyncio.create_task(r.run())` (line 3) started a task that cannot run meanwhile; use `await \
             asyncio.sleep(...)`",
        );
        tier(
            "import asyncio, time, pytest\nasync def test_x():\n    async with asyncio.TaskGroup() as tg:\n        tg.create_task(work())\n        time.sleep(1)\n",
            Severity::Warning,
            "`tg.create_task(work())` (line 4) started a task",
        );
        // A task group waits for its tasks when its block ends.
        tier(
            "import asyncio, time, pytest\nasync def test_x():\n    async with asyncio.TaskGroup() as tg:\n        tg.create_task(work())\n    time.sleep(1)\n",
            Severity::Hint,
            "the test started no task or server before it",
        );
        tier(
            "import asyncio, time, pytest\nasync def test_x(h):\n    server = await asyncio.start_server(h, '127.0.0.1', 0)\n    time.sleep(1)\n",
            Severity::Warning,
            "started a server that cannot answer meanwhile",
        );
    }

    #[test]
    fn the_entry_coroutine_gets_a_hint_unless_it_started_work_alongside() {
        tier(
            "import asyncio, time\nasync def main():\n    time.sleep(1)\n    print('done')\n\nif __name__ == '__main__':\n    asyncio.run(main())\n",
            Severity::Hint,
            "in `async def main`, the program's entry coroutine (`asyncio.run(main())`, line 7), where the event \
             loop stalls for 1 s; no task or server was started before it, so nothing visibly waits",
        );
        tier(
            "import time, trio\nasync def main():\n    time.sleep(1)\ntrio.run(main)\n",
            Severity::Hint,
            "(`trio.run(main)`, line 4)",
        );
        tier(
            "import asyncio, time\nasync def main(n):\n    time.sleep(n)\ndef cli():\n    loop = asyncio.new_event_loop()\n    loop.run_until_complete(main(1))\n",
            Severity::Hint,
            "entry coroutine (`loop.run_until_complete(main(1))`, line 6)",
        );
        tier(
            "import asyncio, time\nasync def main():\n    beat = asyncio.ensure_future(heartbeat())\n    time.sleep(1)\nasyncio.run(main())\n",
            Severity::Warning,
            "`asyncio.ensure_future(heartbeat())` (line 3) started a task that cannot run meanwhile",
        );
        // Only the coroutine handed to the loop is the entry; what it awaits runs beside anything.
        tier(
            "import asyncio, time\nasync def step():\n    time.sleep(1)\nasync def main():\n    await step()\nasyncio.run(main())\n",
            Severity::Warning,
            "which the event loop runs",
        );
    }

    #[test]
    fn deliberate_blocking_and_code_that_never_runs_are_not_reported() {
        for src in [
            // Tests of timeouts and of the loop's slow-callback detection block on purpose.
            "import asyncio, time\nasync def test_busy():\n    async with asyncio.timeout(0.01):\n        # Pretend the loop is busy for a while.\n        time.sleep(0.1)\n        await asyncio.sleep(1)\n",
            "import time\nasync def test_keepalive(sess):\n    await sess.get('/')\n    # wait for server keepalive_timeout\n    # time.sleep is a more challenging scenario than asyncio.sleep\n    time.sleep(0.5)\n",
            "import time\nasync def f():\n    time.sleep(0.1)  # block the loop on purpose: the watchdog must fire\n",
            "import time\nasync def f():\n    # simulate a sync call in a coroutine\n    time.sleep(0.1)\n",
            "import time\nfrom typing import TYPE_CHECKING\nasync def f():\n    if TYPE_CHECKING:\n        time.sleep(1)\n",
        ] {
            assert_clean(src, R);
        }
        // A TODO is not a decision; an unrelated comment above is not one either.
        tier("import time\nasync def f():\n    # TODO: stop blocking here\n    time.sleep(1)\n", Severity::Warning, "");
        tier(
            "import time\nasync def f():\n    # give the server time to start\n    time.sleep(1)\n",
            Severity::Warning,
            "",
        );
        tier("import time\nasync def f():\n    x = 1  # busy\n    time.sleep(1)\n", Severity::Warning, "");
        tier("import time\nasync def f():\n    # retry block\n    time.sleep(1)\n", Severity::Warning, "");
        tier("import time\nasync def f():\n    # should be asyncio.sleep\n    time.sleep(1)\n", Severity::Warning, "");
    }

    #[test]
    fn zero_sleep_is_a_hint_that_it_does_not_yield() {
        tier(
            "import time\nasync def spin():\n    time.sleep(0)\n",
            Severity::Hint,
            "stalls nothing, but it does not give other tasks a turn either",
        );
    }

    #[test]
    fn trio_and_anyio_code_is_reported_with_their_sleep() {
        tier(
            "import time, trio\nasync def f():\n    time.sleep(1)\n",
            Severity::Warning,
            "use `await trio.sleep(...)`",
        );
        tier(
            "import time, anyio\nasync def f():\n    time.sleep(1)\n",
            Severity::Warning,
            "use `await anyio.sleep(...)`",
        );
    }

    #[test]
    fn fix_awaits_asyncio_sleep() {
        let src = "import time\n\nasync def tick():\n    time.sleep(0.01)\n    return 'tick'\n";
        let result = assert_fix_keeps_output(src, R, "import asyncio\nprint(asyncio.run(tick()))\n");
        assert_eq!(
            result,
            "import time\nimport asyncio\n\nasync def tick():\n    await asyncio.sleep(0.01)\n    return 'tick'\n"
        );
        let found = findings(src, R);
        assert_eq!(found[0].fix.as_ref().map(|f| f.applicability), Some(Applicability::Unsafe));
        let src =
            "import asyncio as aio\nfrom time import sleep\nasync def f():\n    x = sleep(0) or 2\n    return x\n";
        let result = assert_fix_keeps_output(src, R, "print(aio.run(f()))\n");
        assert_eq!(
            result,
            "import asyncio as aio\nfrom time import sleep\nasync def f():\n    x = await aio.sleep(0) or 2\n    return x\n"
        );
    }

    #[test]
    fn fix_lets_other_tasks_interleave() {
        // The reason for the fix, and why it is unsafe: the order of other tasks' output changes.
        let src = "import asyncio, time\nasync def tick(name):\n    for _ in range(2):\n        time.sleep(0.01)\n        print(name)\n";
        let driver = "async def main():\n    await asyncio.gather(tick('a'), tick('b'))\nasyncio.run(main())\n";
        assert_eq!(run_python(&format!("{src}{driver}")).1, "a\na\nb\nb\n");
        assert_eq!(fixed_output(src, R, driver), "a\nb\na\nb\n");
    }

    #[test]
    fn fix_uses_trio_or_anyio_when_imported() {
        let src = "import time\nimport trio\nasync def f():\n    time.sleep(1)\n";
        assert_eq!(fixed(src, R), "import time\nimport trio\nasync def f():\n    await trio.sleep(1)\n");
        let src = "import time\ntry:\n    from anyio import sleep\nexcept ImportError:\n    pass\nasync def f():\n    time.sleep(1)\n";
        assert_eq!(
            fixed(src, R),
            "import time\ntry:\n    from anyio import sleep\nexcept ImportError:\n    pass\nasync def f():\n    await sleep(1)\n"
        );
    }

    #[test]
    fn fix_already_awaited_or_used_as_object() {
        let src = "import time, asyncio\nasync def f():\n    await time.sleep(1)\n";
        assert_eq!(fixed(src, R), "import time, asyncio\nasync def f():\n    await asyncio.sleep(1)\n");
        let src = "import time, asyncio\nasync def f():\n    time.sleep(1).x\n";
        assert_eq!(fixed(src, R), "import time, asyncio\nasync def f():\n    (await asyncio.sleep(1)).x\n");
    }

    #[test]
    fn no_fix_where_await_is_not_allowed_or_name_is_shadowed() {
        for src in [
            "import time\nasync def f():\n    any(time.sleep(1) for _ in x)\n",
            "import time\nasync def f():\n    class A:\n        x = time.sleep(1)\n",
            "import time\nasync def f(asyncio):\n    time.sleep(1)\n",
        ] {
            let found = findings(src, R);
            assert_eq!(found.len(), 1, "{src}");
            assert!(found[0].fix.is_none(), "{src}");
        }
    }

    #[test]
    fn half_typed_code_does_not_panic() {
        for src in [
            "import time\nasync def f():\n    time.sleep(",
            "import time\nasync def f():\n    await time.sleep",
            "async def (:\n    time.sleep(1)",
            "import time, asyncio\nasync def main():\n    time.sleep(1)\nasyncio.run(",
            "import time, asyncio\nasync def main():\n    time.sleep(1)\nasyncio.run(main",
        ] {
            let _ = findings(src, R);
        }
    }

    #[test]
    fn card_examples() {
        assert_card_examples(R);
    }
}
