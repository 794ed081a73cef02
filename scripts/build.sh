#!/usr/bin/env bash
# Compiles the TypeScript sources and the native helper into dist/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build-native.sh
npx --no-install tsc -p .
chmod +x dist/src/cli/*.js 2>/dev/null || true
bash scripts/bundle-apiclient.sh
