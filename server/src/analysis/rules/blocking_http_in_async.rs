//! `blocking-http-in-async` (peers: Ruff ASYNC210, and ASYNC212 for `httpx.Client` methods). A
//! synchronous HTTP call in a coroutine holds the event loop for DNS, connect, TLS and the whole
//! response: no other task runs meanwhile.
//!
//! Detects `requests`/`httpx` module-level verbs, `urllib.request.urlopen`, `urllib3.request`, and
//! methods called on a `requests.Session`, `httpx.Client` or `urllib3` pool: built in place
//! (`requests.Session().get`), assigned or `with`-bound to a name, or a parameter annotated with the
//! class. A name bound locally (a parameter `requests`, a `case get:` capture) is not the library.
//!
//! Tiers (see `helpers::async_blocking`):
//! - warning in a coroutine awaited by code we cannot see, and wherever the body started a task
//!   or server before the call; the message names the coroutine or that call. A network round
//!   trip is slow by nature (milliseconds at best, the whole timeout at worst), so no further
//!   evidence is needed.
//! - hint in test code and in the program's entry coroutine when nothing was started alongside: a
//!   test or a script that makes one request at a time stalls nobody; the message says so.
//! - nothing under `if TYPE_CHECKING:` or where a comment says the blocking is meant.
//!
//! Fix (unsafe: a shared session is now used from worker threads):
//! `await asyncio.to_thread(requests.get, url, timeout=5)`; under trio or anyio,
//! `await trio.to_thread.run_sync(requests.get, url)` when the call has no keyword arguments.

use ruff_python_ast::{Expr, ExprCall};
use ruff_text_size::Ranged;

use super::helpers::async_blocking::{Library, annotated_as, constructed_by, deferred_call, place, to_thread_fix};
use super::helpers::messages::shown_call;
use crate::analysis::checker::Checker;
use crate::analysis::finding::Finding;
use crate::analysis::rule::Rule;
use crate::analysis::semantic::{NodeId, qualified};

const VERBS: &[&str] = &["get", "post", "put", "patch", "delete", "head", "options", "request"];

const FUNCTIONS: &[&str] = &["urllib.request.urlopen", "urllib3.request"];

/// Client classes (and factories), and the methods that perform I/O on them.
const CLIENTS: &[(&[&str], &[&str])] = &[
    (
        &["requests.Session", "requests.session", "requests.sessions.Session"],
        &["get", "post", "put", "patch", "delete", "head", "options", "request", "send"],
    ),
    (
        &["httpx.Client"],
        &["get", "post", "put", "patch", "delete", "head", "options", "request", "send", "stream", "close"],
    ),
    (
        &[
            "urllib3.PoolManager",
            "urllib3.ProxyManager",
            "urllib3.HTTPConnectionPool",
            "urllib3.HTTPSConnectionPool",
            "urllib3.connection_from_url",
            "urllib3.proxy_from_url",
        ],
        &["request", "urlopen", "request_encode_url", "request_encode_body"],
    ),
];

/// During the walk: a blocking HTTP call in a coroutine is looked at again on the finished model.
pub(crate) fn check(checker: &mut Checker, call: &ExprCall) {
    if is_blocking_http(checker, call)
        && let Some(node) = checker.node_id()
    {
        checker.defer(Rule::BlockingHttpInAsync, node);
    }
}

/// After the walk, at the call.
pub(crate) fn report(checker: &mut Checker, node: NodeId) {
    let Some((expr, call)) = deferred_call(checker, node) else { return };
    let Some(place) = place(checker, call) else { return };
    let library = Library::of(checker);
    let clients = if library == Library::Asyncio { "`httpx.AsyncClient`, `aiohttp`" } else { "`httpx.AsyncClient`" };
    let remedy = if place.loop_is_idle() {
        format!("an async client ({clients}) would let background work run")
    } else {
        format!("use an async client ({clients}) or `await {}(...)`", library.to_thread())
    };
    let message = format!(
        "{} {}; {remedy}",
        shown_call(checker, call),
        place.consequence("for the whole request (DNS, connect, response)")
    );
    let fix = to_thread_fix(checker, expr, call);
    let finding = Finding::new(Rule::BlockingHttpInAsync, call.func.range(), message).with_severity(place.severity());
    checker.report(finding.with_fix(fix));
}

fn is_blocking_http(checker: &Checker, call: &ExprCall) -> bool {
    if let Some(name) = checker.resolve(&call.func) {
        if qualified::which(&name, FUNCTIONS).is_some() {
            return true;
        }
        if let [module @ ("requests" | "httpx"), verb] = name.segments() {
            return VERBS.contains(verb) || (*module == "httpx" && *verb == "stream");
        }
    }
    let Expr::Attribute(attr) = &*call.func else { return false };
    let method = attr.attr.as_str();
    let constructor = constructed_by(checker, &attr.value);
    CLIENTS.iter().any(|(classes, methods)| {
        methods.contains(&method)
            && (constructor.as_ref().is_some_and(|c| qualified::which(c, classes).is_some())
                || annotated_as(checker, &attr.value, classes))
    })
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use crate::analysis::finding::{Applicability, Severity};
    use crate::analysis::rule::Rule::BlockingHttpInAsync as R;

    #[track_caller]
    fn tier(src: &str, severity: Severity, text: &str) {
        assert_tier(src, R, severity, text);
    }

    #[test]
    fn flags_module_level_clients() {
        let src = "import requests, httpx, urllib3\nimport urllib.request\nfrom urllib.request import urlopen\nasync def f(u):\n    requests.get(u)\n    requests.request('GET', u)\n    httpx.post(u)\n    httpx.stream('GET', u)\n    urllib.request.urlopen(u)\n    urlopen(u)\n    urllib3.request('GET', u)\n";
        assert_count(src, R, 7);
    }

    #[test]
    fn flags_session_and_client_methods() {
        let src = "import requests, httpx, urllib3\nasync def f(u, c: httpx.Client, o: requests.Session | None):\n    s = requests.Session()\n    s.get(u)\n    with httpx.Client() as h:\n        h.post(u)\n    c.stream('GET', u)\n    o.send(r)\n    requests.Session().put(u)\n    pm = urllib3.PoolManager()\n    pm.request('GET', u)\n";
        assert_count(src, R, 6);
    }

    #[test]
    fn ignores_sync_code_async_clients_and_non_io_methods() {
        assert_clean("import requests\ndef f(u):\n    requests.get(u)\n", R);
        assert_clean(
            "import httpx\nasync def f(u):\n    async with httpx.AsyncClient() as c:\n        await c.get(u)\n",
            R,
        );
        assert_clean(
            "import requests\nasync def f(u):\n    s = requests.Session()\n    s.mount('x', a)\n    r = s.build_request()\n",
            R,
        );
        assert_clean("async def f(s, u):\n    s.get(u)\n", R);
        assert_clean("import requests\nasync def f(u):\n    requests.codes.ok\n    requests.Request('GET', u)\n", R);
    }

    #[test]
    fn a_local_name_that_shadows_the_import_is_not_the_client() {
        for src in [
            "import requests\nasync def f(requests, u):\n    requests.get(u)\n",
            "from requests import get\nasync def f(route, u):\n    match route:\n        case get:\n            get(u)\n",
            "import requests\nasync def f(make, u):\n    requests = make()\n    await requests.get(u)\n",
            "import requests\ndef outer(requests):\n    async def f(u):\n        return requests.get(u)\n    return f\n",
            "import urllib.request as request\nasync def f(request):\n    request.urlopen('x')\n",
        ] {
            assert_clean(src, R);
        }
    }

    #[test]
    fn nested_sync_code_run_in_a_thread_is_not_reported() {
        for src in [
            "import asyncio, requests\nasync def f(u, loop):\n    await asyncio.to_thread(requests.get, u, timeout=5)\n    await loop.run_in_executor(None, requests.get, u)\n",
            "import asyncio, requests\nasync def f(u):\n    def fetch():\n        return requests.get(u, timeout=5).json()\n    return await asyncio.to_thread(fetch)\n",
            "import requests\nasync def f(u, loop):\n    return await loop.run_in_executor(None, lambda: requests.get(u))\n",
        ] {
            assert_clean(src, R);
        }
    }

    #[test]
    fn warning_names_the_coroutine_and_the_stall() {
        tier(
            "import requests\nasync def handler(url):\n    return requests.get(url, timeout=5)\n",
            Severity::Warning,
            "`requests.get(url, timeout=5)` in `async def handler`, which the event loop runs: every task stalls \
             for the whole request (DNS, connect, response), not only this one; use an async client \
             (`httpx.AsyncClient`, `aiohttp`) or `await asyncio.to_thread(...)`",
        );
    }

    #[test]
    fn test_code_and_the_entry_coroutine_get_a_hint_unless_work_runs_alongside() {
        tier(
            "import pytest, requests\nasync def test_health(live_server):\n    assert requests.get(live_server.url).ok\n",
            Severity::Hint,
            "in test code (`async def test_health`), where the event loop stalls for the whole request",
        );
        tier(
            "import asyncio, requests\nasync def main(url):\n    print(requests.get(url, timeout=5).status_code)\nasyncio.run(main('http://x'))\n",
            Severity::Hint,
            "the program's entry coroutine (`asyncio.run(main('http://x'))`, line 4)",
        );
        // A request to a server on the same loop cannot be answered while the loop is blocked.
        tier(
            "import asyncio, requests, pytest\nasync def test_echo(handle):\n    server = await asyncio.start_server(handle, '127.0.0.1', 8080)\n    requests.get('http://127.0.0.1:8080/', timeout=1)\n",
            Severity::Warning,
            "`asyncio.start_server(handle, '127.0.0.1', 8080)` (line 3) started a server that cannot answer \
             meanwhile",
        );
    }

    #[test]
    fn deliberate_blocking_and_code_that_never_runs_are_not_reported() {
        for src in [
            "import requests\nasync def f(u):\n    # deliberately blocking: this coroutine runs on its own loop in a thread\n    return requests.get(u)\n",
            "import typing, requests\nasync def f(u):\n    if typing.TYPE_CHECKING:\n        requests.get(u)\n",
        ] {
            assert_clean(src, R);
        }
    }

    #[test]
    fn trio_code_gets_trio_remedies() {
        tier(
            "import requests, trio\nasync def f(u):\n    requests.get(u)\n",
            Severity::Warning,
            "use an async client (`httpx.AsyncClient`) or `await trio.to_thread.run_sync(...)`",
        );
        let src = "import requests, trio\nasync def f(u):\n    return requests.get(u)\n";
        assert_eq!(
            fixed(src, R),
            "import requests, trio\nimport trio.to_thread\nasync def f(u):\n    return await trio.to_thread.run_sync(requests.get, u)\n"
        );
        let src = "import requests\nfrom anyio import to_thread\nasync def f(u):\n    return requests.get(u)\n";
        assert_eq!(
            fixed(src, R),
            "import requests\nfrom anyio import to_thread\nasync def f(u):\n    return await to_thread.run_sync(requests.get, u)\n"
        );
        // `run_sync` passes no keyword arguments on.
        let found = findings("import requests, trio\nasync def f(u):\n    requests.get(u, timeout=5)\n", R);
        assert!(found[0].fix.is_none());
    }

    #[test]
    fn fix_moves_call_to_thread() {
        let src = "import requests\n\nasync def f(url):\n    r = requests.get(url, timeout=5)\n";
        assert_eq!(
            fixed(src, R),
            "import requests\nimport asyncio\n\nasync def f(url):\n    r = await asyncio.to_thread(requests.get, url, timeout=5)\n"
        );
        assert_eq!(findings(src, R)[0].fix.as_ref().map(|f| f.applicability), Some(Applicability::Unsafe));
        let src =
            "import asyncio, requests\nasync def f(url, *a, **k):\n    return requests.get(url, *a, **k).json()\n";
        assert_eq!(
            fixed(src, R),
            "import asyncio, requests\nasync def f(url, *a, **k):\n    return (await asyncio.to_thread(requests.get, url, *a, **k)).json()\n"
        );
        let src = "from asyncio import to_thread\nimport requests\nasync def f(s: requests.Session):\n    s.post(u, json=(x for x in y))\n    s.post(x for x in y)\n";
        assert_eq!(
            fixed(src, R),
            "from asyncio import to_thread\nimport requests\nasync def f(s: requests.Session):\n    await to_thread(s.post, u, json=(x for x in y))\n    s.post(x for x in y)\n"
        );
    }

    #[test]
    fn fix_keeps_the_response() {
        // A `data:` URL needs no network; the fixed code reads the same bytes in a worker thread.
        let src = "import asyncio\nimport urllib.request\nasync def f(u):\n    with urllib.request.urlopen(u, timeout=5) as resp:\n        return resp.read()\n";
        let result = assert_fix_keeps_output(src, R, "print(asyncio.run(f('data:,hello')))\n");
        assert_eq!(
            result,
            "import asyncio\nimport urllib.request\nasync def f(u):\n    with await asyncio.to_thread(urllib.request.urlopen, u, timeout=5) as resp:\n        return resp.read()\n"
        );
    }

    #[test]
    fn fix_parenthesises_bare_generator_argument() {
        let src = "import asyncio, requests\nasync def f():\n    requests.post(x for x in y)\n";
        assert_eq!(
            fixed(src, R),
            "import asyncio, requests\nasync def f():\n    await asyncio.to_thread(requests.post, (x for x in y))\n"
        );
    }

    #[test]
    fn no_fix_when_awaited_commented_or_in_generator() {
        for src in [
            "import requests\nasync def f(u):\n    await requests.get(u)\n",
            "import requests\nasync def f(u):\n    requests.get(\n        u,  # the url\n    )\n",
            "import requests\nasync def f(us):\n    return list(requests.get(u) for u in us)\n",
        ] {
            let found = findings(src, R);
            assert_eq!(found.len(), 1, "{src}");
            assert!(found[0].fix.is_none(), "{src}");
        }
    }

    #[test]
    fn half_typed_code_does_not_panic() {
        for src in [
            "import requests\nasync def f():\n    requests.get(",
            "import requests\nasync def f():\n    s = requests.Session()\n    s.",
            "async def f():\n    .get()",
        ] {
            let _ = findings(src, R);
        }
    }

    #[test]
    fn card_examples() {
        assert_card_examples(R);
    }
}
