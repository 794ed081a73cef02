# Helpers for check scripts, sourced by every script. The host parses the lines starting with
# "@@berth " from the serial console:
#   @@berth check pass NAME                a check held
#   @@berth check fail NAME -- DETAIL      a check failed
#   @@berth expect-denial STYPE TTYPE TCLASS PERM [NAME]
#                                          an AVC denial the checks provoke on purpose (NAME:
#                                          the object's name="..." in the AVC, when given)
#   @@berth info TEXT                      anything worth showing
# The host fails the run on any failed check, any expected denial that did not happen and any
# denial that was not expected.

export PATH=/usr/sbin:/usr/bin
VM=/usr/lib/berth-vm
CONTROL=system_u:system_r:control_t:s0-s0:c0.c1023
SUPER=system_u:system_r:super_t:s0-s0:c0.c1023
CONTAINER=system_u:system_r:container_t:s0:c1,c2

say() { echo "@@berth $*"; }
pass() { say "check pass $1"; }
fail() { say "check fail $1 -- $2"; }

# expect_denial STYPE TTYPE TCLASS PERM [NAME]
expect_denial() { say "expect-denial $*"; }

# as_runtime CMD...: run CMD in runtime_t (the wrapper is labelled runtime_exec_t).
as_runtime() { "$VM/as-runtime" "$@"; }

# as_domain CONTEXT ENTRY CMD...: from runtime_t, start ENTRY (a file the domain may enter
# from) in CONTEXT, the way runc starts a container's entrypoint; ENTRY then runs CMD.
as_domain() { ctx=$1; shift; as_runtime runcon "$ctx" "$@"; }

# allowed NAME CMD...: CMD must succeed.
allowed() {
  name=$1; shift
  if out=$("$@" 2>&1); then pass "$name"; else fail "$name" "expected success, got: $(echo "$out" | tail -n 3 | tr '\n' ' ')"; fi
}

# denied NAME CMD...: CMD must fail with "Permission denied".
denied() {
  name=$1; shift
  if out=$("$@" 2>&1); then
    fail "$name" "expected a denial, but it succeeded: $(echo "$out" | tail -n 2 | tr '\n' ' ')"
  elif echo "$out" | grep -q 'Permission denied'; then
    pass "$name"
  else
    fail "$name" "expected Permission denied, got: $(echo "$out" | tail -n 3 | tr '\n' ' ')"
  fi
}

# context_of FILE: the SELinux context of FILE. (By full path: busybox's sh would otherwise run
# its own stat applet, which knows nothing of SELinux.)
context_of() { /usr/bin/stat -c %C "$1"; }

# type_of CONTEXT: the type field.
type_of() { echo "$1" | cut -d: -f3; }

# equals NAME ACTUAL EXPECTED
equals() {
  if [ "$2" = "$3" ]; then pass "$1"; else fail "$1" "expected '$3', got '$2'"; fi
}

# start_api_server: serve a stand-in for berth's API on /run/berth/api.sock, from node in
# runtime_t as berthd would, unless it is already served. Its output goes to $API_SERVER_LOG.
# (Call it directly, not in $(...): the command substitution would wait for the server.)
API_SERVER_LOG=/tmp/api-server.out
API_SERVER_PID=/tmp/api-server.pid
start_api_server() {
  [ -S /run/berth/api.sock ] && return 0
  as_runtime mkdir -p /run/berth
  as_runtime node "$VM/api-server.mjs" /run/berth/api.sock > "$API_SERVER_LOG" 2>&1 < /dev/null &
  echo $! > "$API_SERVER_PID"
  for _ in $(seq 1 120); do [ -S /run/berth/api.sock ] && break; sleep 0.5; done
  sleep 0.5
}

# stop_api_server: end the stand-in (before berthd serves the real API on the same path).
stop_api_server() {
  [ -f "$API_SERVER_PID" ] || return 0
  pid=$(cat "$API_SERVER_PID")
  kill "$pid" 2>/dev/null
  for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
  rm -f "$API_SERVER_PID" /run/berth/api.sock
}

# make_rootfs DIR CONTEXT: a one-file container rootfs (busybox; /usr comes from the host through
# a bind mount where a container needs node), every file labelled CONTEXT.
make_rootfs() {
  mkdir -p $1/bin $1/usr $1/proc $1/sys $1/dev $1/tmp $1/run
  cp /usr/bin/busybox $1/bin/busybox
  for applet in sh sleep cat echo; do ln -s busybox $1/bin/$applet; done
  ln -s usr/lib $1/lib
  ln -s usr/lib64 $1/lib64
  chcon -R "$2" $1
}
