#!/usr/bin/env bash
# Runs every test: unit tests beside the code and the real-daemon tests under test/.
set -euo pipefail
cd "$(dirname "$0")/.."
export BERTH_REPO="$PWD"
exec node --test --test-concurrency=2 --test-timeout=600000 "${@:-dist/}"
