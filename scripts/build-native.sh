#!/usr/bin/env bash
# Builds each native helper src/native/<name>.c into the static binary dist/native/<name>
# (sheltie, and any other one-file helper beside it). A binary newer than its source and this
# script is left alone.
set -euo pipefail
cd "$(dirname "$0")/.."

mkdir -p dist/native
for src in src/native/*.c; do
  out=dist/native/$(basename "$src" .c)
  if [ -x "$out" ] && [ "$out" -nt "$src" ] && [ "$out" -nt scripts/build-native.sh ]; then
    continue
  fi
  command -v cc >/dev/null || { echo "berth build: no C compiler (cc); install gcc and libc6-dev" >&2; exit 1; }
  # Static, so that it runs in whatever mount namespace it enters or is bind-mounted into; -s strips it.
  # Built under a temporary name and renamed, so a concurrent build or test never sees half a binary.
  tmp="$out.tmp.$$"
  trap 'rm -f "$tmp"' EXIT
  cc -static -Os -s -Wall -Wextra -Werror -o "$tmp" "$src"
  mv -f "$tmp" "$out"
  echo "berth build: wrote $out" >&2
done
