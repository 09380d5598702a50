#!/usr/bin/env python3
"""Soak test for `interview-lens serve`: many random edits on a large file, requests in between.

Drives the release server over stdio with the minimal client of lsp_bench.py and sends
--edits (10,000) random incremental edits to a generated --lines (5,000) line module: inserted
and deleted characters, lines copied from elsewhere, and broken code (unclosed brackets, half
`def`s, stray indentation, non-BMP characters). Edits come in bursts of 1 to 20 back to back;
after each burst one request: a hover (most), a quick-fix code action, every 500 edits a
`source.fixAll`, and every 100 edits the client waits for that version's diagnostics.

Prints, per 1,000 edits: p50/p95/p99/max of hover, code action and edit -> diagnostics
latency, and the server's RSS; then RSS at start and end. At the end the server's diagnostics
must equal `interview-lens check` on the client's copy of the text (no drift after thousands of
edits), every request must have been answered, and the server must shut down cleanly.
Exit code 1 on any problem. Not run in CI (it takes a few minutes).

Usage: python3 bench/lsp_soak.py [--edits 10000] [--lines 5000] [--seed 1] [--no-build]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import lsp_bench as lb  # noqa: E402  (the client and the generated Python live there)

BROKEN = [
    "(", ")", "[", "]", "{", "def ", "def f(:", "class :", "lambda", " is ", "if x\n", "\n    ",
    "\n        return", "'", '"""', "f'{", "🚀", "漢字", "\t", "except", ":\n", "\\", "@", "yield",
    "async def g(", "await", "x = [] * 2", " == None", "import", "\n", "    ", "#",
]  # fmt: skip


def utf16_len(s: str) -> int:
    return len(s.encode("utf-16-le")) // 2


def position(text: str, offset: int) -> dict:
    line = text.count("\n", 0, offset)
    start = text.rfind("\n", 0, offset) + 1
    return {"line": line, "character": utf16_len(text[start:offset])}


def random_edit(rnd: random.Random, text: str, original_len: int) -> tuple[int, int, str]:
    """(start, end, new text) in code points."""
    n = len(text)
    at = rnd.randrange(n + 1)
    r = rnd.random()
    if n > original_len * 1.1 or (r < 0.35 and n > 0):
        end = min(n, at + rnd.choice([1, 1, 1, 2, 5, 20, 80]))
        return at, end, ""
    if r < 0.55:
        return at, at, rnd.choice(BROKEN)
    if r < 0.8:
        # A line from elsewhere: keeps the file looking like code.
        src = rnd.randrange(n + 1)
        s = text.rfind("\n", 0, src) + 1
        e = text.find("\n", src)
        e = n if e < 0 else e + 1
        return at, at, text[s:e]
    return at, at, rnd.choice("abcdefxyz_0123 .,:=()[]")


def pcts(xs: list[float]) -> str:
    if not xs:
        return f"{'-':>7} {'-':>7} {'-':>7} {'-':>7}"
    return " ".join(f"{lb.pct(xs, p) * 1000:7.1f}" for p in (50, 95, 99)) + f" {max(xs) * 1000:7.1f}"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--edits", type=int, default=10000)
    ap.add_argument("--lines", type=int, default=5000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--no-build", action="store_true")
    ap.add_argument("--keep", action="store_true", help="keep the temp folder (final text, server log)")
    ap.add_argument("--binary", type=Path, help="soak this interview-lens binary (implies --no-build)")
    args = ap.parse_args()

    if args.binary:
        lb.BIN = args.binary.resolve()
    lb.build(args.no_build or args.binary is not None)
    rnd = random.Random(args.seed)
    tmp = tempfile.mkdtemp(prefix="il-soak-")
    problems: list[str] = []
    text = lb.generate(args.lines, "soak", 0, with_target=True)
    original_len = len(text)
    path = Path(tmp) / "soak_module.py"
    uri = path.as_uri()
    srv = lb.Server("interview-lens", [str(lb.BIN), "serve", "--stdio"], tmp, os.path.join(tmp, "server.log"))
    try:
        lb.initialize(srv, tmp, None)
        start = srv.diag_count(uri)
        srv.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "python", "version": 1,
                                                             "text": text}})
        srv.wait_diagnostics(uri, 1, start, timeout=60)
        rss_start, _ = srv.rss_kib()
        print(f"soak: {args.edits} random edits on a {args.lines}-line file ({len(text.encode()) / 1000:.0f} kB), "
              f"seed {args.seed}; server pid {srv.pid}, RSS after open {rss_start / 1024:.1f} MB")
        print(f"{'edits':>11} | {'hover ms p50/p95/p99/max':>31} | {'code action ms p50/p95/p99/max':>31} | "
              f"{'edit->diags ms p50/p95/p99/max':>31} | {'RSS MB':>6} {'errors':>6}")
        version = 1
        window: dict[str, list[float]] = {"hover": [], "action": [], "diags": []}
        errors = Counter()
        fix_alls = 0
        t_begin = time.perf_counter()
        done = 0
        next_row = 1000
        row_start = 1
        next_fix_all, next_diags = 500, 100
        while done < args.edits:
            burst = min(rnd.randint(1, 20), args.edits - done)
            for _ in range(burst):
                s, e, new = random_edit(rnd, text, original_len)
                rng = {"start": position(text, s), "end": position(text, e)}
                text = text[:s] + new + text[e:]
                version += 1
                srv.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": version},
                                                      "contentChanges": [{"range": rng, "text": new}]})
            done += burst
            try:
                if done >= next_diags:
                    next_diags += 100
                    mark = srv.diag_count(uri)
                    t0 = time.perf_counter()
                    t, _, _, _, _ = srv.wait_diagnostics(uri, version, mark, timeout=60)
                    window["diags"].append(t - t0)
                elif done >= next_fix_all:
                    next_fix_all += 500
                    fix_alls += 1
                    _, resp = srv.request("textDocument/codeAction", {
                        "textDocument": {"uri": uri}, "range": {"start": position(text, 0), "end": position(text, 0)},
                        "context": {"diagnostics": [], "only": ["source.fixAll"]}}, timeout=60)
                    if "error" in resp:
                        errors[str(resp["error"].get("code"))] += 1
                elif rnd.random() < 0.75:
                    lat, resp = srv.request("textDocument/hover", {
                        "textDocument": {"uri": uri}, "position": position(text, rnd.randrange(len(text) + 1))})
                    window["hover"].append(lat)
                    if "error" in resp:
                        errors[str(resp["error"].get("code"))] += 1
                else:
                    a = rnd.randrange(len(text) + 1)
                    b = min(len(text), a + rnd.randrange(200))
                    lat, resp = srv.request("textDocument/codeAction", {
                        "textDocument": {"uri": uri}, "range": {"start": position(text, a), "end": position(text, b)},
                        "context": {"diagnostics": []}})
                    window["action"].append(lat)
                    if "error" in resp:
                        errors[str(resp["error"].get("code"))] += 1
            except (TimeoutError, EOFError) as err:
                problems.append(f"after {done} edits: {err}")
                break
            if done >= next_row or done == args.edits:
                rss, _ = srv.rss_kib()
                print(f"{row_start:>5}-{done:<5} | {pcts(window['hover']):>31} | {pcts(window['action']):>31} | "
                      f"{pcts(window['diags']):>31} | {rss / 1024:6.1f} {sum(errors.values()):>6}", flush=True)
                window = {k: [] for k in window}
                next_row += 1000
                row_start = done + 1
        elapsed = time.perf_counter() - t_begin
        if srv.closed:
            problems.append("the server closed its output")
        else:
            # The server's copy must be the client's: compare with the command line on the same text.
            try:
                mark = srv.diag_count(uri)
                srv.notify("textDocument/didSave", {"textDocument": {"uri": uri}})
                _, _, diags, _, _ = srv.wait_diagnostics(uri, version, mark, timeout=60)
            except (TimeoutError, EOFError) as err:
                problems.append(f"final diagnostics: {err}")
                diags = []
            path.write_text(text, encoding="utf-8")
            cli = subprocess.run([str(lb.BIN), "check", "--format", "json", str(path)], stdout=subprocess.PIPE)
            expected = Counter((f["range"]["start"]["line"] - 1, f["rule"]) for f in json.loads(cli.stdout or b"[]")
                               if f["rule"] != "syntax-error")
            got = Counter((d["range"]["start"]["line"], d["code"]) for d in diags)
            if got != expected:
                problems.append(f"final diagnostics differ from `check` on the same text: "
                                f"{sum((got - expected).values())} only in the server, "
                                f"{sum((expected - got).values())} only in check")
            rss_end, hwm = srv.rss_kib()
            print(f"\n{done} edits ({version - 1} versions) in {elapsed:.1f} s, {fix_alls} fix-alls; "
                  f"final text {len(text.encode()) / 1000:.0f} kB, {len(diags)} diagnostics (== check: "
                  f"{got == expected})")
            print(f"RSS start {rss_start / 1024:.1f} MB, end {rss_end / 1024:.1f} MB, peak {hwm / 1024:.1f} MB")
            if errors:
                print(f"error responses by code: {dict(errors)}")
            unexpected = {c: n for c, n in errors.items() if c != "-32801"}  # ContentModified is allowed
            if unexpected:
                problems.append(f"error responses: {unexpected}")
            if rss_end > rss_start * 2 + 50 * 1024:
                problems.append(f"memory grew from {rss_start / 1024:.1f} MB to {rss_end / 1024:.1f} MB")
    finally:
        status = srv.stop()
        if status != "clean":
            problems.append(status)
        log = Path(tmp) / "server.log"
        if log.exists() and "panic" in log.read_text(errors="replace").lower():
            problems.append("the server log mentions a panic")
        if args.keep:
            print(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    print("problems: " + ("none" if not problems else ""))
    for p in problems:
        print(f"  - {p}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
