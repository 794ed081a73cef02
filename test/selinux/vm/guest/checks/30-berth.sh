#!/bin/sh
# berth itself in the enforcing kernel, as on a host: berthd (runtime_t) starts host-containerd,
# the orchestrator's containerd and the control container; admin is enabled through the API. The
# containers' processes must carry their classes' labels, control must be refused what the
# policy refuses it and admin allowed it, and an orchestrated container must not reach the API.
# needs: berth
# check-timeout: 720
. /usr/lib/berth-vm/lib.sh
B=/usr/lib/berth
SOCK=/run/berth/api.sock
ORCH_SOCK=/run/containerd/containerd.sock
LOG=/tmp/berthd.log
W=/run/berth-vm/berth
SECRET=/var/lib/systemd/random-seed
DATASTORE=/var/lib/berth/datastore/datastore.json
HOST_SECRET_CONTEXT=system_u:object_r:secret_t:s0:c1023

if [ ! -x $B/dist/bin/berthd ]; then
  fail "berth:in the guest" "no $B/dist/bin/berthd (the harness adds berth unless --no-berth)"
  exit 0
fi

# apiclient ARGS...: berth's apiclient on the guest's host side (init_t, an API client).
apiclient() { $B/dist/bin/apiclient -s $SOCK "$@"; }

# show_log: berthd's last lines, when something went wrong.
show_log() { tail -n "${1:-15}" $LOG | cut -c1-300 | while IFS= read -r l; do say "info berthd: $l"; done; }

# wait_running NAME SECONDS: waits until `apiclient status NAME` reports it running with a pid
# and prints the pid; fails after SECONDS.
wait_running() {
  end=$(( $(date +%s) + $2 ))
  while [ "$(date +%s)" -lt "$end" ]; do
    st=$(apiclient status "$1" --json 2>/dev/null | tr -d ' \n')
    case "$st" in
      *'"state":"running"'*)
        pid=$(echo "$st" | sed -n 's/.*"pid":\([0-9][0-9]*\).*/\1/p')
        [ -n "$pid" ] && [ -d /proc/$pid ] && { echo "$pid"; return 0; } ;;
    esac
    sleep 3
  done
  return 1
}

# started NAME LABEL: waits for host container NAME (the script ends when it never runs), then
# checks that its process, and a process `apiclient exec` starts in it, run in LABEL. Sets
# $started_pid and $started_ctx (read from /proc/<pid>/attr/current).
started() {
  if ! started_pid=$(wait_running "$1" 360); then
    fail "berth $1:running" "not running after 360 s: $(apiclient status "$1" 2>&1 | tail -n 1)"; show_log; exit 0
  fi
  pass "berth $1:running"
  started_ctx=$(tr -d '\0' < /proc/$started_pid/attr/current)
  say "info $1 pid $started_pid context $started_ctx"
  equals "berth $1:its process runs in $(type_of "$2") (/proc/<pid>/attr/current)" "$started_ctx" "$2"
  equals "berth $1:apiclient exec runs in $(type_of "$2")" \
    "$(apiclient exec "$1" cat /proc/self/attr/current | tr -d '\0')" "$2"
}

# in_context CONTEXT CMD...: CMD as a process in exactly CONTEXT (a host container's label read
# from /proc/<pid>/attr/current), entered the way runc enters it: from runtime_t, under
# no_new_privs, through a secret_t entrypoint. It runs in the host's mount namespace, where
# objects the container has not mounted are visible.
in_context() { ctx=$1; shift; as_runtime setpriv --nnp runcon "$ctx" $VM/entry-host "$@"; }

# contains NAME NEEDLE CMD...: CMD must succeed and print NEEDLE.
contains() {
  name=$1 needle=$2; shift 2
  if out=$("$@" 2>&1) && echo "$out" | grep -qF -- "$needle"; then pass "$name"
  else fail "$name" "expected output with '$needle', got: $(echo "$out" | tail -n 3 | tr '\n' ' ')"; fi
}

# --- A clean host for berth: the earlier checks' stand-in API server, their berth directories
# and their containerd state go.
stop_api_server
rm -rf /run/berth /var/lib/berth /var/log/berth /var/lib/containerd /run/containerd
mkdir -p $W

# --- A host secret outside host-container storage, labelled by the policy's file contexts.
mkdir -p /var/lib/systemd
echo seed-from-boot > $SECRET
setfiles -F /etc/selinux/berth/contexts/files/file_contexts $SECRET
equals "host secret:$SECRET is labelled secret_t:s0:c1023" "$(context_of $SECRET)" $HOST_SECRET_CONTEXT

# --- berthd, started by init: its launcher is runtime_exec_t, so it runs in runtime_t.
$B/dist/bin/berthd run > $LOG 2>&1 < /dev/null &
berthd_pid=$!
for _ in $(seq 1 240); do [ -S $SOCK ] && break; kill -0 $berthd_pid 2>/dev/null || break; sleep 0.5; done
if [ ! -S $SOCK ]; then
  fail "berth:berthd serves its API" "no $SOCK"; show_log 30; exit 0
fi
equals "berth:berthd runs in runtime_t" "$(tr -d '\0' < /proc/$berthd_pid/attr/current)" system_u:system_r:runtime_t:s0
equals "berth:its API socket is api_socket_t" "$(context_of $SOCK)" system_u:object_r:api_socket_t:s0
for name in host-containerd containerd; do
  pid=$(cat /run/berth/$name.pid 2>/dev/null)
  equals "berth:$name runs in runtime_t" "$(tr -d '\0' < /proc/${pid:-0}/attr/current 2>&1)" system_u:system_r:runtime_t:s0
done
equals "berth:the datastore is private_t" "$(type_of "$(context_of /var/lib/berth/datastore)")" private_t

# --- control, started by berth with the default class.
started control "$CONTROL"
ctl_pid=$started_pid ctl_ctx=$started_ctx
equals "berth control:its rootfs carries the mount label secret_t:s0" "$(context_of /proc/$ctl_pid/root/)" \
  system_u:object_r:secret_t:s0
contains "berth control:writes its own storage (apiclient exec)" storage-ok \
  apiclient exec control sh -c 'echo storage-ok > /.bottlerocket/host-containers/current/probe && cat /.bottlerocket/host-containers/current/probe'

# Neither the host secret nor the datastore is mounted into control, so the probes below run as
# processes in control's exact context, in the host's mount namespace, where both are visible.
say "info control's mount namespace has neither $SECRET nor $DATASTORE: $(apiclient exec control ls $SECRET $DATASTORE 2>&1 | tr '\n' ' ')"
say "info the next two probes run in control's context $ctl_ctx (from /proc/$ctl_pid/attr/current) in the host mount namespace"
expect_denial control_t secret_t file write random-seed
denied "berth control:cannot write a host secret outside its storage (secret_t:s0:c1023)" \
  in_context "$ctl_ctx" sh -c "echo from-control > $SECRET"
equals "berth control:the host secret is unchanged" "$(cat $SECRET)" seed-from-boot
expect_denial control_t private_t dir search berth
denied "berth control:cannot read the datastore" in_context "$ctl_ctx" cat $DATASTORE

# --- admin, enabled through the API, started with the superpowered class.
allowed "berth admin:enabled through the API" apiclient set host-containers.admin.enabled=true
started admin "$SUPER"
# The datastore is reachable in admin's mount namespace (the host's / at /.bottlerocket/rootfs).
contains "berth admin:reads the datastore (apiclient exec, /.bottlerocket/rootfs)" '"admin"' \
  apiclient exec admin cat /.bottlerocket/rootfs$DATASTORE
# /.bottlerocket/rootfs is read-only; sheltie enters the host's namespaces, as a person would.
allowed "berth admin:writes a host secret outside its storage (apiclient exec admin sheltie)" \
  apiclient exec admin /usr/sbin/sheltie /bin/sh -c "echo seed-from-admin > $SECRET"
equals "berth admin:the host secret holds what admin wrote" "$(cat $SECRET)" seed-from-admin
equals "berth admin:the host secret keeps its label" "$(context_of $SECRET)" $HOST_SECRET_CONTEXT

# --- An orchestrated container on the orchestrator's containerd (berth's, at $ORCH_SOCK), with
# berth's API socket mounted into it. Its rootfs is like unpacked image layers (cache_t), so runc
# starts it in container_t. The socket is mounted from a second name of the same inode (same
# label, same server), so its denial is told apart from the earlier checks' api.sock.
make_rootfs $W/orch-rootfs system_u:object_r:cache_t:s0
ln $SOCK $W/berth-api.sock
orch_run() {
  id=$1; shift
  ctr -a $ORCH_SOCK run --rm \
    --mount type=bind,src=/usr,dst=/usr,options=rbind:ro \
    --mount type=bind,src=$W/berth-api.sock,dst=/run/api.sock,options=bind:rw \
    --rootfs $W/orch-rootfs "$id" "$@"
}
equals "berth orchestrated:runs in container_t" "$(orch_run orch-label /bin/cat /proc/self/attr/current | tr -d '\0')" \
  system_u:system_r:container_t:s0
# The client is node from the host's /usr, started by the container's shell: a container whose
# first process were that os_t file would not enter container_t (no type transition names os_t).
expect_denial container_t api_socket_t sock_file write berth-api.sock
out=$(orch_run orch-api /bin/sh -c "/usr/bin/node $VM/api-client.mjs /run/api.sock" 2>&1)
say "info orchestrated client: $(echo "$out" | tr '\n' ' ')"
case "$out" in
  *"client context system_u:system_r:container_t:s0"*"Permission denied"*)
    pass "berth orchestrated:cannot open berth's API socket" ;;
  *) fail "berth orchestrated:cannot open berth's API socket" \
       "expected a client in container_t refused with Permission denied, got: $(echo "$out" | tail -n 3 | tr '\n' ' ')" ;;
esac

# berth keeps running until the VM powers off; the AVC messages are read after the last script.
say "info control restarts: $(apiclient status control --json | tr -d ' \n' | sed -n 's/.*"restarts":\([0-9]*\).*/\1/p'), admin restarts: $(apiclient status admin --json | tr -d ' \n' | sed -n 's/.*"restarts":\([0-9]*\).*/\1/p')"
exit 0
