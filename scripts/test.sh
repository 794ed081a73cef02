#!/usr/bin/env bash
# Runs every test: unit tests beside the code and the real-daemon tests under test/.
# Test files are named *.test.js; they are listed explicitly because Node's runner would otherwise
# also execute every .js file under a test/ directory (helpers, the benchmark).
set -euo pipefail
cd "$(dirname "$0")/.."
export BERTH_REPO="$PWD"
if [ $# -gt 0 ]; then
  files=("$@")
else
  mapfile -t files < <(find dist -name '*.test.js' -not -path '*/node_modules/*' | sort)
fi
exec node --test --test-concurrency=2 --test-timeout=900000 "${files[@]}"
