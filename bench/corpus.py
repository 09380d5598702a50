#!/usr/bin/env python3
"""Materialise the pinned bench corpus in target/bench-corpus/.

The corpus is what `bench/compare_ruff.py --corpus` times and compares, and what
`bench/precision.py` samples findings from:

    target/bench-corpus/
      stdlib/                 the CPython standard library of the running python3 (no site-packages)
      <name>-<version>/       the sdist of each pinned package below (tests included: several
                              rules have a policy for test code, so tests must be in the sample)
      MANIFEST.json           per package: version, sdist sha256, files, lines, bytes, tree digest

Only `.py` and `.pyi` files are kept. Sdists are fetched with the machine's pip
(`pip download --no-deps --no-binary :all:`, with `--require-hashes` against the sha256 pinned
below) into target/bench-sdists/. pip insists on preparing an sdist's metadata, which for
meson-python packages (numpy, pandas) means compiling them; the metadata is already in the sdist's
PKG-INFO, so pip runs with `--no-build-isolation` and a stub build backend that copies PKG-INFO
(nothing is built, no build dependency is installed).

Idempotent: a package whose folder is present and whose manifest entry matches (same version and
sha256, same tree digest on disk) is skipped; a folder that fails verification is rebuilt. The
stdlib entry records the Python version it was copied from; running with another python3 is an
error unless --force-stdlib. Not for CI (nothing here runs at test time) and never committed
(target/ is ignored).

Usage: python3 bench/corpus.py [--verify-only] [--force-stdlib] [--only NAME ...]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import sysconfig
import tarfile
import tempfile
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "target" / "bench-corpus"
SDISTS = REPO / "target" / "bench-sdists"
MANIFEST = CORPUS / "MANIFEST.json"
EXTS = (".py", ".pyi")
STDLIB_EXCLUDE = {"site-packages", "__pycache__"}

# name, exact version, sha256 of the sdist (as PyPI publishes it; pip checks it with --require-hashes).
PACKAGES: list[tuple[str, str, str]] = [
    # web frameworks and their stacks
    ("django", "5.2.19", "ad03d8abc51dbff95ebf34b27123cf0c26a3b62db7ba0cd520783686362533d1"),
    ("flask", "3.1.3", "0ef0e52b8a9cd932855379197dd8f94047b359ca0a78695144304cb45f87c9eb"),
    ("fastapi", "0.165.0", "dd94d4128319c1e1d50535ab023ab698f850a4d2822f0e181747b46f4ff3c0ab"),
    ("pydantic", "2.14.4", "7c19f1d46f8accf55a4617a6116e1ade64840870f397b846a2c53fb9019414ba"),
    ("sqlalchemy", "2.1.9", "d700a8b2edfb26282a470333d6bc4a454c4acda4d201a3bea7b72fa76c217d28"),
    ("requests", "2.34.2", "f288924cae4e29463698d6d60bc6a4da69c89185ad1e0bcc4104f584e960b9ed"),
    # scientific
    ("numpy", "2.4.6", "f3a3570c4a2a16746ac2c31a7c7c7b0c186b95ce902e33db6f28094ed7387dda"),
    ("pandas", "3.1.1", "05fed3e3b7c99b226f160e29d7d6cb7ef39638c758cbfe42b3f24ba34f04b859"),
    ("sympy", "1.14.0", "d3d3fe8df1e5a0b42f0e7bdf50541697dbe7d23746e894990c030e2b05e72517"),
    # tooling
    ("pytest", "9.2.0", "97c4f3b1f3c7414aa36465e09b8220f1d03627993bd51b1282e193753c80557b"),
    ("black", "26.10.1", "5f9f83beae62437e060dafd53d7f1fc327e3d3494f74d72ee5c2b73eb90fc4e7"),
    ("rich", "15.0.0", "edd07a4824c6b40189fb7ac9bc4c52536e9780fbbfbddf6f1e2502c31b068c36"),
    # async and application code
    ("aiohttp", "3.14.5", "5558a7f5a05af9ecf744af91e5baefc436f93c9333e656c27ec253f9a6bbe178"),
    ("httpx", "0.28.1", "75e98c5f16b0f35b567856f597f06ff2270a374470a5c2392242528e3e3e42fc"),
    ("celery", "5.7.0", "6a5dfcf6662287204f009a02002b9e66c83d4105e47ebabdc7079108772fc6f0"),
    ("scrapy", "2.19.0", "34130726582b64c91531162ab277c4053e558876d49ba219cb43679e71d80a87"),
]  # fmt: skip

STUB_BACKEND = '''\
"""Stub PEP 517 backend for bench/corpus.py: serves the metadata from the sdist's PKG-INFO."""
import email.parser, os, re, sys

def get_requires_for_build_wheel(config_settings=None):
    return []

def prepare_metadata_for_build_wheel(metadata_directory, config_settings=None):
    with open("PKG-INFO", encoding="utf-8") as f:
        raw = f.read()
    msg = email.parser.Parser().parsestr(raw, headersonly=True)
    name = re.sub(r"[-_.]+", "_", msg["Name"]).lower()
    dist_info = f"{name}-{msg['Version']}.dist-info"
    os.makedirs(os.path.join(metadata_directory, dist_info))
    with open(os.path.join(metadata_directory, dist_info, "METADATA"), "w", encoding="utf-8") as f:
        f.write(raw)
    return dist_info

def build_wheel(*args, **kwargs):
    raise RuntimeError("bench/corpus.py stub backend: metadata only, nothing is built")

__legacy__ = sys.modules[__name__]
'''

# Module paths of the build backends the pinned sdists declare (plus setuptools' legacy default).
STUB_MODULES = [
    "setuptools/build_meta.py", "hatchling/build.py", "flit_core/buildapi.py", "pdm/backend/__init__.py",
    "poetry/core/masonry/api.py", "mesonpy/__init__.py", "maturin/__init__.py",
    "scikit_build_core/build/__init__.py",
]  # fmt: skip


def dirname_of(name: str, version: str) -> str:
    return f"{name}-{version}"


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def tree_stats(root: Path) -> dict:
    """files, lines, bytes and a digest over (relative path, content) of every kept file."""
    digest = hashlib.sha256()
    files = lines = size = 0
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for fn in sorted(filenames):
            p = Path(dirpath) / fn
            data = p.read_bytes()
            rel = p.relative_to(root).as_posix()
            digest.update(rel.encode() + b"\0" + hashlib.sha256(data).digest())
            files += 1
            size += len(data)
            lines += data.count(b"\n") + (1 if data and not data.endswith(b"\n") else 0)
    return {"files": files, "lines": lines, "bytes": size, "digest": digest.hexdigest()}


def load_manifest() -> dict:
    if MANIFEST.exists():
        return json.loads(MANIFEST.read_text())
    return {}


def save_manifest(manifest: dict) -> None:
    tmp = MANIFEST.with_suffix(".tmp")
    tmp.write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n")
    tmp.replace(MANIFEST)


def verified(entry: dict | None, folder: Path, **expect) -> bool:
    if not entry or not folder.is_dir():
        return False
    if any(entry.get(k) != v for k, v in expect.items()):
        return False
    stats = tree_stats(folder)
    return all(stats[k] == entry.get(k) for k in ("files", "lines", "bytes", "digest"))


# ----------------------------------------------------------------------------- stdlib


def stdlib_entry(manifest: dict, force: bool) -> None:
    src = Path(os.path.realpath(sysconfig.get_paths()["stdlib"]))
    version = sys.version.split()[0]
    dst = CORPUS / "stdlib"
    entry = manifest.get("stdlib")
    if entry and entry.get("python") != version and not force:
        sys.exit(f"the corpus stdlib was copied from Python {entry.get('python')}, this is {version}: "
                 f"use that python3, or --force-stdlib to replace it")
    if verified(entry, dst, python=version):
        print(f"stdlib: present, verified (Python {version})")
        return
    print(f"stdlib: copying {src} (Python {version}, no site-packages)")
    tmp = Path(tempfile.mkdtemp(prefix=".stdlib-", dir=CORPUS))
    for dirpath, dirnames, filenames in os.walk(src):
        dirnames[:] = sorted(d for d in dirnames if d not in STDLIB_EXCLUDE)
        for fn in filenames:
            if fn.endswith(EXTS):
                s = Path(dirpath) / fn
                d = tmp / s.relative_to(src)
                d.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(s, d)
    replace_dir(tmp, dst)
    manifest["stdlib"] = {"python": version, "source": str(src), **tree_stats(dst)}
    save_manifest(manifest)


def replace_dir(tmp: Path, dst: Path) -> None:
    if dst.exists():
        shutil.rmtree(dst)
    tmp.rename(dst)


# ----------------------------------------------------------------------------- sdists


def sdist_path(name: str, version: str) -> Path | None:
    """The downloaded sdist for name==version in SDISTS, if there."""
    norm = name.replace("-", "_").lower()
    for p in SDISTS.glob("*"):
        stem = p.name.lower().replace("-", "_")
        if stem in (f"{norm}_{version}.tar.gz", f"{norm}_{version}.zip"):
            return p
    return None


def download(missing: list[tuple[str, str, str]]) -> None:
    """pip download of the missing sdists, hashes required where pinned."""
    SDISTS.mkdir(parents=True, exist_ok=True)
    stub = REPO / "target" / "bench-corpus-stub-backend"
    for mod in STUB_MODULES:
        p = stub / mod
        p.parent.mkdir(parents=True, exist_ok=True)
        for parent in p.relative_to(stub).parents:  # packages need an __init__.py
            if str(parent) != ".":
                init = stub / parent / "__init__.py"
                if not init.exists():
                    init.write_text("")
        p.write_text(STUB_BACKEND)
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as req:
        pinned = all(sha for _, _, sha in missing)
        for name, version, sha in missing:
            req.write(f"{name}=={version}" + (f" --hash=sha256:{sha}" if pinned else "") + "\n")
    cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary", ":all:",
           "--no-build-isolation", "--disable-pip-version-check", "--progress-bar", "off",
           "-d", str(SDISTS), "-r", req.name]
    if pinned:
        cmd.append("--require-hashes")
    env = dict(os.environ, PYTHONPATH=str(stub))
    print(f"pip download: {', '.join(f'{n}=={v}' for n, v, _ in missing)}")
    proc = subprocess.run(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    os.unlink(req.name)
    if proc.returncode != 0:
        sys.exit(f"pip download failed (exit {proc.returncode}):\n{proc.stdout[-4000:]}")


def extract(archive: Path, dst: Path) -> None:
    """Only regular .py/.pyi members, the sdist's top folder stripped, no path outside dst."""
    tmp = Path(tempfile.mkdtemp(prefix=f".{dst.name}-", dir=CORPUS))

    def put(member_name: str, data: bytes) -> None:
        parts = Path(member_name).parts[1:]  # strip "<name>-<version>/"
        if not parts or not parts[-1].endswith(EXTS) or any(p in ("..", "") or p.startswith("/") for p in parts):
            return
        target = tmp.joinpath(*parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)

    if archive.name.endswith(".zip"):
        with zipfile.ZipFile(archive) as zf:
            for info in zf.infolist():
                if not info.is_dir():
                    put(info.filename, zf.read(info))
    else:
        with tarfile.open(archive) as tf:
            for member in tf:
                if member.isfile():
                    put(member.name, tf.extractfile(member).read())
    replace_dir(tmp, dst)


def package_entries(manifest: dict, only: set[str] | None, verify_only: bool) -> list[str]:
    problems = []
    todo = []
    for name, version, sha in PACKAGES:
        if only and name not in only:
            continue
        folder = CORPUS / dirname_of(name, version)
        entry = manifest.get("packages", {}).get(name)
        expect = {"version": version} | ({"sha256": sha} if sha else {})
        if verified(entry, folder, **expect):
            print(f"{name}=={version}: present, verified")
            continue
        if verify_only:
            problems.append(f"{name}=={version}: missing or does not match the manifest")
            continue
        todo.append((name, version, sha))
    if verify_only:
        return problems
    missing = [p for p in todo if sdist_path(p[0], p[1]) is None]
    if missing:
        download(missing)
    for name, version, sha in todo:
        archive = sdist_path(name, version)
        if archive is None:
            sys.exit(f"{name}=={version}: pip reported success but no sdist is in {SDISTS}")
        got = sha256_file(archive)
        if sha and got != sha:
            archive.unlink()
            sys.exit(f"{name}=={version}: sha256 {got} != pinned {sha} (removed {archive}; run again)")
        if not sha:
            problems.append(f"{name}=={version}: no sha256 pinned; pin {got}")
        folder = CORPUS / dirname_of(name, version)
        # A stale folder of another version of the same package goes.
        for old in CORPUS.glob(f"{name}-*"):
            if old.is_dir() and old != folder:
                shutil.rmtree(old)
        extract(archive, folder)
        manifest.setdefault("packages", {})[name] = {
            "version": version, "sdist": archive.name, "sha256": got, **tree_stats(folder)}
        save_manifest(manifest)
        print(f"{name}=={version}: extracted from {archive.name}")
    return problems


# ----------------------------------------------------------------------------- main


def print_table(manifest: dict) -> None:
    rows = []
    if "stdlib" in manifest:
        s = manifest["stdlib"]
        rows.append((f"stdlib (Python {s['python']})", s))
    for name, version, _ in PACKAGES:
        e = manifest.get("packages", {}).get(name)
        if e and e.get("version") == version:
            rows.append((dirname_of(name, version), e))
    print(f"\n{'package':<28} {'files':>7} {'lines':>10} {'MB':>7}")
    tot = {"files": 0, "lines": 0, "bytes": 0}
    for label, e in rows:
        print(f"{label:<28} {e['files']:>7} {e['lines']:>10,} {e['bytes'] / 1e6:>7.1f}")
        for k in tot:
            tot[k] += e[k]
    print(f"{'TOTAL':<28} {tot['files']:>7} {tot['lines']:>10,} {tot['bytes'] / 1e6:>7.1f}")
    print(f"corpus: {CORPUS}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--verify-only", action="store_true", help="check what is there against the manifest; fetch nothing")
    ap.add_argument("--force-stdlib", action="store_true", help="replace a stdlib copied from another Python version")
    ap.add_argument("--only", nargs="+", metavar="NAME", help="only these packages (and the stdlib)")
    args = ap.parse_args()

    CORPUS.mkdir(parents=True, exist_ok=True)
    for leftover in CORPUS.glob(".*-*"):  # temp folders of an interrupted run
        if leftover.is_dir():
            shutil.rmtree(leftover)
    manifest = load_manifest()
    problems = []
    if args.verify_only:
        entry = manifest.get("stdlib")
        if not verified(entry, CORPUS / "stdlib", python=sys.version.split()[0]):
            problems.append("stdlib: missing, from another Python, or does not match the manifest")
    else:
        stdlib_entry(manifest, args.force_stdlib)
    problems += package_entries(manifest, set(args.only) if args.only else None, args.verify_only)
    # Folders no pinned package owns (an old version after a re-pin) are removed.
    wanted = {"stdlib"} | {dirname_of(n, v) for n, v, _ in PACKAGES}
    if not args.verify_only and not args.only:
        for d in CORPUS.iterdir():
            if d.is_dir() and d.name not in wanted:
                print(f"removing {d.name}: not pinned")
                shutil.rmtree(d)
        pinned_names = {n for n, _, _ in PACKAGES}
        stale = [n for n in manifest.get("packages", {}) if n not in pinned_names]
        for n in stale:
            del manifest["packages"][n]
        if stale:
            save_manifest(manifest)
    print_table(manifest)
    for p in problems:
        print(f"PROBLEM: {p}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
