#!/usr/bin/env python3
"""Peak memory (RSS) of `interview-lens check` against `ruff check` on the same files.

Standalone: builds the release binary and installs ruff==0.17.6 into target/bench-venv itself.

    python3 bench/memory.py                       # CPython stdlib, plus target/corpus if present
    python3 bench/memory.py --paths src/ other/   # other folders
    python3 bench/memory.py --runs 3 --no-build

Each tool runs --runs times per case, interleaved; the peak RSS of each run comes from wait4(2),
and the table shows the median. Cases: the corpus in JSON (ours and Ruff's) and in text mode
(ours), and one generated 20 MB file (a findings-dense one: 300,000 findings) in both modes.
A bigger corpus: `pip download --no-deps --no-binary :all: django==5.1.4 sympy==1.13.3` into
target/corpus and extract the archives there (the stdlib plus these is about 2.1 M lines).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import sysconfig
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BIN = REPO / "target" / "release" / "interview-lens"
VENV = REPO / "target" / "bench-venv"
RUFF = VENV / "bin" / "ruff"
RUFF_VERSION = "0.17.6"
CODES = (
    "B006,B008,F632,E711,E712,E721,B023,C419,PERF401,UP028,SIM115,E722,S110,S112,"
    "ASYNC210,ASYNC212,ASYNC220,ASYNC221,ASYNC222,ASYNC230,ASYNC251,B019,S301"
)
CHUNK = "def add(item, bucket=[]):\n    bucket.append(item)\n    return bucket\n"


def build() -> None:
    subprocess.run(["cargo", "build", "--release", "-q", "-p", "interview-lens"], cwd=REPO, check=True)


def ensure_ruff() -> None:
    if RUFF.exists():
        out = subprocess.run([str(RUFF), "--version"], capture_output=True, text=True).stdout
        if RUFF_VERSION in out:
            return
    subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    subprocess.run([str(VENV / "bin" / "pip"), "install", "-q", f"ruff=={RUFF_VERSION}"], check=True)


def peak_rss_mb(cmd: list[str]) -> tuple[float, int]:
    """Peak RSS in MB of one run (output discarded), and its exit code."""
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    return usage.ru_maxrss / 1024, proc.returncode  # Linux reports KiB


def lines_in(paths: list[str]) -> int:
    total = 0
    for root in paths:
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames[:] = [d for d in dirnames if d != "site-packages"]
            for name in filenames:
                if name.endswith(".py"):
                    with open(os.path.join(dirpath, name), "rb") as f:
                        total += f.read().count(b"\n")
    return total


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--paths", nargs="+", help="folders to check (default: stdlib + target/corpus)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-build", action="store_true")
    args = parser.parse_args()
    if not args.no_build:
        build()
    ensure_ruff()
    paths = args.paths or [sysconfig.get_paths()["stdlib"]] + (
        [str(REPO / "target" / "corpus")] if (REPO / "target" / "corpus").is_dir() else []
    )
    print(f"corpus: {', '.join(paths)} ({lines_in(paths):,} lines of Python, site-packages excluded)")

    with tempfile.TemporaryDirectory() as tmp:
        big = Path(tmp) / "big.py"
        big.write_text(CHUNK * (20_000_000 // len(CHUNK)))
        cases = [
            ("corpus, JSON", [str(BIN), "check", "--exit-zero", "--format", "json", *paths],
             [str(RUFF), "check", "--isolated", "--no-cache", "--exit-zero", "--select", CODES,
              "--output-format", "json", *paths]),
            ("corpus, text", [str(BIN), "check", "--exit-zero", *paths],
             [str(RUFF), "check", "--isolated", "--no-cache", "--exit-zero", "--select", CODES,
              "--output-format", "concise", *paths]),
            ("20 MB file, JSON", [str(BIN), "check", "--exit-zero", "--format", "json", str(big)],
             [str(RUFF), "check", "--isolated", "--no-cache", "--exit-zero", "--select", CODES,
              "--output-format", "json", str(big)]),
            ("20 MB file, text", [str(BIN), "check", "--exit-zero", str(big)],
             [str(RUFF), "check", "--isolated", "--no-cache", "--exit-zero", "--select", CODES,
              "--output-format", "concise", str(big)]),
        ]  # fmt: skip
        print(f"\npeak RSS, median of {args.runs} runs (MB)")
        print(f"{'case':<20} {'interview-lens':>15} {'ruff':>8} {'ours/ruff':>10}")
        for name, ours_cmd, ruff_cmd in cases:
            ours, ruff = [], []
            for _ in range(args.runs):
                for cmd, into in ((ours_cmd, ours), (ruff_cmd, ruff)):
                    mb, code = peak_rss_mb(cmd)
                    if code not in (0, 1):
                        print(f"  {cmd[0]} exited {code}", file=sys.stderr)
                    into.append(mb)
            o, r = statistics.median(ours), statistics.median(ruff)
            print(f"{name:<20} {o:>15.1f} {r:>8.1f} {o / r:>10.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
