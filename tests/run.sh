#!/usr/bin/env bash
# The whole test suite: installs the editors the end-to-end tests drive, then runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."
tests/setup-editors.sh
INTERVIEW_LENS_REQUIRE_EDITORS=1 cargo test --workspace
