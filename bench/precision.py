#!/usr/bin/env python3
"""Precision of interview-lens findings on the bench corpus, from labelled samples.

A finding claims "a senior interviewer would point at this code". This instrument measures how often
that is true: it draws a seeded, stratified random sample of the findings that
`target/release/interview-lens check` reports on target/bench-corpus/ (python3 bench/corpus.py makes
it), shows each sampled finding in context, records a human label for it in a committed file
bench/labels/<rule-id>.jsonl, and reports precision per rule and tier.

Sample. Strata are (rule, severity). Within a stratum the current findings are ordered by a keyed
hash, sha256(seed, path, rule, line, source line text), and the first K are taken: K = 10, or 25 when
the stratum has more than 200 findings, or all of them when there are fewer than K. Each finding's
position depends only on its own key, so this is a uniform random sample of the current findings of
the stratum, and it is stable across tool changes: a finding that is no longer reported is replaced
by the next one in hash order, a new finding enters the sample only if it hashes before the K-th,
and every other sampled finding (and its label) stays where it was.

Labels are keyed by path (relative to the corpus root) + rule + line + the stripped text of that
source line, so they stay attached to locations (the corpus is pinned). Each records the label
(tp / fp / debatable), a one-line reason naming the evidence, the severity and message at labelling
time, and the date.

Precision = TP / (TP + FP + debatable), over the labelled findings of the current sample. Per rule it
is given for warnings and for all findings; the all-findings figure weights each stratum by its number
of findings (strata are sampled at different rates). Target: >= 95% of warnings and >= 90% of all
findings true.

Commands:
  todo [--rule R] [--limit N]        every sampled finding with no label yet, in context
  show RULE PATH LINE                one finding (or labelled location) in context
  label RULE PATH LINE tp|fp|debatable "reason"
  report [--json]                    precision per rule; labelled locations whose outcome changed
Options (before the command): --no-run FILE reads findings JSON from FILE instead of running the
binary (paths absolute or relative to the corpus root); --seed S (default below).

The binary is not built here: cargo build --release -p interview-lens. Its JSON is cached in
target/precision-cache/, keyed by the binary's mtime and size and the corpus manifest.
Exit status: 0 for todo/show/report (an instrument, not a gate), 0 for a recorded label, 2 on a
usage error (unknown finding, bad label, no corpus, ...).
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import json
import os
import re
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "target" / "bench-corpus"
BIN = REPO / "target" / "release" / "interview-lens"
CACHE = REPO / "target" / "precision-cache"
LABELS = REPO / "bench" / "labels"
DEFAULT_SEED = "interview-lens-precision-v1"
LABEL_VALUES = ("tp", "fp", "debatable")
CONTEXT = 12
TARGET_WARN, TARGET_ALL = 0.95, 0.90
SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2, "information": 2, "hint": 3}
WARNING_TIER = {"warning", "error"}


class UsageError(Exception):
    pass


# ----------------------------------------------------------------------------- sources


class Sources:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.cache: dict[str, list[str]] = {}

    def lines(self, path: str) -> list[str]:
        if path not in self.cache:
            try:
                text = (self.root / path).read_bytes().decode("utf-8", errors="replace")
            except OSError:
                text = ""
            # The same line split as the binary's 1-based lines: \n, \r\n and lone \r.
            self.cache[path] = re.split(r"\r\n|\r|\n", text)
        return self.cache[path]

    def line(self, path: str, line: int) -> str | None:
        lines = self.lines(path)
        return lines[line - 1] if 0 < line <= len(lines) else None


def norm_path(path: str) -> str:
    p = Path(path)
    if p.is_absolute():
        try:
            p = p.resolve().relative_to(CORPUS.resolve())
        except ValueError:
            raise UsageError(f"{path} is not inside the corpus {CORPUS}") from None
    s = p.as_posix()
    return s[2:] if s.startswith("./") else s


# ----------------------------------------------------------------------------- findings


def corpus_files() -> list[str]:
    files = []
    for dirpath, dirnames, filenames in os.walk(CORPUS):
        dirnames.sort()
        for fn in filenames:
            if fn.endswith((".py", ".pyi")):
                files.append(os.path.relpath(os.path.join(dirpath, fn), CORPUS))
    return sorted(files)


def run_binary() -> list[dict]:
    if not (CORPUS / "MANIFEST.json").exists():
        raise UsageError(f"no bench corpus in {CORPUS}: run python3 bench/corpus.py first")
    if not BIN.exists():
        raise UsageError(f"{BIN} not found: cargo build --release -p interview-lens")
    st = BIN.stat()
    manifest = hashlib.sha256((CORPUS / "MANIFEST.json").read_bytes()).hexdigest()[:12]
    cached = CACHE / f"findings-{st.st_mtime_ns}-{st.st_size}-{manifest}.json"
    if cached.exists():
        return json.loads(cached.read_text())
    files = corpus_files()
    print(f"running {BIN.relative_to(REPO)} check on {len(files)} corpus files ...", file=sys.stderr)
    proc = subprocess.run([str(BIN), "check", "--format", "json", "--exit-zero", *files], cwd=CORPUS,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        findings = json.loads(proc.stdout)
    except json.JSONDecodeError:
        raise UsageError(f"interview-lens exited {proc.returncode} without JSON:\n"
                         f"{proc.stderr.decode(errors='replace')[-2000:]}") from None
    if proc.returncode != 0:
        print(f"warning: interview-lens exited {proc.returncode} (findings read anyway)", file=sys.stderr)
    CACHE.mkdir(parents=True, exist_ok=True)
    for old in CACHE.glob("findings-*.json"):
        old.unlink()
    tmp = cached.with_suffix(".tmp")
    tmp.write_text(json.dumps(findings))
    tmp.replace(cached)
    return findings


def load_findings(no_run: str | None, src: Sources) -> dict[tuple, dict]:
    """Current findings by key (path, rule, line, text). Several findings at one key (two on one
    line) count once; the most severe one stands for the key."""
    if no_run:
        try:
            raw = json.loads(Path(no_run).read_text())
        except (OSError, json.JSONDecodeError) as err:
            raise UsageError(f"--no-run {no_run}: {err}") from None
    else:
        raw = run_binary()
    out: dict[tuple, dict] = {}
    for f in raw:
        path = norm_path(f["path"])
        line = f["range"]["start"]["line"]
        text = (src.line(path, line) or "").strip()
        key = (path, f["rule"], line, text)
        item = {"path": path, "rule": f["rule"], "line": line, "text": text,
                "severity": f["severity"], "message": f["message"], "count": 1}
        if key in out:
            prev = out[key]
            item["count"] = prev["count"] + 1
            if SEVERITY_ORDER.get(prev["severity"], 9) <= SEVERITY_ORDER.get(f["severity"], 9):
                prev["count"] = item["count"]
                continue
        out[key] = item
    return out


# ----------------------------------------------------------------------------- sample


def rank(seed: str, key: tuple) -> str:
    path, rule, line, text = key
    return hashlib.sha256(f"{seed}\0{path}\0{rule}\0{line}\0{text}".encode()).hexdigest()


def sample_size(n: int) -> int:
    k = 25 if n > 200 else 10
    return min(k, n)


def strata(findings: dict[tuple, dict]) -> dict[tuple[str, str], list[tuple]]:
    out: dict[tuple[str, str], list[tuple]] = defaultdict(list)
    for key, f in findings.items():
        out[(f["rule"], f["severity"])].append(key)
    return out


def draw(findings: dict[tuple, dict], seed: str) -> dict[tuple[str, str], dict]:
    """Per stratum: population size and the sampled keys in hash order."""
    res = {}
    for stratum, keys in strata(findings).items():
        ordered = sorted(keys, key=lambda k: rank(seed, k))
        res[stratum] = {"n": len(keys), "sample": ordered[: sample_size(len(keys))]}
    return res


# ----------------------------------------------------------------------------- labels


def label_file(rule: str) -> Path:
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", rule):
        raise UsageError(f"not a rule id: {rule!r}")
    return LABELS / f"{rule}.jsonl"


def load_labels() -> dict[tuple, dict]:
    out = {}
    if not LABELS.is_dir():
        return out
    for p in sorted(LABELS.glob("*.jsonl")):
        for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
                key = (rec["path"], rec["rule"], rec["line"], rec["text"])
            except (json.JSONDecodeError, KeyError) as err:
                raise UsageError(f"{p}:{n}: malformed label ({err})") from None
            out[key] = rec
    return out


def save_rule_labels(rule: str, labels: dict[tuple, dict]) -> None:
    recs = sorted((r for k, r in labels.items() if k[1] == rule),
                  key=lambda r: (r["path"], r["line"], r["text"]))
    LABELS.mkdir(parents=True, exist_ok=True)
    p = label_file(rule)
    tmp = p.with_suffix(".tmp")
    tmp.write_text("".join(json.dumps(r, sort_keys=True, ensure_ascii=False) + "\n" for r in recs),
                   encoding="utf-8")
    tmp.replace(p)


# ----------------------------------------------------------------------------- context


def headers(lines: list[str], idx: int) -> list[tuple[int, str]]:
    """The enclosing def/class header lines (0-based index, text), outermost first."""
    def indent(s: str) -> int:
        return len(s) - len(s.lstrip(" \t"))

    out = []
    limit = indent(lines[idx]) if lines[idx].strip() else 10**9
    for i in range(idx - 1, -1, -1):
        s = lines[i]
        if not s.strip() or s.lstrip().startswith("#"):
            continue
        ind = indent(s)
        if ind < limit:
            if re.match(r"\s*(async\s+def|def|class)\b", s):
                out.append((i, s.rstrip()))
            limit = ind
            if ind == 0:
                break
    return list(reversed(out))


def context(src: Sources, item: dict, label: dict | None = None) -> str:
    lines = src.lines(item["path"])
    idx = item["line"] - 1
    out = [f"--- {item['path']}:{item['line']}  [{item['rule']}] {item.get('severity', '?')}"
           + (f" (x{item['count']} on this line)" if item.get("count", 1) > 1 else "")]
    if item.get("message"):
        out.append(f"    message: {item['message']}")
    if label:
        out.append(f"    labelled {label['label']} on {label['date']} (was {label['severity']}): {label['reason']}")
    if not 0 <= idx < len(lines):
        out.append("    <line not in file>")
        return "\n".join(out)
    lo, hi = max(0, idx - CONTEXT), min(len(lines), idx + CONTEXT + 1)
    for i, h in headers(lines, idx):
        if i < lo:
            out.append(f"  {i + 1:>6}  {h}")
    if any(i < lo for i, _ in headers(lines, idx)):
        out.append("     ...")
    for i in range(lo, hi):
        mark = ">>" if i == idx else "  "
        out.append(f"{mark}{i + 1:>6}  {lines[i].rstrip()}")
    return "\n".join(out)


# ----------------------------------------------------------------------------- commands


def find_item(findings: dict[tuple, dict], src: Sources, rule: str, path: str, line: int) -> tuple[tuple, dict]:
    text = (src.line(path, line) or "").strip()
    key = (path, rule, line, text)
    if key not in findings:
        raise UsageError(f"no current {rule} finding at {path}:{line}")
    return key, findings[key]


def valid_label(labels: dict, findings: dict, key: tuple) -> dict | None:
    """The label of a current finding, if it was given at the finding's current severity.

    A label judges the claim a finding makes, and the claim depends on its tier: "this default is
    mutated, later calls see earlier calls' items" (warning) and "only read here, nothing leaks yet"
    (hint) can be false and true of the same line. A label made at another tier is stale: the
    finding is unlabelled again until someone reads it at its new tier. `info` was the name of the
    no-harm-here tier before hints replaced it: the same claim, so it counts as `hint`.
    """
    label = labels.get(key)
    item = findings.get(key)
    if label is None or item is None or tier(label["severity"]) != tier(item["severity"]):
        return None
    return label


def tier(severity: str) -> str:
    """The claim a severity makes: harm shown (warning, error) or a teachable shape (info, hint)."""
    return "hint" if severity == "info" else severity


def cmd_todo(args, findings, labels, src) -> int:
    drawn = draw(findings, args.seed)
    shown = 0
    for stratum in sorted(drawn, key=lambda s: (s[0], SEVERITY_ORDER.get(s[1], 9))):
        if args.rule and stratum[0] != args.rule:
            continue
        missing = [k for k in drawn[stratum]["sample"] if valid_label(labels, findings, k) is None]
        if not missing:
            continue
        print(f"=== {stratum[0]} / {stratum[1]}: {len(missing)} of {len(drawn[stratum]['sample'])} sampled "
              f"unlabelled ({drawn[stratum]['n']} findings)")
        for k in missing:
            if args.limit is not None and shown >= args.limit:
                return 0
            stale = labels.get(k)
            print(context(src, findings[k], stale))
            print()
            shown += 1
    if shown == 0:
        print("nothing to label" + (f" for {args.rule}" if args.rule else ""))
    return 0


def cmd_show(args, findings, labels, src) -> int:
    path = norm_path(args.path)
    text = (src.line(path, args.line) or "").strip()
    key = (path, args.rule, args.line, text)
    item = findings.get(key)
    label = labels.get(key)
    if item is None and label is None:
        raise UsageError(f"no current {args.rule} finding and no label at {path}:{args.line}")
    if item is None:
        item = {"path": path, "rule": args.rule, "line": args.line, "severity": "not reported now",
                "message": None}
    print(context(src, item, label))
    return 0


def cmd_label(args, findings, labels, src) -> int:
    if args.label not in LABEL_VALUES:
        raise UsageError(f"label must be one of {', '.join(LABEL_VALUES)}, not {args.label!r}")
    reason = " ".join(args.reason.split())
    if not reason:
        raise UsageError("a reason is required: the evidence in the code, in a few words")
    path = norm_path(args.path)
    key, item = find_item(findings, src, args.rule, path, args.line)
    labels[key] = {
        "path": path, "rule": args.rule, "line": args.line, "text": key[3],
        "label": args.label, "reason": reason, "severity": item["severity"], "message": item["message"],
        "date": datetime.date.today().isoformat(),
    }
    save_rule_labels(args.rule, labels)
    print(f"{args.label}: {args.rule} {path}:{args.line}")
    return 0


def precision(c: Counter) -> float | None:
    n = c["tp"] + c["fp"] + c["debatable"]
    return c["tp"] / n if n else None


def build_report(findings, labels, seed) -> dict:
    drawn = draw(findings, seed)
    rules = sorted({s[0] for s in drawn} | {k[1] for k in labels})
    report = {"seed": seed, "findings": len(findings), "rules": {}, "changed": [], "unlabelled_strata": []}
    for rule in rules:
        rs = {"strata": {}, "by_severity": {}}
        for (r, sev), d in sorted(drawn.items(), key=lambda x: SEVERITY_ORDER.get(x[0][1], 9)):
            if r != rule:
                continue
            c = Counter(lab["label"] for k in d["sample"] if (lab := valid_label(labels, findings, k)))
            lab = sum(c.values())
            rs["strata"][sev] = {"findings": d["n"], "sampled": len(d["sample"]), "labelled": lab,
                                 "tp": c["tp"], "fp": c["fp"], "debatable": c["debatable"],
                                 "precision": precision(c)}
            rs["by_severity"][sev] = d["n"]
            if lab < len(d["sample"]):
                report["unlabelled_strata"].append({"rule": rule, "severity": sev,
                                                    "unlabelled": len(d["sample"]) - lab})
        st = rs["strata"]
        tot = Counter()
        for s in st.values():
            tot.update({k: s[k] for k in ("findings", "sampled", "labelled", "tp", "fp", "debatable")})
        rs["total"] = dict(tot)
        # Warnings: the warning tier's strata. All: each stratum's precision weighted by its size.
        warn = [s for sev, s in st.items() if sev in WARNING_TIER and s["precision"] is not None]
        wn = sum(s["findings"] for s in warn)
        rs["precision_warning"] = (sum(s["precision"] * s["findings"] for s in warn) / wn) if wn else None
        known = [s for s in st.values() if s["precision"] is not None]
        kn = sum(s["findings"] for s in known)
        rs["precision_all"] = (sum(s["precision"] * s["findings"] for s in known) / kn) if kn else None
        rs["complete"] = all(s["labelled"] == s["sampled"] for s in st.values())
        under = []
        if rs["precision_warning"] is not None and rs["precision_warning"] < TARGET_WARN:
            under.append(f"warnings < {TARGET_WARN:.0%}")
        if rs["precision_all"] is not None and rs["precision_all"] < TARGET_ALL:
            under.append(f"all < {TARGET_ALL:.0%}")
        rs["under_target"] = under
        rs["labels_outside_sample"] = sum(
            1 for k in labels if k[1] == rule and k in findings
            and k not in set(drawn.get((rule, findings[k]["severity"]), {}).get("sample", [])))
        report["rules"][rule] = rs
    for key, lab in sorted(labels.items()):
        now = findings.get(key)
        if now is None:
            report["changed"].append({**{k: lab[k] for k in ("path", "rule", "line", "label", "reason")},
                                      "was": lab["severity"], "now": None})
        elif tier(now["severity"]) != tier(lab["severity"]):
            report["changed"].append({**{k: lab[k] for k in ("path", "rule", "line", "label", "reason")},
                                      "was": lab["severity"], "now": now["severity"]})
    return report


def pct(x: float | None) -> str:
    return "   -" if x is None else f"{x * 100:3.0f}%"


def cmd_report(args, findings, labels, src) -> int:
    rep = build_report(findings, labels, args.seed)
    if args.json:
        print(json.dumps(rep, indent=1, sort_keys=True))
        return 0
    print(f"findings in the corpus: {len(findings)} (distinct path+rule+line); seed {args.seed!r}")
    print(f"\n{'rule / severity':<38} {'found':>6} {'samp':>5} {'lab':>4} {'tp':>4} {'fp':>4} {'deb':>4} "
          f"{'P':>5} {'P(warn)':>8} {'P(all)':>7}  flags")
    for rule, rs in rep["rules"].items():
        t = rs["total"]
        flags = list(rs["under_target"])
        if not rs["complete"]:
            flags.append("unlabelled samples")
        if not rs["strata"]:
            flags.append("no findings now")
        print(f"{rule:<38} {t.get('findings', 0):>6} {t.get('sampled', 0):>5} {t.get('labelled', 0):>4} "
              f"{t.get('tp', 0):>4} {t.get('fp', 0):>4} {t.get('debatable', 0):>4} {'':>5} "
              f"{pct(rs['precision_warning']):>8} {pct(rs['precision_all']):>7}  {'; '.join(flags)}")
        for sev, s in rs["strata"].items():
            print(f"  {sev:<36} {s['findings']:>6} {s['sampled']:>5} {s['labelled']:>4} {s['tp']:>4} "
                  f"{s['fp']:>4} {s['debatable']:>4} {pct(s['precision']):>5}")
    print(f"\nP = TP / (TP + FP + debatable) over the labelled sample; P(all) weights strata by findings. "
          f"Target: P(warn) >= {TARGET_WARN:.0%}, P(all) >= {TARGET_ALL:.0%}.")
    if rep["unlabelled_strata"]:
        print("\nstrata with unlabelled samples (python3 bench/precision.py todo --rule R):")
        for u in rep["unlabelled_strata"]:
            print(f"  {u['rule']} / {u['severity']}: {u['unlabelled']} unlabelled")
    outside = {r: rs["labels_outside_sample"] for r, rs in rep["rules"].items() if rs["labels_outside_sample"]}
    if outside:
        print("\nlabels on current findings outside today's sample (kept, not counted): "
              + ", ".join(f"{r}: {n}" for r, n in outside.items()))
    print(f"\nlabelled locations whose outcome changed since labelling: {len(rep['changed'])}")
    for c in rep["changed"]:
        now = "no longer reported" if c["now"] is None else f"{c['was']} -> {c['now']}"
        print(f"  {c['path']}:{c['line']} [{c['rule']}] labelled {c['label']}: {now}  ({c['reason']})")
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--no-run", metavar="FILE", help="read findings JSON from FILE instead of running the binary")
    ap.add_argument("--seed", default=DEFAULT_SEED, help=f"sample seed (default {DEFAULT_SEED!r})")
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("todo", help="sampled findings with no label yet, in context")
    p.add_argument("--rule")
    p.add_argument("--limit", type=int)
    p = sub.add_parser("show", help="one finding or labelled location in context")
    p.add_argument("rule")
    p.add_argument("path")
    p.add_argument("line", type=int)
    p = sub.add_parser("label", help="record one label")
    p.add_argument("rule")
    p.add_argument("path")
    p.add_argument("line", type=int)
    p.add_argument("label", help="tp | fp | debatable")
    p.add_argument("reason", help="one line: the evidence in the code")
    p = sub.add_parser("report", help="precision per rule; changed outcomes")
    p.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    try:
        src = Sources(CORPUS)
        labels = load_labels()
        findings = load_findings(args.no_run, src)
        return {"todo": cmd_todo, "show": cmd_show, "label": cmd_label, "report": cmd_report}[args.cmd](
            args, findings, labels, src)
    except UsageError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
