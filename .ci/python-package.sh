#!/usr/bin/env bash
# The Python package and the pre-commit hook, as users install them:
#  1. `maturin build` makes the wheel; a fresh virtual environment installs it and runs
#     `interview-lens --version` and `check` on the examples;
#  2. a real `pre-commit run` in a temporary git repository, with the hook from this repository at
#     HEAD (`language: python`: pre-commit pip-installs the repository, which builds with maturin),
#     once plain and once with `args: [--fix]`.
# Needs python3 with venv and the package registries (maturin, pre-commit from PyPI; crates).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work="$root/target/python-package"
# The hook's build reuses the compiled dependencies instead of starting a cold cargo build.
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$root/target}
rm -rf "$work/wheels" "$work/fresh" "$work/hook-test" "$work/pre-commit-home"
mkdir -p "$work"

if [ ! -x "$work/tools/bin/maturin" ] || [ ! -x "$work/tools/bin/pre-commit" ]; then
  python3 -m venv "$work/tools"
  "$work/tools/bin/pip" install --quiet --disable-pip-version-check maturin==1.16.0 pre-commit==4.7.0
fi

echo "python-package: building the wheel"
(cd "$root" && "$work/tools/bin/maturin" build --release --quiet --out "$work/wheels")
wheel=$(ls "$work"/wheels/interview_lens-*.whl)
python3 -m venv "$work/fresh"
"$work/fresh/bin/pip" install --quiet --disable-pip-version-check "$wheel"
exe="$work/fresh/bin/interview-lens"
version=$("$exe" --version)
expected="interview-lens $(sed -n 's/^version = "\(.*\)"/\1/p' "$root/server/Cargo.toml" | head -1)"
[ "$version" = "$expected" ] || { echo "python-package: --version says '$version', expected '$expected'"; exit 1; }
set +e
report=$(cd "$root" && "$exe" check examples/)
code=$?
set -e
[ "$code" = 1 ] || { echo "python-package: check on the examples exited $code, expected 1 (findings)"; exit 1; }
grep -q "mutable-default-argument" <<<"$report" || { echo "python-package: no finding in:"; echo "$report"; exit 1; }
echo "python-package: the wheel's binary works ($version)"

# pre-commit, from a temporary repository with one file that has a finding and a safe fix.
repo="$work/hook-test"
mkdir -p "$repo"
cd "$repo"
git init --quiet
git config user.email ci@example.invalid
git config user.name ci
printf 'def cleanup(task):\n    try:\n        task()\n    except:\n        print("cleanup")\n        raise\n' > app.py
rev=$(git -C "$root" rev-parse HEAD)
hook_config() {
  printf 'repos:\n  - repo: %s\n    rev: %s\n    hooks:\n      - id: interview-lens\n%b' "$root" "$rev" "${1:-}" > .pre-commit-config.yaml
}
hook_config
git add app.py .pre-commit-config.yaml
export PRE_COMMIT_HOME="$work/pre-commit-home"
echo "python-package: pre-commit run (installs the hook from $root at $rev)"
set +e
out=$("$work/tools/bin/pre-commit" run --all-files 2>&1)
code=$?
set -e
if [ "$code" != 1 ] || ! grep -q "bare-except" <<<"$out"; then
  echo "python-package: pre-commit should fail with the finding (exit $code):"
  echo "$out"
  exit 1
fi
hook_config '        args: [--fix]\n'
git add .pre-commit-config.yaml
set +e
out=$("$work/tools/bin/pre-commit" run --all-files 2>&1)
set -e
if ! grep -q "except BaseException:" app.py; then
  echo "python-package: the --fix variant did not apply the safe fix:"
  echo "$out"
  cat app.py
  exit 1
fi
git add app.py
"$work/tools/bin/pre-commit" run --all-files >/dev/null || {
  echo "python-package: pre-commit still fails after the fix"
  "$work/tools/bin/pre-commit" run --all-files
  exit 1
}
echo "python-package: pre-commit hook ok (check, then --fix)"
