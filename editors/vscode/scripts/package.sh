#!/usr/bin/env bash
# Builds the release server, bundles it into bin/, compiles the extension and packages a .vsix for
# this platform. Output: editors/vscode/interview-lens-<version>.vsix
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
root=$(cd "$here/../.." && pwd)
# INTERVIEW_LENS_BINARY bundles a given build instead (the end-to-end test uses its debug build).
binary=${INTERVIEW_LENS_BINARY:-}
if [ -z "$binary" ]; then
  cargo build --release --quiet -p interview-lens --manifest-path "$root/Cargo.toml"
  binary=${CARGO_TARGET_DIR:-$root/target}/release/interview-lens
fi
mkdir -p "$here/bin"
cp "$binary" "$here/bin/interview-lens"
# Debug information is for developers, not for the .vsix.
strip "$here/bin/interview-lens" 2>/dev/null || true
cd "$here"
[ -d node_modules ] || npm ci --no-audit --no-fund --loglevel=error
npm run --silent compile
case "$(uname -m)" in x86_64) arch=x64 ;; aarch64) arch=arm64 ;; *) arch=$(uname -m) ;; esac
out=${VSIX_OUT:-$here/interview-lens-$(node -p 'require("./package.json").version').vsix}
# The bundle holds the dependencies: vsce must not add node_modules.
npx --no-install vsce package --no-dependencies --target "linux-$arch" --out "$out"
echo "$out"
