#!/usr/bin/env python3
"""Language-server latency and memory: `interview-lens serve --stdio` vs `ruff server`.

Both servers run side by side, driven by a minimal LSP client over stdio (Content-Length
framing, UTF-16 positions, push diagnostics). Measures:
  * edit -> publishDiagnostics latency on a generated 5,000-line file (edits interleaved
    between the two servers so machine noise hits both alike), p50/p99 and ratio ours/ruff;
  * interview-lens hover latency (at findings and at random positions), p50/p99;
  * RSS after opening 200 more ~300-line files (ruff's figure shown for reference).

Standalone: builds the release binary and installs ruff==0.17.6 into target/bench-venv itself.
Usage: python3 bench/lsp_bench.py [--edits 200] [--hovers 200] [--files 200] [--no-build]
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BIN = REPO / "target" / "release" / "interview-lens"
VENV = REPO / "target" / "bench-venv"
RUFF = VENV / "bin" / "ruff"
RUFF_VERSION = "0.17.6"

CODES = [
    "B006", "B008", "F632", "E711", "E712", "E721", "B023", "C419", "PERF401", "UP028", "SIM115",
    "E722", "S110", "S112", "ASYNC210", "ASYNC212", "ASYNC220", "ASYNC221", "ASYNC222", "ASYNC230",
    "ASYNC251", "B019", "S301",
]  # fmt: skip

TIMEOUT = 15.0  # seconds to wait for any one reply


# ----------------------------------------------------------------------------- setup


def build(skip: bool) -> None:
    if not skip:
        t0 = time.perf_counter()
        proc = subprocess.run(
            ["cargo", "build", "--release", "-q", "-p", "interview-lens"],
            cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        if proc.returncode != 0:
            tail = "\n".join(proc.stderr.splitlines()[-30:])
            print(f"WARNING: cargo build failed (exit {proc.returncode}):\n{tail}", file=sys.stderr)
            if BIN.exists():
                print(f"WARNING: benchmarking the EXISTING binary from {time.ctime(BIN.stat().st_mtime)}",
                      file=sys.stderr)
        else:
            print(f"built {BIN.relative_to(REPO)} in {time.perf_counter() - t0:.1f} s")
    if not BIN.exists():
        sys.exit(f"{BIN} not found")


def ensure_ruff() -> None:
    def version() -> str | None:
        if not RUFF.exists():
            return None
        return subprocess.run([str(RUFF), "--version"], stdout=subprocess.PIPE, text=True).stdout.strip()

    if version() == f"ruff {RUFF_VERSION}":
        return
    if not (VENV / "bin" / "python").exists():
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    subprocess.run(
        [str(VENV / "bin" / "python"), "-m", "pip", "install", "-q", "--disable-pip-version-check",
         f"ruff=={RUFF_VERSION}"],
        check=True,
    )
    if version() != f"ruff {RUFF_VERSION}":
        sys.exit(f"could not install ruff {RUFF_VERSION} into {VENV}")


# ----------------------------------------------------------------------------- generated Python

HEADER = '''"""Generated benchmark module {tag}: inventory, pricing and I/O helpers."""
import functools
import pickle
import subprocess
import time
import urllib.request

'''

FLAGGED = '''
class Inventory{i}:
    """Keeps track of the items of store {i} (naïve café edition)."""

    def __init__(self, name, items=None):
        self.name = name
        self.items = items if items is not None else []

    def add(self, item, tags=[]):
        tags.append(item)
        self.items.append((item, tags))
        return tags

    def find(self, key):
        for item, tags in self.items:
            if item is "sku-{i}":
                return item
            if "🚀" != key and key == None:
                return None
        return None

    def load(self, path):
        try:
            fh = open(path)
            data = fh.read()
        except:
            data = ""
        return data

    @functools.lru_cache(maxsize=None)
    def price(self, item):
        return len(item) * {i}


def summarize_{i}(values, cache={{}}):
    total = 0
    for v in values:
        if type(v) == type(0):
            total += v
    cache[len(values)] = total
    return total


def evens_{i}(values):
    result = []
    for v in values:
        if v % 2 == 0:
            result.append(v * 2)
    return result


def walk_{i}(nodes):
    for node in nodes:
        yield node


def has_big_{i}(values):
    return any([v > 100 for v in values])


def callbacks_{i}(n):
    fns = []
    for k in range(n):
        def cb():
            return k * {i}
        fns.append(cb)
    return fns


def safe_div_{i}(a, b):
    try:
        return a / b
    except Exception:
        pass


async def fetch_{i}(path, url):
    time.sleep(0.01)
    urllib.request.urlopen(url)
    subprocess.run(["true"])
    with open(path) as fh:
        return fh.read()


def restore_{i}(blob):
    return pickle.loads(blob)
'''

CLEAN = '''

class Ledger{i}:
    """Double-entry ledger number {i}: append-only, balanced per transaction."""

    def __init__(self, owner: str, currency: str = "EUR") -> None:
        self.owner = owner
        self.currency = currency
        self._entries: list[tuple[str, int]] = []

    def post(self, account: str, cents: int) -> None:
        if not account:
            raise ValueError("account must not be empty")
        self._entries.append((account, cents))

    def balance(self, account: str) -> int:
        return sum(cents for name, cents in self._entries if name == account)

    def accounts(self) -> list[str]:
        seen: dict[str, None] = {{}}
        for name, _ in self._entries:
            seen.setdefault(name, None)
        return list(seen)

    def __len__(self) -> int:
        return len(self._entries)


def parse_amount_{i}(text: str) -> int:
    """'12.34' -> 1234 cents."""
    whole, _, frac = text.strip().partition(".")
    frac = (frac + "00")[:2]
    sign = -1 if whole.startswith("-") else 1
    return sign * (abs(int(whole or "0")) * 100 + int(frac))


def format_amount_{i}(cents: int, currency: str = "EUR") -> str:
    sign = "-" if cents < 0 else ""
    cents = abs(cents)
    return f"{{sign}}{{cents // 100}}.{{cents % 100:02d}} {{currency}}"


def chunked_{i}(items, size):
    for start in range(0, len(items), size):
        yield items[start:start + size]
'''

EDIT_TARGET = '''

def edit_target():
    label = "naïve café 🚀 value"
    return label
'''
EDIT_LINE_MARK = 'label = "naïve café 🚀 '


def generate(n_lines: int, tag: str, offset: int, with_target: bool) -> str:
    parts = [HEADER.format(tag=tag)]
    count = parts[0].count("\n")
    i = 0
    placed = not with_target
    while count < n_lines:
        if not placed and count >= n_lines // 2:
            parts.append(EDIT_TARGET)
            count += EDIT_TARGET.count("\n")
            placed = True
            continue
        block = (FLAGGED if i % 4 == 0 else CLEAN).format(i=offset + i)  # a quarter of the blocks are flagged
        parts.append(block)
        count += block.count("\n")
        i += 1
    lines = "".join(parts).split("\n")
    # Trim to n_lines at a top-level boundary (a blank line before a def/class).
    cut = n_lines
    while cut > 0 and not (lines[cut - 1] == "" and cut < len(lines) and lines[cut][:1] not in ("", " ")):
        cut -= 1
    text = "\n".join(lines[:cut]) + "\n"
    # Pad with comment lines to exactly n_lines.
    have = text.count("\n")
    text += "".join(f"# padding line {k}\n" for k in range(n_lines - have))
    return text


def utf16_len(s: str) -> int:
    return len(s.encode("utf-16-le")) // 2


# ----------------------------------------------------------------------------- LSP client


class Server:
    def __init__(self, name: str, cmd: list[str], cwd: str, log_path: str) -> None:
        self.name = name
        self.log_path = log_path
        self._log = open(log_path, "wb")
        self.proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self._log,
                                     cwd=cwd, bufsize=0)
        self.pid = self.proc.pid
        self._next_id = 0
        self._write = threading.Lock()
        self._cond = threading.Condition()
        self.responses: dict[int, tuple[float, dict]] = {}
        self.diagnostics: dict[str, list[tuple[float, int | None, list]]] = {}
        self.server_requests: Counter = Counter()
        self.closed = False
        self.protocol_errors: list[str] = []
        self._reader = threading.Thread(target=self._read_loop, daemon=True)
        self._reader.start()

    # -- wire
    def _send(self, msg: dict) -> float:
        body = json.dumps(msg, ensure_ascii=False).encode("utf-8")
        frame = b"Content-Length: %d\r\n\r\n" % len(body) + body
        with self._write:
            t = time.perf_counter()
            self.proc.stdin.write(frame)
            self.proc.stdin.flush()
        return t

    def _read_loop(self) -> None:
        out = self.proc.stdout
        try:
            while True:
                length = None
                t_first = None
                while True:
                    line = out.readline()
                    if t_first is None:
                        t_first = time.perf_counter()
                    if not line:
                        raise EOFError
                    line = line.strip()
                    if not line:
                        break
                    key, _, value = line.partition(b":")
                    if key.strip().lower() == b"content-length":
                        length = int(value.strip())
                if length is None:
                    self.protocol_errors.append("frame without Content-Length")
                    continue
                body = b""
                while len(body) < length:
                    chunk = out.read(length - len(body))
                    if not chunk:
                        raise EOFError
                    body += chunk
                t = time.perf_counter()
                try:
                    msg = json.loads(body)
                except json.JSONDecodeError as err:
                    self.protocol_errors.append(f"bad JSON: {err}")
                    continue
                self._dispatch(t, msg, t_first, length)
        except (EOFError, OSError, ValueError):
            pass
        with self._cond:
            self.closed = True
            self._cond.notify_all()

    def _dispatch(self, t: float, msg: dict, t_first: float, size: int) -> None:
        method = msg.get("method")
        if method is not None and "id" in msg:  # a request from the server
            self.server_requests[method] += 1
            result = None
            if method == "workspace/configuration":
                result = [None for _ in msg.get("params", {}).get("items", [])]
            self._send({"jsonrpc": "2.0", "id": msg["id"], "result": result})
            return
        with self._cond:
            if method == "textDocument/publishDiagnostics":
                p = msg["params"]
                # (received, version, diagnostics, first header byte seen, body bytes)
                self.diagnostics.setdefault(p["uri"], []).append(
                    (t, p.get("version"), p["diagnostics"], t_first, size))
            elif method is None:
                self.responses[msg["id"]] = (t, msg)
            self._cond.notify_all()

    # -- API
    def notify(self, method: str, params: dict) -> float:
        return self._send({"jsonrpc": "2.0", "method": method, "params": params})

    def send_request(self, method: str, params: dict) -> tuple[int, float]:
        """Sends a request without waiting; returns (id, time sent)."""
        self._next_id += 1
        rid = self._next_id
        return rid, self._send({"jsonrpc": "2.0", "id": rid, "method": method, "params": params})

    def wait_response(self, rid: int, what: str, timeout: float = TIMEOUT) -> tuple[float, dict]:
        """Returns (time received, response)."""
        with self._cond:
            if not self._cond.wait_for(lambda: rid in self.responses or self.closed, timeout):
                raise TimeoutError(f"{self.name}: no answer to {what} in {timeout} s")
            if rid not in self.responses:
                raise EOFError(f"{self.name}: server closed its output")
            return self.responses.pop(rid)

    def request(self, method: str, params: dict, timeout: float = TIMEOUT) -> tuple[float, dict]:
        """Returns (latency s, response)."""
        rid, t0 = self.send_request(method, params)
        t, msg = self.wait_response(rid, method, timeout)
        return t - t0, msg

    def diag_count(self, uri: str) -> int:
        with self._cond:
            return len(self.diagnostics.get(uri, []))

    def wait_diagnostics(self, uri: str, version: int, start: int, timeout: float = TIMEOUT):
        """The first publish for `uri` at index >= start with this version (or with no version)."""
        def find():
            for entry in self.diagnostics.get(uri, [])[start:]:
                if entry[1] == version or entry[1] is None:
                    return entry
            return None

        with self._cond:
            if not self._cond.wait_for(lambda: find() is not None or self.closed, timeout):
                raise TimeoutError(f"{self.name}: no diagnostics for {uri} version {version} in {timeout} s")
            entry = find()
            if entry is None:
                raise EOFError(f"{self.name}: server closed its output")
            return entry

    def rss_kib(self) -> tuple[int, int]:
        fields = {}
        with open(f"/proc/{self.pid}/status") as fh:
            for line in fh:
                key, _, value = line.partition(":")
                fields[key] = value.strip()
        return int(fields["VmRSS"].split()[0]), int(fields["VmHWM"].split()[0])

    def stop(self) -> str:
        status = "clean"
        try:
            if self.proc.poll() is None:
                self.request("shutdown", None, timeout=5)
                self.notify("exit", None)
                self.proc.wait(timeout=5)
        except (TimeoutError, EOFError, OSError, subprocess.TimeoutExpired) as err:
            status = f"did not exit cleanly ({err}); killed"
            if self.proc.poll() is None:
                self.proc.kill()
                self.proc.wait()
        self._log.close()
        rc = self.proc.returncode
        if rc not in (0, None) and status == "clean":
            status = f"exit code {rc}"
        return status


def initialize(server: Server, root: str, options: dict | None) -> dict:
    params = {
        "processId": os.getpid(),
        "clientInfo": {"name": "interview-lens-bench"},
        "rootUri": Path(root).as_uri(),
        "workspaceFolders": [{"uri": Path(root).as_uri(), "name": "bench"}],
        "capabilities": {
            "general": {"positionEncodings": ["utf-16"]},
            "textDocument": {
                "synchronization": {"dynamicRegistration": False, "didSave": False},
                "hover": {"contentFormat": ["markdown", "plaintext"]},
                "publishDiagnostics": {"versionSupport": True},
                # No "diagnostic" key: no pull diagnostics, so both servers push.
            },
            "workspace": {"configuration": False, "workspaceFolders": True},
        },
        "initializationOptions": options,
    }
    _, resp = server.request("initialize", params, timeout=30)
    if "error" in resp:
        raise RuntimeError(f"{server.name}: initialize failed: {resp['error']}")
    server.notify("initialized", {})
    return resp["result"]["capabilities"]


def pct(values: list[float], p: float) -> float:
    s = sorted(values)
    return s[max(0, math.ceil(p / 100 * len(s)) - 1)]


def ms(x: float) -> str:
    return f"{x * 1000:8.2f}"


def diag_key(diags: list) -> list:
    return sorted((d["range"]["start"]["line"], d["range"]["start"]["character"],
                   d["range"]["end"]["line"], d["range"]["end"]["character"], str(d.get("code"))) for d in diags)


# ----------------------------------------------------------------------------- stress sections


def edit_point(text: str) -> tuple[int, int]:
    """(line, UTF-16 column) just after the emoji of EDIT_TARGET."""
    lines = text.split("\n")
    line = next(n for n, ln in enumerate(lines) if EDIT_LINE_MARK in ln)
    return line, utf16_len(lines[line][:lines[line].index("🚀") + 2])


def flood_section(servers: dict, tmp: str, n_edits: int, n_lines: int, problems: list[str]) -> None:
    """`n_edits` didChange notifications written back to back, then one hover: how long until the
    hover is answered and the last version's diagnostics arrive, and how much was published."""
    text = generate(n_lines, "flood", 0, with_target=True)
    path = Path(tmp) / "flood_module.py"
    path.write_text(text, encoding="utf-8")
    uri = path.as_uri()
    line, col = edit_point(text)
    print(f"\n== flood: {n_edits} didChange notifications back to back on a {len(text.encode()) / 1000:.0f} kB "
          f"file, then a hover")
    print(f"{'server':<16} {'write s':>8} {'hover after last change s':>26} {'last diags s':>13} "
          f"{'publishes':>9} {'published MB':>12}")
    for name, srv in servers.items():
        if srv.closed:
            continue
        start = srv.diag_count(uri)
        srv.notify("textDocument/didOpen", {"textDocument": {
            "uri": uri, "languageId": "python", "version": 1, "text": text}})
        try:
            _, _, diags, _, _ = srv.wait_diagnostics(uri, 1, start, timeout=60)
        except (TimeoutError, EOFError) as err:
            problems.append(f"flood: {err}")
            continue
        hover_at = diags[0]["range"]["start"] if diags else {"line": 0, "character": 0}
        start = srv.diag_count(uri)
        t0 = time.perf_counter()
        for k in range(n_edits):
            insert = k % 2 == 0
            rng = {"start": {"line": line, "character": col},
                   "end": {"line": line, "character": col + (0 if insert else 1)}}
            srv.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": k + 2},
                                                  "contentChanges": [{"range": rng, "text": "x" if insert else ""}]})
        t_sent = time.perf_counter()
        try:
            lat, _ = srv.request("textDocument/hover", {"textDocument": {"uri": uri}, "position": hover_at},
                                 timeout=600)
            t_last, _, _, _, _ = srv.wait_diagnostics(uri, n_edits + 1, start, timeout=600)
        except (TimeoutError, EOFError) as err:
            problems.append(f"flood: {err}")
            continue
        with srv._cond:
            published = srv.diagnostics.get(uri, [])[start:]
        print(f"{name:<16} {t_sent - t0:8.2f} {lat:26.3f} {t_last - t_sent:13.3f} {len(published):>9} "
              f"{sum(e[4] for e in published) / 1e6:12.1f}")
        srv.notify("textDocument/didClose", {"textDocument": {"uri": uri}})
    print("(write s: writing the notifications, which blocks while the server does not read; the hover is "
          "sent right after the last one)")


def fix_all_section(servers: dict, uri: str, hover_at: dict, rounds: int, problems: list[str]) -> None:
    """Hover latency alone, and right behind two `source.fixAll` requests on the big file."""
    print(f"\n== hover behind two source.fixAll requests on the big file, {rounds} rounds")
    print(f"{'server':<16} {'hover alone p50 ms':>18} {'behind fix-alls p50 ms':>22} {'max ms':>8} "
          f"{'fix-all p50 ms':>14}")
    hover = {"textDocument": {"uri": uri}, "position": hover_at}
    fix_all = {"textDocument": {"uri": uri},
               "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}},
               "context": {"diagnostics": [], "only": ["source.fixAll"]}}
    for name, srv in servers.items():
        if srv.closed:
            continue
        try:
            alone = [srv.request("textDocument/hover", hover)[0] for _ in range(20)]
            behind, fix_lat = [], []
            for _ in range(rounds):
                sent = [srv.send_request("textDocument/codeAction", fix_all) for _ in range(2)]
                behind.append(srv.request("textDocument/hover", hover, timeout=120)[0])
                for rid, t0 in sent:
                    t, resp = srv.wait_response(rid, "codeAction", timeout=120)
                    fix_lat.append(t - t0)
                    if "error" in resp:
                        problems.append(f"{name}: fix-all answered {resp['error']}")
        except (TimeoutError, EOFError) as err:
            problems.append(f"fix-all contention: {err}")
            continue
        print(f"{name:<16} {ms(pct(alone, 50)):>18} {ms(pct(behind, 50)):>22} {ms(max(behind))} "
              f"{ms(pct(fix_lat, 50)):>14}")


# ----------------------------------------------------------------------------- main


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--edits", type=int, default=200)
    ap.add_argument("--warmup", type=int, default=10, help="unmeasured edits first (default 10)")
    ap.add_argument("--hovers", type=int, default=200)
    ap.add_argument("--files", type=int, default=200)
    ap.add_argument("--lines", type=int, default=5000)
    ap.add_argument("--no-build", action="store_true")
    ap.add_argument("--keep", action="store_true", help="keep the temp folder (generated files, server logs)")
    ap.add_argument("--sections", default="edits,hovers,memory,flood,fixall",
                    help="comma-separated subset of edits,hovers,memory,flood,fixall (default: all)")
    ap.add_argument("--flood", type=int, default=10000, help="didChange notifications in the flood section")
    ap.add_argument("--flood-lines", type=int, default=1700, help="size of the flooded file (1,700 lines: 44 kB)")
    ap.add_argument("--fixall-rounds", type=int, default=10)
    ap.add_argument("--binary", type=Path, help="benchmark this interview-lens binary (implies --no-build)")
    ap.add_argument("--no-ruff", action="store_true", help="interview-lens only (not with the edits section)")
    args = ap.parse_args()
    global BIN
    if args.binary:
        BIN = args.binary.resolve()
        args.no_build = True
    sections = set(args.sections.split(","))
    if args.no_ruff and "edits" in sections:
        sections.discard("edits")  # it reports ratios against ruff
        print("--no-ruff: skipping the edits section")

    build(args.no_build)
    if not args.no_ruff:
        ensure_ruff()
    tmp = tempfile.mkdtemp(prefix="il-lspbench-")
    problems: list[str] = []
    servers: dict[str, Server] = {}
    try:
        big = generate(args.lines, "big", 0, with_target=True)
        big_path = Path(tmp) / "big_module.py"
        big_path.write_text(big, encoding="utf-8")
        big_uri = big_path.as_uri()
        lines = big.split("\n")
        edit_line = next(n for n, ln in enumerate(lines) if EDIT_LINE_MARK in ln)
        edit_char = lines[edit_line].index("🚀") + 2  # after "🚀 " (code points)
        edit_col = utf16_len(lines[edit_line][:edit_char])  # the same place in UTF-16 units
        print(f"generated {big_path.name}: {big.count(chr(10))} lines, {len(big.encode())} bytes; "
              f"edits at line {edit_line + 1}, UTF-16 column {edit_col} (after a non-BMP character)")

        servers["interview-lens"] = Server("interview-lens", [str(BIN), "serve", "--stdio"], tmp,
                                           os.path.join(tmp, "interview-lens.log"))
        if not args.no_ruff:
            servers["ruff"] = Server("ruff", [str(RUFF), "server"], tmp, os.path.join(tmp, "ruff.log"))
        opts = {
            "interview-lens": None,
            "ruff": {"settings": {"configurationPreference": "editorOnly", "lint": {"select": CODES}}},
        }
        sync_kind = {}
        for name, srv in servers.items():
            caps = initialize(srv, tmp, opts[name])
            enc = caps.get("positionEncoding", "utf-16")
            sync = caps.get("textDocumentSync")
            sync_kind[name] = sync.get("change") if isinstance(sync, dict) else sync
            print(f"{name}: pid {srv.pid}, positionEncoding {enc}, textDocumentSync.change {sync_kind[name]}, "
                  f"hover {bool(caps.get('hoverProvider'))}")
            if enc != "utf-16":
                problems.append(f"{name}: negotiated {enc}, not utf-16")

        # -- open the big file
        first, payload = {}, {}
        for name, srv in servers.items():
            start = srv.diag_count(big_uri)
            t0 = srv.notify("textDocument/didOpen", {"textDocument": {
                "uri": big_uri, "languageId": "python", "version": 1, "text": big}})
            t, _, diags, _, size = srv.wait_diagnostics(big_uri, 1, start, timeout=60)
            first[name] = diags
            payload[name] = size
            codes = Counter(str(d.get("code")) for d in diags)
            print(f"{name}: open -> {len(diags)} diagnostics ({size / 1000:.0f} kB of JSON) in "
                  f"{ms(t - t0).strip()} ms: "
                  + ", ".join(f"{c} {n}" for c, n in sorted(codes.items())))
        # Our LSP positions must be the CLI's, converted to UTF-16 (a finding follows an emoji).
        cli = subprocess.run([str(BIN), "check", "--format", "json", str(big_path)], stdout=subprocess.PIPE)
        raw = big.encode("utf-8")
        expected = Counter()
        for f in json.loads(cli.stdout or b"[]"):
            start = f["byte_range"][0]
            line_start = raw.rfind(b"\n", 0, start) + 1
            expected[(raw.count(b"\n", 0, start), utf16_len(raw[line_start:start].decode()), f["rule"])] += 1
        got = Counter((d["range"]["start"]["line"], d["range"]["start"]["character"], str(d.get("code")))
                      for d in first["interview-lens"])
        if got != expected:
            problems.append(f"interview-lens: LSP diagnostic starts differ from the CLI's (UTF-16): "
                            f"{sum((got - expected).values())} only in LSP, {sum((expected - got).values())} "
                            f"only in CLI, e.g. {list((got - expected))[:3]} vs {list((expected - got))[:3]}")
        else:
            print(f"interview-lens: LSP diagnostic positions == CLI positions converted to UTF-16 "
                  f"({sum(got.values())} findings)")
        if not args.no_ruff and not first["ruff"]:
            print("ruff reported no diagnostics on the file: the comparison would be void", file=sys.stderr)
            return 1

        last = {name: first[name] for name in servers}  # replaced by the edits section
        # -- edits, interleaved between the servers
        if "edits" in sections:
            version = {name: 1 for name in servers}
            latencies: dict[str, list[float]] = {name: [] for name in servers}
            first_byte: dict[str, list[float]] = {name: [] for name in servers}
            timeouts = Counter()
            total = args.warmup + args.edits
            if total % 2:
                total += 1  # end on a removal so the text is the original again
            for k in range(total):
                insert = k % 2 == 0
                rng = {"start": {"line": edit_line, "character": edit_col},
                       "end": {"line": edit_line, "character": edit_col + (0 if insert else 1)}}
                for name, srv in servers.items():
                    if srv.closed:
                        continue
                    version[name] += 1
                    v = version[name]
                    if sync_kind[name] == 1:  # full sync
                        cur = lines[:]
                        if insert:
                            cur[edit_line] = cur[edit_line][:edit_char] + "x" + cur[edit_line][edit_char:]
                        change = {"text": "\n".join(cur)}
                    else:
                        change = {"range": rng, "text": "x" if insert else ""}
                    start = srv.diag_count(big_uri)
                    t0 = srv.notify("textDocument/didChange", {
                        "textDocument": {"uri": big_uri, "version": v}, "contentChanges": [change]})
                    try:
                        t, _, _, t_first, _ = srv.wait_diagnostics(big_uri, v, start)
                    except (TimeoutError, EOFError) as err:
                        timeouts[name] += 1
                        problems.append(str(err))
                        continue
                    if k >= args.warmup:
                        latencies[name].append(t - t0)
                        first_byte[name].append(t_first - t0)
            last = {}
            for name, srv in servers.items():
                entries = srv.diagnostics.get(big_uri, [])
                last[name] = entries[-1][2] if entries else []
                same = diag_key(last[name]) == diag_key(first[name])
                if not same:
                    problems.append(f"{name}: after {total} edits that restore the text, diagnostics differ from "
                                    f"the ones on open ({len(first[name])} -> {len(last[name])})")
            print(f"\n== edit -> publishDiagnostics, {args.lines}-line file, {len(latencies['ruff'])} measured "
                  f"edits per server (after {args.warmup} warm-up), interleaved")
            print(f"{'server':<16} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8} {'mean ms':>8} {'timeouts':>8}"
                  f" {'1st byte p50':>12}")
            for name in servers:
                xs = latencies[name]
                if xs:
                    print(f"{name:<16} {ms(pct(xs, 50))} {ms(pct(xs, 99))} {ms(max(xs))} {ms(sum(xs) / len(xs))} "
                          f"{timeouts[name]:>8} {ms(pct(first_byte[name], 50)):>12}")
                else:
                    print(f"{name:<16} no measurements; timeouts {timeouts[name]}")
            a, b = latencies["interview-lens"], latencies["ruff"]
            if a and b:
                print(f"ratio ours/ruff: p50 {pct(a, 50) / pct(b, 50):.2f}, p99 {pct(a, 99) / pct(b, 99):.2f}")
                print("(latency = didChange written -> whole publishDiagnostics read; '1st byte' = until its first\n"
                      " header line arrived, i.e. without the transfer of the diagnostics payload: "
                      + ", ".join(f"{n} {payload[n] / 1000:.0f} kB" for n in servers) + ")")

        # -- hovers (interview-lens)
        if "hovers" in sections:
            ours = servers["interview-lens"]
            rnd = random.Random(1234)
            finding_positions = [d["range"]["start"] for d in last["interview-lens"]]
            hover_lat = {"at findings": [], "random positions": []}
            hover_hits = Counter()
            hover_errors = []
            for k in range(args.hovers):
                if k % 2 == 0 and finding_positions:
                    kind, pos = "at findings", finding_positions[(k // 2) % len(finding_positions)]
                else:
                    ln = rnd.randrange(len(lines) - 1)
                    text = lines[ln]
                    ch = rnd.randrange(len(text) + 1)
                    kind, pos = "random positions", {"line": ln, "character": utf16_len(text[:ch])}
                try:
                    lat, resp = ours.request("textDocument/hover",
                                             {"textDocument": {"uri": big_uri}, "position": pos})
                except (TimeoutError, EOFError) as err:
                    hover_errors.append(str(err))
                    continue
                hover_lat[kind].append(lat)
                if "error" in resp:
                    hover_errors.append(f"hover at {pos}: {resp['error']}")
                elif resp.get("result"):
                    hover_hits[kind] += 1
            print(f"\n== interview-lens hover, {args.hovers} requests on the {args.lines}-line file")
            print(f"{'where':<18} {'n':>4} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8} {'non-empty':>9}")
            for kind, xs in hover_lat.items():
                if xs:
                    print(f"{kind:<18} {len(xs):>4} {ms(pct(xs, 50))} {ms(pct(xs, 99))} {ms(max(xs))} "
                          f"{hover_hits[kind]:>9}")
            allh = hover_lat["at findings"] + hover_lat["random positions"]
            if allh:
                print(f"{'all':<18} {len(allh):>4} {ms(pct(allh, 50))} {ms(pct(allh, 99))} {ms(max(allh))}")
            if hover_lat["at findings"] and hover_hits["at findings"] < len(hover_lat["at findings"]):
                problems.append(f"interview-lens: {len(hover_lat['at findings']) - hover_hits['at findings']} "
                                f"hovers at a finding's start returned nothing")
            problems += hover_errors[:10]

        # -- memory after opening many files
        if "memory" in sections:
            print(f"\n== RSS after opening {args.files} more ~300-line files (and waiting for their diagnostics)")
            small = []
            for n in range(args.files):
                p = Path(tmp) / f"mod_{n:03d}.py"
                p.write_text(generate(300, f"mod_{n:03d}", 1000 * (n + 1), with_target=False), encoding="utf-8")
                small.append(p)
            print(f"{'server':<16} {'RSS before':>11} {'RSS after':>11} {'peak (HWM)':>11} {'open all s':>10} "
                  f"{'diags':>6}")
            for name, srv in servers.items():
                if srv.closed:
                    continue
                before, _ = srv.rss_kib()
                starts = {p.as_uri(): srv.diag_count(p.as_uri()) for p in small}
                t0 = time.perf_counter()
                for p in small:
                    srv.notify("textDocument/didOpen", {"textDocument": {
                        "uri": p.as_uri(), "languageId": "python", "version": 1,
                        "text": p.read_text(encoding="utf-8")}})
                ndiag = 0
                for p in small:
                    try:
                        ndiag += len(srv.wait_diagnostics(p.as_uri(), 1, starts[p.as_uri()], timeout=60)[2])
                    except (TimeoutError, EOFError) as err:
                        problems.append(str(err))
                        break
                dt = time.perf_counter() - t0
                time.sleep(0.2)
                after, hwm = srv.rss_kib()
                note = "" if name == "interview-lens" else "  (reference)"
                print(f"{name:<16} {before / 1024:8.1f} MB {after / 1024:8.1f} MB {hwm / 1024:8.1f} MB {dt:10.2f} "
                      f"{ndiag:>6}{note}")
        if "flood" in sections:
            flood_section(servers, tmp, args.flood, args.flood_lines, problems)
        if "fixall" in sections:
            fix_all_section(servers, big_uri, first["interview-lens"][0]["range"]["start"], args.fixall_rounds,
                            problems)
    finally:
        for name, srv in servers.items():
            status = srv.stop()
            if status != "clean":
                problems.append(f"{name}: {status}")
            if srv.protocol_errors:
                problems.append(f"{name}: protocol errors: {srv.protocol_errors[:3]}")
            if srv.server_requests:
                print(f"{name}: server->client requests answered: {dict(srv.server_requests)}")
        log = Path(tmp) / "interview-lens.log"
        if log.exists():
            text = log.read_text(errors="replace")
            panics = [ln for ln in text.splitlines() if "panic" in ln.lower()]
            errors = [ln for ln in text.splitlines() if " ERROR " in ln or "error" in ln.lower()[:40]]
            if panics:
                problems.append(f"interview-lens log mentions panics: {panics[:3]}")
            if errors:
                print(f"interview-lens stderr: {len(errors)} error lines, e.g. {errors[0][:200]}")
        if args.keep:
            print(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)

    print("\nproblems: " + ("none" if not problems else ""))
    for p in problems:
        print(f"  - {p}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
