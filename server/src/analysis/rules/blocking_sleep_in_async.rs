//! `blocking-sleep-in-async` (peer: Ruff ASYNC251). `time.sleep` in a coroutine parks the event
//! loop's thread, so every task waits, not only this one.
//!
//! Fix (unsafe: other tasks now interleave during the wait): `await asyncio.sleep(...)`, or
//! `trio.sleep`/`anyio.sleep` when the module imports that library. `await time.sleep(...)`
//! (already a `TypeError`) only gets its callee replaced.

use ruff_python_ast::{Expr, ExprCall, Stmt};
use ruff_text_size::Ranged;

use super::helpers::async_blocking::{await_not_allowed, awaited_text, coroutine_name, import_callable, is_awaited};
use super::helpers::messages::shown_call;
use crate::analysis::checker::Checker;
use crate::analysis::finding::{Edit, Finding, Fix};
use crate::analysis::rule::Rule;

pub(crate) fn check<'a>(checker: &mut Checker<'a>, expr: &'a Expr, call: &'a ExprCall) {
    if !checker.enabled(Rule::BlockingSleepInAsync) || !checker.resolves_to(&call.func, "time.sleep") {
        return;
    }
    let library = event_loop_library(checker);
    let message = format!(
        "{} blocks the event loop: every task stalls while {} sleeps; use `await {library}.sleep(...)`",
        shown_call(checker, call),
        coroutine_name(checker)
    );
    let fix = sleep_fix(checker, expr, call, library);
    checker.report(Finding::new(Rule::BlockingSleepInAsync, call.func.range(), message).with_fix(fix));
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

/// `anyio` or `trio` when the module imports it (their sleep works where asyncio's may not),
/// else `asyncio`.
fn event_loop_library(checker: &Checker) -> &'static str {
    let mut found = None;
    visit_imports(checker.module_body(), &mut |module| {
        let root = module.split('.').next().unwrap_or(module);
        match root {
            "anyio" => found = Some("anyio"),
            "trio" if found.is_none() => found = Some("trio"),
            _ => {}
        }
    });
    found.unwrap_or("asyncio")
}

/// Modules imported at module level, including inside top-level `if`/`try` blocks.
fn visit_imports(body: &[Stmt], f: &mut dyn FnMut(&str)) {
    for stmt in body {
        match stmt {
            Stmt::Import(import) => import.names.iter().for_each(|alias| f(alias.name.as_str())),
            Stmt::ImportFrom(import) if import.level == 0 => {
                if let Some(module) = &import.module {
                    f(module.as_str());
                }
            }
            Stmt::If(if_stmt) => {
                visit_imports(&if_stmt.body, f);
                if_stmt.elif_else_clauses.iter().for_each(|clause| visit_imports(&clause.body, f));
            }
            Stmt::Try(try_stmt) => {
                visit_imports(&try_stmt.body, f);
                try_stmt.handlers.iter().for_each(|handler| {
                    let ruff_python_ast::ExceptHandler::ExceptHandler(handler) = handler;
                    visit_imports(&handler.body, f);
                });
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use crate::analysis::finding::Applicability;
    use crate::analysis::rule::Rule::BlockingSleepInAsync as R;

    #[test]
    fn flags_time_sleep_in_coroutines_only() {
        assert_count("import time\nasync def f():\n    time.sleep(1)\n", R, 1);
        assert_count("from time import sleep as nap\nasync def f():\n    nap(1)\n    [nap(0) for _ in x]\n", R, 2);
        assert_clean("import time\ndef f():\n    time.sleep(1)\n", R);
        assert_clean(
            "import time\nasync def f():\n    def g():\n        time.sleep(1)\n    h = lambda: time.sleep(1)\n",
            R,
        );
        assert_clean("import asyncio\nasync def f():\n    await asyncio.sleep(1)\n", R);
        assert_clean("def sleep(x): pass\nasync def f():\n    sleep(1)\n", R);
    }

    #[test]
    fn function_passed_to_a_thread_is_not_a_call() {
        let src = "import asyncio, time\nasync def f(loop):\n    await asyncio.to_thread(time.sleep, 1)\n    await loop.run_in_executor(None, time.sleep, 1)\n";
        assert_clean(src, R);
    }

    #[test]
    fn message_names_call_and_coroutine() {
        let msg = message("import time\nasync def tick():\n    time.sleep(0.01)\n", R);
        assert!(msg.starts_with("`time.sleep(0.01)` blocks the event loop") && msg.contains("`tick`"), "{msg}");
    }

    #[test]
    fn fix_awaits_asyncio_sleep() {
        let src = "import time\n\nasync def tick():\n    time.sleep(0.01)\n";
        assert_eq!(fixed(src, R), "import time\nimport asyncio\n\nasync def tick():\n    await asyncio.sleep(0.01)\n");
        let found = findings(src, R);
        assert_eq!(found[0].fix.as_ref().map(|f| f.applicability), Some(Applicability::Unsafe));
        let src = "import asyncio as aio\nfrom time import sleep\nasync def f():\n    x = sleep(1) or 2\n";
        assert_eq!(
            fixed(src, R),
            "import asyncio as aio\nfrom time import sleep\nasync def f():\n    x = await aio.sleep(1) or 2\n"
        );
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
        ] {
            let _ = findings(src, R);
        }
    }

    #[test]
    fn card_examples() {
        assert_card_examples(R);
    }
}
