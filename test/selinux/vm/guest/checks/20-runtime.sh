#!/bin/sh
# The container runtime in runtime_t: containerd started by init enters runtime_t through its
# runtime_exec_t label, starts its shim and runc in runtime_t, and runc starts a container from
# image-layer files (cache_t) with no label in container_t, the default for unlabelled containers.
. /usr/lib/berth-vm/lib.sh
R=/run/berth-vm/runtime
mkdir -p $R

allowed "runtime:runc runs" runc --version

# Like unpacked image layers.
make_rootfs $R/rootfs system_u:object_r:cache_t:s0

containerd --config /etc/containerd/config.toml > $R/containerd.log 2>&1 &
containerd_pid=$!
for _ in $(seq 1 240); do [ -S /run/containerd/containerd.sock ] && break; sleep 0.5; done
if [ ! -S /run/containerd/containerd.sock ]; then
  fail "runtime:containerd starts" "no socket; log: $(tail -n 5 $R/containerd.log | tr '\n' ' ')"
  exit 0
fi
pass "runtime:containerd starts"
equals "runtime:containerd runs in runtime_t" "$(tr -d '\0' < /proc/$containerd_pid/attr/current)" \
  system_u:system_r:runtime_t:s0
equals "transition:containerd's root is cache_t" "$(type_of "$(context_of /var/lib/containerd)")" cache_t

if ctr run -d --rootfs $R/rootfs probe /bin/sleep 600 > $R/ctr.log 2>&1; then
  pass "runtime:a container starts"
  task_pid=$(ctr task ls | awk '$1 == "probe" { print $2 }')
  shim_pid=$(awk '{ print $4 }' /proc/$task_pid/stat)
  equals "runtime:containerd-shim-runc-v2 runs in runtime_t" "$(tr -d '\0' < /proc/$shim_pid/attr/current)" \
    system_u:system_r:runtime_t:s0
  say "info shim $(tr '\0' ' ' < /proc/$shim_pid/cmdline | cut -c1-60)"
  equals "runtime:runc starts an unlabelled container in container_t" \
    "$(tr -d '\0' < /proc/$task_pid/attr/current)" system_u:system_r:container_t:s0
  ctr task kill -s KILL probe > /dev/null 2>&1
  for _ in $(seq 1 60); do ctr task ls | grep -q '^probe ' || break; ctr task delete probe > /dev/null 2>&1; sleep 0.5; done
  ctr container delete probe > /dev/null 2>&1
else
  fail "runtime:a container starts" "$(tail -n 5 $R/ctr.log | tr '\n' ' ')"
fi

kill "$containerd_pid"
wait "$containerd_pid" 2>/dev/null

# --- Containers started by runc with the labels berth's classes set (process.selinuxLabel and
# linux.mountLabel), given host objects through their mounts.
start_api_server
as_runtime mkdir -p /var/lib/berth/datastore /var/lib/berth/host-containers/runtime-probe
as_runtime sh -c 'echo secret > /var/lib/berth/host-containers/runtime-probe/secret.txt'
as_runtime sh -c 'echo "{}" > /var/lib/berth/datastore/runtime-probe.json'
# Another name for the API socket (same inode, same label), so its denials are told apart.
as_runtime ln /run/berth/api.sock /run/berth/runtime-probe.sock
# A host container's rootfs is mounted with context=...:secret_t:s0; an orchestrated one's with
# its data_t label and categories.
make_rootfs $R/host-rootfs system_u:object_r:secret_t:s0
make_rootfs $R/workload-rootfs system_u:object_r:data_t:s0:c1,c2

# run_labelled ROOTFS PROCESS_LABEL MOUNT_LABEL CMD...: runc run, with the host's /usr, the API
# socket, the datastore file and host-container storage mounted in.
run_labelled() {
  rootfs=$1 label=$2 mount_label=$3; shift 3
  bundle=$(mktemp -d $R/bundle.XXXXXX)   # (a counter would not survive the $(...) callers)
  node $VM/oci-bundle.mjs $bundle --rootfs $rootfs --label "$label" --mount-label "$mount_label" \
    --mount /usr:/usr:ro \
    --mount /run/berth/runtime-probe.sock:/run/api.sock \
    --mount /var/lib/berth/datastore/runtime-probe.json:/datastore.json \
    --mount /var/lib/berth/host-containers/runtime-probe:/.bottlerocket/host-containers/current \
    -- "$@" || return 1
  runc run --bundle $bundle "$(basename $bundle | tr . -)"
}
API_CLIENT="/usr/bin/node $VM/api-client.mjs /run/api.sock"
HOST_MOUNT=system_u:object_r:secret_t:s0
WORK_MOUNT=system_u:object_r:data_t:s0:c1,c2

equals "runc control:runs in control_t (under no_new_privs)" \
  "$(run_labelled $R/host-rootfs $CONTROL $HOST_MOUNT /bin/cat /proc/self/attr/current | tr -d '\0')" "$CONTROL"
allowed "runc control:uses the API socket" run_labelled $R/host-rootfs $CONTROL $HOST_MOUNT /bin/sh -c "$API_CLIENT"
allowed "runc control:writes its storage" run_labelled $R/host-rootfs $CONTROL $HOST_MOUNT \
  /bin/sh -c 'echo ok > /.bottlerocket/host-containers/current/note && echo ok > /tmp/scratch'
expect_denial control_t private_t file read runtime-probe.json
denied "runc control:cannot read the datastore" run_labelled $R/host-rootfs $CONTROL $HOST_MOUNT /bin/cat /datastore.json

equals "runc admin:runs in super_t" \
  "$(run_labelled $R/host-rootfs $SUPER $HOST_MOUNT /bin/cat /proc/self/attr/current | tr -d '\0')" "$SUPER"
allowed "runc admin:reads the datastore" run_labelled $R/host-rootfs $SUPER $HOST_MOUNT /bin/cat /datastore.json

equals "runc workload:runs in container_t:s0:c1,c2" \
  "$(run_labelled $R/workload-rootfs $CONTAINER $WORK_MOUNT /bin/cat /proc/self/attr/current | tr -d '\0')" "$CONTAINER"
allowed "runc workload:writes its own rootfs" run_labelled $R/workload-rootfs $CONTAINER $WORK_MOUNT \
  /bin/sh -c 'echo ok > /tmp/scratch && echo ok > /dev/shm/scratch'
expect_denial container_t api_socket_t sock_file write runtime-probe.sock
denied "runc workload:cannot use the API socket mounted into it" \
  run_labelled $R/workload-rootfs $CONTAINER $WORK_MOUNT /bin/sh -c "$API_CLIENT"
expect_denial container_t secret_t dir search runtime-probe
denied "runc workload:cannot read host-container storage mounted into it" \
  run_labelled $R/workload-rootfs $CONTAINER $WORK_MOUNT /bin/cat /.bottlerocket/host-containers/current/secret.txt
expect_denial container_t private_t file read runtime-probe.json
denied "runc workload:cannot read the datastore mounted into it" \
  run_labelled $R/workload-rootfs $CONTAINER $WORK_MOUNT /bin/cat /datastore.json
exit 0
