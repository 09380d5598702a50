//! `blocking-http-in-async` (peers: Ruff ASYNC210, and ASYNC212 for `httpx.Client` methods). A
//! synchronous HTTP call in a coroutine holds the event loop for DNS, connect, TLS and the whole
//! response: no other task runs meanwhile.
//!
//! Detects `requests`/`httpx` module-level verbs, `urllib.request.urlopen`, `urllib3.request`, and
//! methods called on a `requests.Session`, `httpx.Client` or `urllib3` pool: built in place
//! (`requests.Session().get`), assigned or `with`-bound to a name, or a parameter annotated with the
//! class. Fix (unsafe: a shared session is now used from worker threads):
//! `await asyncio.to_thread(requests.get, url, timeout=5)`.

use ruff_python_ast::{Expr, ExprCall};
use ruff_text_size::Ranged;

use super::helpers::async_blocking::{annotated_as, constructed_by, coroutine_name, to_thread_fix};
use super::helpers::messages::shown_call;
use crate::analysis::checker::Checker;
use crate::analysis::finding::Finding;
use crate::analysis::rule::Rule;
use crate::analysis::semantic::qualified;

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

pub(crate) fn check<'a>(checker: &mut Checker<'a>, expr: &'a Expr, call: &'a ExprCall) {
    if !checker.enabled(Rule::BlockingHttpInAsync) || !is_blocking_http(checker, call) {
        return;
    }
    let message = format!(
        "{} blocks the event loop for the whole request: no other task runs until it returns; use an async client \
         (`httpx.AsyncClient`, `aiohttp`) or `await asyncio.to_thread(...)` in {}",
        shown_call(checker, call),
        coroutine_name(checker)
    );
    let fix = to_thread_fix(checker, expr, call);
    checker.report(Finding::new(Rule::BlockingHttpInAsync, call.func.range(), message).with_fix(fix));
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
    use crate::analysis::finding::Applicability;
    use crate::analysis::rule::Rule::BlockingHttpInAsync as R;

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
    fn function_passed_to_a_thread_is_not_a_call() {
        let src = "import asyncio, requests\nasync def f(u, loop):\n    await asyncio.to_thread(requests.get, u, timeout=5)\n    await loop.run_in_executor(None, requests.get, u)\n";
        assert_clean(src, R);
    }

    #[test]
    fn message_names_call_and_coroutine() {
        let msg = message("import requests\nasync def handler(url):\n    return requests.get(url, timeout=5)\n", R);
        assert!(
            msg.starts_with("`requests.get(url, timeout=5)` blocks the event loop") && msg.contains("`handler`"),
            "{msg}"
        );
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
        let src = "import asyncio\nimport urllib.request\nasync def f(u):\n    with urllib.request.urlopen(u, timeout=5) as resp:\n        return resp.status\n";
        assert_eq!(
            fixed(src, R),
            "import asyncio\nimport urllib.request\nasync def f(u):\n    with await asyncio.to_thread(urllib.request.urlopen, u, timeout=5) as resp:\n        return resp.status\n"
        );
        let src = "from asyncio import to_thread\nimport requests\nasync def f(s: requests.Session):\n    s.post(u, json=(x for x in y))\n    s.post(x for x in y)\n";
        assert_eq!(
            fixed(src, R),
            "from asyncio import to_thread\nimport requests\nasync def f(s: requests.Session):\n    await to_thread(s.post, u, json=(x for x in y))\n    s.post(x for x in y)\n"
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
