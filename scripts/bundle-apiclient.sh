#!/usr/bin/env bash
# Builds dist/apiclient: `apiclient` as one self-contained executable (a Node single-executable
# application), to be bind-mounted read-only at /usr/local/bin/apiclient in host containers that have
# no Node. Needs dist/src/cli/apiclient.js (run after tsc). It runs on glibc-based images with
# libstdc++ (any Debian or Ubuntu image that has apt has both).
# Steps: esbuild bundles the CLI into one CommonJS file; node writes the SEA blob; the blob is
# injected into a copy of this node binary with postject. Skipped when the bundle and the node
# binary are the same as for the last build.
set -euo pipefail
cd "$(dirname "$0")/.."

out=dist/apiclient
work=dist/apiclient-sea
mkdir -p "$work"

# ws would try its optional native add-ons at load time; a SEA can only require built-ins (and
# warns on every run otherwise), so those lookups are compiled out.
npx --no-install esbuild dist/src/cli/apiclient.js --bundle --platform=node --format=cjs --target=node20 \
  --define:process.env.WS_NO_BUFFER_UTIL='"1"' --define:process.env.WS_NO_UTF_8_VALIDATE='"1"' \
  --log-level=warning --outfile="$work/apiclient.cjs"

node_bin=$(readlink -f "$(command -v node)")
stamp=$( { sha256sum "$work/apiclient.cjs" | cut -d' ' -f1; node --version; stat -c '%s %Y' "$node_bin"; } | sha256sum | cut -d' ' -f1)
if [ -x "$out" ] && [ -f "$work/stamp" ] && [ "$(cat "$work/stamp")" = "$stamp" ]; then
  exit 0
fi

cat > "$work/sea-config.json" <<EOF
{ "main": "$work/apiclient.cjs", "output": "$work/sea-prep.blob", "disableExperimentalSEAWarning": true, "useCodeCache": true }
EOF
quietly() { local log; if ! log=$("$@" 2>&1); then echo "$log" >&2; return 1; fi; }
quietly node --experimental-sea-config "$work/sea-config.json"
cp "$node_bin" "$out.tmp"
chmod u+w "$out.tmp"
quietly npx --no-install postject "$out.tmp" NODE_SEA_BLOB "$work/sea-prep.blob" \
  --sentinel-fuse NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2
chmod 755 "$out.tmp"
mv -f "$out.tmp" "$out"
rm -f "$work/sea-prep.blob"
echo "$stamp" > "$work/stamp"
echo "berth build: wrote $out" >&2
