#!/usr/bin/env python3
"""Compare `interview-lens check` with `ruff check` on the same Python files.

Speed (median of interleaved runs, ratio ours/ruff from the same run), findings per rule family
(matched / only-ruff / only-ours, with examples), crashes (per-file sweep), and with
`--fix-check` whether fixes keep the code parseable.

Standalone: builds the release binary and installs ruff==0.17.6 into target/bench-venv itself.
Usage: python3 bench/compare_ruff.py [--corpus | --paths P ...] [--runs 5] [--fix-check] [--no-build]

--corpus uses all of target/bench-corpus/ (made by bench/corpus.py: the stdlib plus pinned sdists),
the corpus the speed goal and the precision labels refer to; the default is this python's stdlib.
"""

from __future__ import annotations

import argparse
import ast
import concurrent.futures
import json
import os
import shutil
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
import warnings
from collections import Counter, defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BIN = REPO / "target" / "release" / "interview-lens"
VENV = REPO / "target" / "bench-venv"
RUFF = VENV / "bin" / "ruff"
RUFF_VERSION = "0.17.6"
CORPUS = REPO / "target" / "bench-corpus"
SPEED_GOAL = 0.8  # issue 7: check at most 0.8x the wall time of ruff check, same run

CODES = [
    "B006", "B008", "F632", "E711", "E712", "E721", "B023", "C419", "PERF401", "UP028", "SIM115",
    "E722", "S110", "S112", "ASYNC210", "ASYNC212", "ASYNC220", "ASYNC221", "ASYNC222", "ASYNC230",
    "ASYNC251", "B019", "S301", "FURB192", "RUF017",
    # catalogue wave 1: mutability
    "RUF012", "RUF008", "RUF009", "RUF024",
    # catalogue wave 1: generators and scope
    "PLR1708", "F823", "A001", "PLW0603", "PERF101",
    # catalogue wave 1: idioms
    "SIM118", "RUF007", "C416", "C417", "PLC0206", "SIM110", "PERF403", "UP031", "UP032",
    # catalogue wave 1: appends and counters
    "SIM113", "PERF402",
]  # fmt: skip

# Our rule id -> the Ruff codes of the same family.
FAMILIES = {
    "mutable-default-argument": ["B006"],
    "call-in-default-argument": ["B008"],
    "is-vs-eq-literal": ["F632"],
    "eq-comparison-to-singleton": ["E711", "E712"],
    "type-equality-check": ["E721"],
    "late-binding-closure": ["B023"],
    "list-comprehension-in-call": ["C419"],
    "manual-list-comprehension": ["PERF401"],
    "yield-from-delegation": ["UP028"],
    "open-without-with": ["SIM115"],
    "bare-except": ["E722"],
    "swallowed-broad-exception": ["S110", "S112"],
    "blocking-http-in-async": ["ASYNC210", "ASYNC212"],
    "blocking-subprocess-in-async": ["ASYNC220", "ASYNC221", "ASYNC222"],
    "blocking-file-io-in-async": ["ASYNC230"],
    "blocking-sleep-in-async": ["ASYNC251"],
    "lru-cache-on-method": ["B019"],
    "pickle-untrusted": ["S301"],
    # catalogue wave 1: data structures
    "sorted-for-min-max": ["FURB192"],
    "quadratic-list-summation": ["RUF017"],
    # catalogue wave 1: mutability
    "mutable-class-attribute": ["RUF012"],
    "mutable-dataclass-default": ["RUF008", "RUF009"],
    "mutable-fromkeys-value": ["RUF024"],
    # catalogue wave 1: generators and scope
    "stopiteration-in-generator": ["PLR1708"],
    "unbound-local-outer-name": ["F823"],
    "builtin-shadowing": ["A001"],
    "global-statement": ["PLW0603"],
    "iterate-materialised-list": ["PERF101"],
    # catalogue wave 1: idioms
    "dict-keys-membership": ["SIM118"],
    "zip-pairwise": ["RUF007"],
    "unnecessary-comprehension": ["C416"],
    "map-filter-lambda": ["C417"],
    "dict-iteration-items": ["PLC0206"],
    "reimplemented-any-all": ["SIM110"],
    "manual-dict-comprehension": ["PERF403"],
    # catalogue wave 1: appends and counters
    "manual-index-counter": ["SIM113"],
    "manual-list-copy-or-extend": ["PERF402"],
    "fstring-formatting": ["UP031", "UP032"],
}
# Families whose Ruff peers exist only in preview: compared in separate, untimed runs.
PREVIEW_FAMILIES = {
    "modify-collection-while-iterating": ["B909", "PLE4703"],
    # catalogue wave 1: appends and counters
    "repeated-append": ["FURB113"],
}
CODE_TO_FAMILY = {code: fam for fam, codes in FAMILIES.items() for code in codes}
PREVIEW_CODE_TO_FAMILY = {code: fam for fam, codes in PREVIEW_FAMILIES.items() for code in codes}
assert set(CODE_TO_FAMILY) == set(CODES)

EXAMPLES = 5


# ----------------------------------------------------------------------------- setup


def build(skip: bool) -> None:
    if skip:
        print(f"(--no-build: using {BIN} as it is)")
    else:
        t0 = time.perf_counter()
        proc = subprocess.run(
            ["cargo", "build", "--release", "-q", "-p", "interview-lens"],
            cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        if proc.returncode != 0:
            tail = "\n".join(proc.stderr.splitlines()[-30:])
            print(f"WARNING: cargo build failed (exit {proc.returncode}):\n{tail}", file=sys.stderr)
            if not BIN.exists():
                sys.exit("no binary to benchmark")
            print(f"WARNING: benchmarking the EXISTING binary from "
                  f"{time.ctime(BIN.stat().st_mtime)}", file=sys.stderr)
        else:
            print(f"built {BIN.relative_to(REPO)} in {time.perf_counter() - t0:.1f} s")
    if not BIN.exists():
        sys.exit(f"{BIN} not found")


def ensure_ruff() -> None:
    def version() -> str | None:
        if not RUFF.exists():
            return None
        out = subprocess.run([str(RUFF), "--version"], stdout=subprocess.PIPE, text=True)
        return out.stdout.strip()

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


def corpus_files() -> tuple[list[str], str]:
    """Every .py/.pyi file of the bench corpus, relative to its root, and that root. The tools run
    with the corpus root as working directory: relative paths keep the command line under
    ARG_MAX (13k files)."""
    if not (CORPUS / "MANIFEST.json").exists():
        sys.exit(f"no bench corpus in {CORPUS}: run python3 bench/corpus.py first")
    proc = subprocess.run([sys.executable, str(REPO / "bench" / "corpus.py"), "--verify-only"],
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if proc.returncode != 0:
        sys.exit(f"the bench corpus does not match its manifest (run python3 bench/corpus.py):\n{proc.stderr}")
    os.chdir(CORPUS)
    files = []
    for dirpath, dirnames, filenames in os.walk("."):
        dirnames.sort()
        files.extend(os.path.normpath(os.path.join(dirpath, f)) for f in filenames if f.endswith((".py", ".pyi")))
    return sorted(files), str(CORPUS)


def collect_files(paths: list[str] | None) -> tuple[list[str], str]:
    """Absolute, sorted *.py (and *.pyi for user paths) files; and a display root."""
    if not paths:
        stdlib = os.path.realpath(sysconfig.get_paths()["stdlib"])
        roots, exts = [stdlib], (".py",)
    else:
        roots, exts = [os.path.realpath(p) for p in paths], (".py", ".pyi")
    files: list[str] = []
    for root in roots:
        if os.path.isfile(root):
            files.append(root)
            continue
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames[:] = sorted(
                d for d in dirnames
                if d not in ("site-packages", "__pycache__") and not d.startswith(".")
            )
            files.extend(os.path.join(dirpath, f) for f in filenames if f.endswith(exts))
    files = sorted(set(files))
    if not files:
        sys.exit("no Python files found")
    display_root = os.path.commonpath(files) if len(files) > 1 else os.path.dirname(files[0])
    return files, display_root


# ----------------------------------------------------------------------------- running


def run(cmd: list[str], timeout: float | None = None) -> tuple[float, subprocess.CompletedProcess]:
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=timeout)
    return time.perf_counter() - t0, proc


def ours_cmd(files: list[str], extra: list[str] = ()) -> list[str]:
    return [str(BIN), "check", "--format", "json", *extra, *files]


def ruff_cmd(files: list[str], codes: list[str], preview: bool = False) -> list[str]:
    cmd = [str(RUFF), "check", "--isolated", "--no-cache", "--output-format", "json",
           "--select", ",".join(codes)]
    if preview:
        cmd.append("--preview")
    return cmd + files


def crashed(proc: subprocess.CompletedProcess) -> bool:
    return proc.returncode not in (0, 1, 2) or b"panicked" in proc.stderr


def time_tools(files: list[str], runs: int) -> dict:
    variants = {
        "interview-lens (all rules)": ours_cmd(files),
        f"interview-lens (--select the {len(FAMILIES)} mapped rules)": ours_cmd(files, ["--select", ",".join(FAMILIES)]),
        f"ruff {RUFF_VERSION} (--select {len(CODES)} codes)": ruff_cmd(files, CODES),
    }
    names = list(variants)
    times: dict[str, list[float]] = {n: [] for n in names}
    last: dict[str, subprocess.CompletedProcess] = {}
    for name in names:  # warm-up (page cache), not counted
        _, last[name] = run(variants[name])
    for i in range(runs):
        order = names[i % len(names):] + names[: i % len(names)]  # rotate who goes first
        for name in order:
            dt, last[name] = run(variants[name])
            times[name].append(dt)
    return {"names": names, "times": times, "last": last}


def per_file_sweep(files: list[str], timeout: float) -> dict:
    """One process per file: finds which file crashes or hangs, and the per-file findings."""
    results: dict[str, dict] = {}

    def one(path: str) -> tuple[str, dict]:
        try:
            _, proc = run(ours_cmd([path]), timeout=timeout)
        except subprocess.TimeoutExpired:
            return path, {"status": "timeout"}
        if crashed(proc):
            return path, {"status": "crash", "rc": proc.returncode, "stderr": proc.stderr.decode(errors="replace")}
        try:
            findings = json.loads(proc.stdout or b"[]")
        except json.JSONDecodeError as err:
            return path, {"status": "crash", "rc": proc.returncode, "stderr": f"invalid JSON on stdout: {err}"}
        if proc.returncode == 2:
            return path, {"status": "refused", "stderr": proc.stderr.decode(errors="replace").strip(),
                          "findings": findings}
        return path, {"status": "ok", "findings": findings}

    with concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        for path, res in pool.map(one, files):
            results[path] = res
    return results


# ----------------------------------------------------------------------------- comparing


class Sources:
    def __init__(self) -> None:
        self.cache: dict[str, list[str]] = {}

    def line(self, path: str, line: int) -> str:
        if path not in self.cache:
            try:
                self.cache[path] = Path(path).read_text(encoding="utf-8", errors="replace").splitlines()
            except OSError:
                self.cache[path] = []
        lines = self.cache[path]
        text = lines[line - 1].strip() if 0 < line <= len(lines) else "<line out of range>"
        return text if len(text) <= 110 else text[:107] + "..."


def norm(path: str) -> str:
    return os.path.realpath(path)


def ours_items(findings: list[dict]) -> dict[tuple[str, str], list[dict]]:
    out: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for f in findings:
        if f["rule"] in FAMILIES or f["rule"] in PREVIEW_FAMILIES:
            out[(norm(f["path"]), f["rule"])].append(
                {"start": f["range"]["start"]["line"], "end": f["range"]["end"]["line"], "label": f["rule"]}
            )
    return out


def ruff_items(diags: list[dict], only: set[str]) -> dict[tuple[str, str], list[dict]]:
    out: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for d in diags:
        code = d.get("code")
        if code in only:
            out[(norm(d["filename"]), CODE_TO_FAMILY.get(code) or PREVIEW_CODE_TO_FAMILY[code])].append(
                {"start": d["location"]["row"], "end": d["end_location"]["row"], "label": code}
            )
    return out


def match(a: list[dict], b: list[dict]) -> tuple[int, list[dict], list[dict]]:
    """One-to-one: first equal start lines, then a start line inside the other's line range."""
    used_a, used_b = set(), set()
    for pred in (
        lambda x, y: x["start"] == y["start"],
        lambda x, y: x["start"] <= y["start"] <= x["end"] or y["start"] <= x["start"] <= y["end"],
    ):
        for i, x in enumerate(a):
            if i in used_a:
                continue
            for j, y in enumerate(b):
                if j not in used_b and pred(x, y):
                    used_a.add(i)
                    used_b.add(j)
                    break
    return (len(used_a), [x for i, x in enumerate(a) if i not in used_a],
            [y for j, y in enumerate(b) if j not in used_b])


def compare(ours: dict, ruff: dict, families: list[str], root: str, src: Sources, title: str) -> None:
    print(f"\n== Findings: {title}")
    print(f"{'family (ours -> ruff)':<48} {'ruff':>6} {'ours':>6} {'match':>6} {'onlyR':>6} {'onlyO':>6}")
    details = []
    totals = Counter()
    for fam in families:
        keys = {k for k in ours if k[1] == fam} | {k for k in ruff if k[1] == fam}
        n_r = n_o = n_m = 0
        only_r, only_o = [], []
        for key in sorted(keys):
            r, o = ruff.get(key, []), ours.get(key, [])
            m, ur, uo = match(r, o)
            n_r, n_o, n_m = n_r + len(r), n_o + len(o), n_m + m
            only_r += [(key[0], x) for x in ur]
            only_o += [(key[0], x) for x in uo]
        label = f"{fam} -> {'/'.join(FAMILIES[fam])}"
        print(f"{label:<48} {n_r:>6} {n_o:>6} {n_m:>6} {len(only_r):>6} {len(only_o):>6}")
        totals.update(ruff=n_r, ours=n_o, match=n_m, only_r=len(only_r), only_o=len(only_o))
        if only_r or only_o:
            details.append((fam, only_r, only_o))
    if len(families) > 1:
        print(f"{'TOTAL':<48} {totals['ruff']:>6} {totals['ours']:>6} {totals['match']:>6} "
              f"{totals['only_r']:>6} {totals['only_o']:>6}")
    for fam, only_r, only_o in details:
        for kind, items in (("only ruff", only_r), ("only ours", only_o)):
            if not items:
                continue
            print(f"  {fam}: {kind} ({len(items)}), first {min(EXAMPLES, len(items))}:")
            for path, x in items[:EXAMPLES]:
                rel = os.path.relpath(path, root)
                print(f"    {rel}:{x['start']} [{x['label']}]  {src.line(path, x['start'])}")


# ----------------------------------------------------------------------------- fix check


def parses(data: bytes) -> str | None:
    """None if CPython's ast.parse accepts the bytes, else the error."""
    return check_source(data)[0]


def check_source(data: bytes) -> tuple[str | None, str | None]:
    """(ast.parse error, compile() error); None where it passes. compile() parses too, and
    is faster than ast.parse + compile, so ast.parse runs only to tell the two failures apart."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            compile(data, "<fixed>", "exec", dont_inherit=True)
            return None, None
        except (SyntaxError, ValueError, MemoryError, RecursionError) as err:
            compile_err = f"{type(err).__name__}: {err}"
        try:
            ast.parse(data)
        except (SyntaxError, ValueError, MemoryError, RecursionError) as err:
            return f"{type(err).__name__}: {err}", None
    return None, compile_err


def parse_quiet(data: bytes) -> ast.AST | None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return ast.parse(data)
        except (SyntaxError, ValueError, MemoryError, RecursionError):
            return None


def escaping_with_handles(tree: ast.AST) -> int:
    """`with X as name:` blocks whose body returns/yields `name` or stores it in an attribute or
    item: the object escapes the block that closes it."""
    def body_nodes(stmts):
        stack = list(stmts)
        while stack:
            node = stack.pop()
            yield node
            if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
                stack.extend(ast.iter_child_nodes(node))

    count = 0
    for node in ast.walk(tree):
        if not isinstance(node, (ast.With, ast.AsyncWith)):
            continue
        names = {i.optional_vars.id for i in node.items if isinstance(i.optional_vars, ast.Name)}
        for inner in body_nodes(node.body):
            value = None
            if isinstance(inner, (ast.Return, ast.Yield)):
                value = inner.value
            elif isinstance(inner, ast.Assign) and any(
                isinstance(t, (ast.Attribute, ast.Subscript)) for t in inner.targets
            ):
                value = inner.value
            if isinstance(value, ast.Name) and value.id in names:
                count += 1
    return count


def default_shadowing(tree: ast.AST, data: bytes, offset: int) -> set[str]:
    """Names used in the parameter default that starts at `offset` which are also parameters of
    the same function: moving that default into the body changes what they refer to."""
    starts = [0]
    for line in data.splitlines(keepends=True):
        starts.append(starts[-1] + len(line))
    for node in ast.walk(tree):
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            continue
        args = node.args
        defaults = list(args.defaults) + [d for d in args.kw_defaults if d is not None]
        for default in defaults:
            if starts[default.lineno - 1] + default.col_offset != offset:
                continue
            params = {a.arg for a in args.posonlyargs + args.args + args.kwonlyargs}
            params |= {a.arg for a in (args.vararg, args.kwarg) if a is not None}
            # `def f(..., self=self)`: the parameter defaults to the outer name itself, no shadowing.
            positional = args.posonlyargs + args.args
            bound = dict(zip([a.arg for a in positional[len(positional) - len(args.defaults):]], args.defaults))
            bound.update({a.arg: d for a, d in zip(args.kwonlyargs, args.kw_defaults) if d is not None})
            params -= {name for name, d in bound.items() if isinstance(d, ast.Name) and d.id == name}
            used = {n.id for n in ast.walk(default) if isinstance(n, ast.Name)}
            return used & params
    return set()


def apply_fixes_one_by_one(path: str, fixes: list[dict]) -> tuple[list, list]:
    """Applies each fix alone to the file's bytes. Returns (failures, suspicious): (finding, problem)
    for each fix that breaks parsing/compiling, and for each that parses but visibly changes meaning
    (a `with` whose handle escapes the block; a default moved into the body under a parameter
    that shadows a name it used). Runs in a worker process."""
    data = Path(path).read_bytes()
    orig_parse, orig_compile = check_source(data)
    if orig_parse:
        return [], []
    orig_tree = parse_quiet(data)
    orig_escaping = None
    failures, suspicious = [], []
    for f in fixes:
        edits = sorted(f["fix"]["edits"], key=lambda e: (e["byte_range"][0], e["byte_range"][1]))
        problem = None
        for a, b in zip(edits, edits[1:]):
            if a["byte_range"][1] > b["byte_range"][0]:
                problem = f"overlapping edits {a['byte_range']} and {b['byte_range']}"
        if any(not (0 <= e["byte_range"][0] <= e["byte_range"][1] <= len(data)) for e in edits):
            problem = "edit outside the file"
        new = data
        if problem is None:
            for e in reversed(edits):
                s, t = e["byte_range"]
                new = new[:s] + e["content"].encode("utf-8") + new[t:]
            try:
                new.decode("utf-8")
            except UnicodeDecodeError:
                problem = "edit splits a UTF-8 character"
            else:
                perr, cerr = check_source(new)
                problem = perr or (f"compile(): {cerr}" if cerr and not orig_compile else None)
        if problem:
            failures.append((f, problem))
            continue
        if f["rule"] == "open-without-with":
            if orig_escaping is None:
                orig_escaping = escaping_with_handles(orig_tree)
            new_tree = parse_quiet(new)
            if new_tree is not None and escaping_with_handles(new_tree) > orig_escaping:
                suspicious.append((f, "the handle is returned/yielded/stored from inside the new `with`, "
                                      "which closes it on the way out"))
        elif f["rule"] in ("mutable-default-argument", "call-in-default-argument"):
            shadowed = default_shadowing(orig_tree, data, f["byte_range"][0])
            if shadowed:
                suspicious.append((f, f"the default uses {', '.join(sorted(shadowed))}, which inside the "
                                      f"body is the parameter, not the outer name"))
    return failures, suspicious


def line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def fix_check(files: list[str], root: str, findings: list[dict]) -> None:
    print("\n== Fix check")
    originals = {}
    for f in files:
        originals[f] = Path(f).read_bytes()
    orig_ok = {f: parses(b) is None for f, b in originals.items()}
    print(f"{sum(not v for v in orig_ok.values())} of {len(files)} original files do not parse under "
          f"CPython {sys.version.split()[0]} (ignored below)")

    # 1. --fix --unsafe-fixes on a copy.
    tmp = tempfile.mkdtemp(prefix="il-fixcheck-")
    try:
        copies = {}
        for f in files:
            dst = os.path.join(tmp, os.path.relpath(f, root))
            os.makedirs(os.path.dirname(dst), exist_ok=True)
            shutil.copyfile(f, dst)
            copies[f] = dst
        # Text format: it is the one that says "PATH: not fixed: why" when the fixer's own guard
        # refuses a file (the JSON report has no place for that).
        dt, proc = run([str(BIN), "check", "--fix", "--unsafe-fixes", *copies.values()])
        stdout = proc.stdout.decode(errors="replace")
        stderr = proc.stderr.decode(errors="replace")
        print(f"check --fix --unsafe-fixes: exit {proc.returncode} in {dt:.2f} s"
              + ("  ** CRASHED **" if crashed(proc) else ""))
        for line in stdout.splitlines():
            if line.startswith("Fixed "):
                print(f"  {line}")
        not_fixed = [ln for ln in stdout.splitlines() if ": not fixed: " in ln]
        print(f"  files the fixer refused to write (\"not fixed\"): {len(not_fixed)}")
        for line in not_fixed[:EXAMPLES]:
            print(f"    {line.replace(tmp + os.sep, '')[:200]}")
        for line in stderr.splitlines():
            if "not valid UTF-8" not in line:
                print(f"  stderr: {line[:200]}")
        changed, bad_parse, bad_compile = [], [], []
        for f, dst in copies.items():
            new = Path(dst).read_bytes()
            if new == originals[f]:
                continue
            changed.append(f)
            if not orig_ok[f]:
                continue
            perr, cerr = check_source(new)
            if perr:
                bad_parse.append((f, perr))
            elif cerr and check_source(originals[f])[1] is None:
                bad_compile.append((f, cerr))
        unparsable = [f for f in changed if not orig_ok[f]]
        print(f"changed files: {len(changed)} ({len(unparsable)} of them did not parse before); "
              f"fail ast.parse: {len(bad_parse)}; parse but fail compile(): {len(bad_compile)}")
        for f in unparsable[:EXAMPLES]:
            print(f"  changed although it did not parse before: {os.path.relpath(f, root)}")
        for f, err in bad_parse + bad_compile:
            print(f"  FAIL {os.path.relpath(f, root)}: {err}")
        # What the fixer left behind: findings that still offer a fix after --fix --unsafe-fixes.
        _, again = run(ours_cmd(list(copies.values())))
        try:
            after = json.loads(again.stdout or b"[]")
        except json.JSONDecodeError:
            after = []
        left = [a for a in after if a.get("fix") and a["fix"].get("applicability") in ("safe", "unsafe")]
        print(f"findings still offering a safe/unsafe fix after the fix run: {len(left)}")
        for a in left[:EXAMPLES]:
            print(f"  {os.path.relpath(a['path'], tmp)}:{a['range']['start']['line']} {a['rule']}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    # 2. Every displayed fix, applied alone to the original bytes.
    with_fix = [f for f in findings if f.get("fix")]
    failures, suspicious = [], []
    by_rule = Counter()
    position_mismatch = []
    t0 = time.perf_counter()
    for f in findings:
        path = norm(f["path"])
        data = originals.get(path)
        if data is None:
            continue
        # byte_range vs range (1-based line, 1-based column in characters).
        start = f["byte_range"][0]
        line = line_of(data, start)
        col = len(data[data.rfind(b"\n", 0, start) + 1: start].decode("utf-8", errors="replace")) + 1
        if (line, col) != (f["range"]["start"]["line"], f["range"]["start"]["column"]):
            position_mismatch.append((f, line, col))
    per_path: dict[str, list[dict]] = defaultdict(list)
    for f in with_fix:
        path = norm(f["path"])
        if path in originals and orig_ok[path]:
            by_rule[(f["rule"], f["fix"].get("applicability"))] += 1
            per_path[path].append(f)
    with concurrent.futures.ProcessPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        for fails, odd in pool.map(apply_fixes_one_by_one, list(per_path), list(per_path.values())):
            failures.extend(fails)
            suspicious.extend(odd)
    print(f"every fix shown in the JSON, applied alone to the original: {len(with_fix)} findings carry a fix "
          f"({', '.join(f'{r}/{a}: {n}' for (r, a), n in sorted(by_rule.items()))}); "
          f"applied one at a time: {len(failures)} fail ({time.perf_counter() - t0:.1f} s)")
    for f, problem in failures[:20]:
        print(f"  FAIL {os.path.relpath(norm(f['path']), root)}:{f['range']['start']['line']} "
              f"{f['rule']} ({f['fix'].get('title')}): {problem}")
    print(f"fixes that parse but change meaning in a way a check can see (open-without-with: handle "
          f"escapes the `with`; mutable/call default moved under a shadowing parameter): {len(suspicious)}")
    for f, problem in suspicious[:20]:
        print(f"  SUSPECT {os.path.relpath(norm(f['path']), root)}:{f['range']['start']['line']} "
              f"{f['rule']} ({f['fix'].get('applicability')}): {problem}")
    print(f"findings whose byte_range start disagrees with range.start (line, char column): "
          f"{len(position_mismatch)}")
    for f, line, col in position_mismatch[:EXAMPLES]:
        print(f"  {os.path.relpath(norm(f['path']), root)}: range says "
              f"{f['range']['start']['line']}:{f['range']['start']['column']}, byte_range says {line}:{col} "
              f"({f['rule']})")


# ----------------------------------------------------------------------------- main


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    where = ap.add_mutually_exclusive_group()
    where.add_argument("--paths", nargs="+", help="files/folders (default: this python's stdlib, no site-packages)")
    where.add_argument("--corpus", action="store_true",
                       help="all of target/bench-corpus (python3 bench/corpus.py makes it)")
    ap.add_argument("--runs", type=int, default=5, help="timed runs per tool (default 5)")
    ap.add_argument("--fix-check", action="store_true", help="also check that fixes keep files parseable")
    ap.add_argument("--no-build", action="store_true", help="do not run cargo build")
    ap.add_argument("--no-sweep", action="store_true", help="skip the one-process-per-file crash sweep")
    ap.add_argument("--file-timeout", type=float, default=60, help="per-file timeout in the sweep (s)")
    args = ap.parse_args()

    build(args.no_build)
    ensure_ruff()
    files, root = corpus_files() if args.corpus else collect_files(args.paths)
    size = sum(os.path.getsize(f) for f in files)
    if sum(len(f) + 1 for f in files) > 1_500_000:
        sys.exit(f"{len(files)} files: too many for one command line; pass fewer paths")
    print(f"interview-lens: {BIN}  (modified {time.ctime(BIN.stat().st_mtime)})")
    print(f"ruff:           {RUFF} ({RUFF_VERSION})")
    print(f"files: {len(files)} ({size / 1e6:.1f} MB) under {root}; machine: {os.cpu_count()} cores")

    # -- speed
    res = time_tools(files, args.runs)
    print(f"\n== Speed: wall time, {args.runs} interleaved runs each (after one warm-up run each)")
    med = {}
    for name in res["names"]:
        ts = res["times"][name]
        med[name] = statistics.median(ts)
        print(f"{name:<48} median {med[name]:7.3f} s  min {min(ts):7.3f} s  "
              f"({size / 1e6 / med[name]:5.1f} MB/s)  runs: {' '.join(f'{t:.3f}' for t in ts)}")
    ours_name, mapped_name, ruff_name = res["names"]
    lines = 0
    for f in files:
        with open(f, "rb") as fh:
            data = fh.read()
            lines += data.count(b"\n") + (1 if data and not data.endswith(b"\n") else 0)
    print(f"({lines:,} lines)")
    for label, name in (("all rules", ours_name), (f"the {len(FAMILIES)} mapped rules", mapped_name)):
        ratio = med[name] / med[ruff_name]
        per_round = [a / b for a, b in zip(res["times"][name], res["times"][ruff_name])]
        verdict = "meets" if ratio <= SPEED_GOAL else "misses"
        print(f"RATIO ours/ruff, {label:<20}: {ratio:.2f}x  (median {med[name]:.3f} s / {med[ruff_name]:.3f} s; "
              f"per round {min(per_round):.2f}-{max(per_round):.2f}x)  goal <= {SPEED_GOAL}x: {verdict}")

    # -- our findings from the last timed run
    ours_proc = res["last"][ours_name]
    ruff_proc = res["last"][ruff_name]
    print(f"\nlast run exit codes: interview-lens {ours_proc.returncode}, ruff {ruff_proc.returncode}")
    ours_stderr = ours_proc.stderr.decode(errors="replace").splitlines()
    for line in ours_stderr[:10]:
        print(f"  interview-lens stderr: {line[:200]}")
    if len(ours_stderr) > 10:
        print(f"  ... {len(ours_stderr) - 10} more stderr lines")
    bulk_ok = not crashed(ours_proc)
    try:
        our_findings = json.loads(ours_proc.stdout) if bulk_ok else None
    except json.JSONDecodeError:
        our_findings, bulk_ok = None, False
    ruff_diags = json.loads(ruff_proc.stdout)
    ruff_syntax = sum(1 for d in ruff_diags if d.get("code") is None or d.get("code") not in CODES)

    # -- crash sweep
    sweep = None
    if not args.no_sweep or not bulk_ok:
        t0 = time.perf_counter()
        sweep = per_file_sweep(files, args.file_timeout)
        status = Counter(r["status"] for r in sweep.values())
        bad = {p: r for p, r in sweep.items() if r["status"] in ("crash", "timeout")}
        print(f"\n== Crash sweep: one `interview-lens check` per file ({time.perf_counter() - t0:.1f} s)")
        print(f"files where interview-lens panicked/crashed/hung: {len(bad)}"
              f"  (exit 0/1: {status['ok']}, exit 2 with a reported error, not a crash: {status['refused']})")
        for p, r in list(bad.items())[:20]:
            detail = r.get("stderr", "").strip().splitlines()
            first = next((ln for ln in detail if "panicked" in ln), detail[0] if detail else "")
            print(f"  {r['status'].upper()} rc={r.get('rc')} {os.path.relpath(p, root)}: {first[:200]}")
        for p, r in [x for x in sweep.items() if x[1]["status"] == "refused"][:10]:
            print(f"  exit 2: {r['stderr'][:200]}")
        per_file = [f for r in sweep.values() for f in r.get("findings", [])]
        if our_findings is None:
            print("the all-files run crashed: findings below come from the per-file runs")
            our_findings = per_file
        else:
            key = lambda f: (norm(f["path"]), f["rule"], f["byte_range"][0], f["byte_range"][1])  # noqa: E731
            a, b = Counter(map(key, our_findings)), Counter(map(key, per_file))
            if a != b:
                print(f"WARNING: all-files run and per-file runs disagree: {sum((a - b).values())} only in "
                      f"the all-files run, {sum((b - a).values())} only in per-file runs")
            else:
                print(f"all-files run and per-file runs report the same {len(our_findings)} findings")
    elif not bulk_ok:
        print("interview-lens crashed on the all-files run")
        return 1

    # -- findings
    src = Sources()
    counts = Counter(f["rule"] for f in our_findings)
    print(f"\ninterview-lens findings: {len(our_findings)}; ruff diagnostics for the {len(CODES)} codes: "
          f"{len(ruff_diags) - ruff_syntax} (+{ruff_syntax} syntax errors / other, not compared)")
    unmapped = {r: n for r, n in counts.items() if r not in FAMILIES and r not in PREVIEW_FAMILIES}
    if unmapped:
        print("our rules with no Ruff counterpart (not compared): "
              + ", ".join(f"{r}: {n}" for r, n in sorted(unmapped.items())))
    ours = ours_items(our_findings)
    compare(ours, ruff_items(ruff_diags, set(CODES)), list(FAMILIES), root, src,
            f"by (file, family, line); ruff {RUFF_VERSION} stable rules")

    # C419 in preview also covers sum/min/max (stable: any/all only). Separate, untimed run.
    dt, prev = run(ruff_cmd(files, ["C419"], preview=True))
    compare(ours, ruff_items(json.loads(prev.stdout), {"C419"}), ["list-comprehension-in-call"], root, src,
            f"C419 with --preview (covers sum/min/max too; separate untimed run, {dt:.2f} s)")

    for family, codes in PREVIEW_FAMILIES.items():
        dt, prev = run(ruff_cmd(files, codes, preview=True))
        compare(ours, ruff_items(json.loads(prev.stdout), set(codes)), [family], root, src,
                f"{'/'.join(codes)} with --preview (separate untimed run, {dt:.2f} s)")

    if args.fix_check:
        fix_check(files, root, our_findings)

    if sweep is not None and any(r["status"] in ("crash", "timeout") for r in sweep.values()):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
