#!/usr/bin/env bash
# Runs every test (or the test files given): unit tests beside the code and the real-daemon tests
# under test/. Test files are named *.test.js; they are listed explicitly because Node's runner would
# otherwise also execute every .js file under a test/ directory (helpers, the benchmark).
#
# Every test root of the run lives in one fresh directory (BERTH_TEST_ROOTS). Afterwards, pass or
# fail, anything still there — processes, mounts, cgroups — is printed and removed, and the run fails.
set -uo pipefail
cd "$(dirname "$0")/.."
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

# Node 20 applies --test-timeout to each test file as a whole and ends a file that runs past it with
# SIGTERM; so does the runner when it is stopped. The test helpers reap their roots then.
node --test --test-concurrency=2 --test-timeout="${BERTH_TEST_TIMEOUT:-300000}" "${files[@]}" &
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
