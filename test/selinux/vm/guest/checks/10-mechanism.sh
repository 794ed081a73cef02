#!/bin/sh
# The policy's promises, shown with plain processes in an enforcing kernel: each domain is
# entered the way runc enters it (from runtime_t, through an entrypoint file of the right type)
# and tries what the promise says it may or may not do.
. /usr/lib/berth-vm/lib.sh
V=/run/berth-vm

# --- berth's directories, created by the runtime so the type transitions label them.
as_runtime mkdir -p /var/lib/berth/datastore /var/lib/berth/host-containers/probe
equals "transition:/var/lib/berth is private_t" "$(type_of "$(context_of /var/lib/berth)")" private_t
equals "transition:datastore is private_t" "$(type_of "$(context_of /var/lib/berth/datastore)")" private_t
equals "transition:host-containers is secret_t" \
  "$(type_of "$(context_of /var/lib/berth/host-containers)")" secret_t
as_runtime sh -c 'echo "{\"settings\":{}}" > /var/lib/berth/datastore/live.json'
as_runtime sh -c 'echo "user-data" > /var/lib/berth/host-containers/probe/user-data'
echo "probe=1" > /etc/probe.conf

# --- berth's API socket, served by node in runtime_t.
start_api_server
if [ -S /run/berth/api.sock ]; then
  equals "transition:api.sock is api_socket_t" "$(type_of "$(context_of /run/berth/api.sock)")" api_socket_t
  equals "runtime:node runs in runtime_t" "$(sed -n 's/^listening .* as //p' "$API_SERVER_LOG")" \
    system_u:system_r:runtime_t:s0
else
  fail "runtime:node api server" "socket never appeared: $(cat "$API_SERVER_LOG")"
fi

# --- What each container domain sees: host objects bind-mounted into a directory of its own,
# as a container gets them through its mounts.
mkdir -p $V/ctl/storage $V/ct
chcon -R -t secret_t $V/ctl
chcon -R system_u:object_r:data_t:s0:c1,c2 $V/ct
for view in $V/ctl $V/ct; do
  : > $view/etc.conf; : > $view/datastore.json; : > $view/api.sock; : > $view/secret.txt
  mount --bind /etc/probe.conf $view/etc.conf
  mount --bind /var/lib/berth/datastore/live.json $view/datastore.json
  mount --bind /run/berth/api.sock $view/api.sock
  mount --bind /var/lib/berth/host-containers/probe/user-data $view/secret.txt
done
mount --bind /var/lib/berth/host-containers/probe $V/ctl/storage
echo own > $V/ct/own.txt; chcon system_u:object_r:data_t:s0:c1,c2 $V/ct/own.txt
echo other > $V/ct/other.txt; chcon system_u:object_r:data_t:s0:c3,c4 $V/ct/other.txt

HOST_ENTRY=$VM/entry-host        # secret_t: a host container's rootfs file
WORK_ENTRY=$VM/entry-workload    # data_t:s0:c1,c2: an orchestrated container's file

# --- control_t: uses the API, writes its own storage; no /etc, no datastore, no relabel, no OS.
equals "control_t:entered" "$(as_domain $CONTROL $HOST_ENTRY cat /proc/self/attr/current | tr -d '\0')" "$CONTROL"
allowed "control_t:writes its storage (secret_t)" as_domain $CONTROL $HOST_ENTRY sh -c "echo ok > $V/ctl/storage/note"
allowed "control_t:uses the API socket" as_domain $CONTROL $HOST_ENTRY node $VM/api-client.mjs $V/ctl/api.sock
expect_denial control_t etc_t file write probe.conf
denied "control_t:cannot write /etc (etc_t)" as_domain $CONTROL $HOST_ENTRY sh -c "echo x > $V/ctl/etc.conf"
expect_denial control_t private_t file read live.json
denied "control_t:cannot read the datastore (private_t)" as_domain $CONTROL $HOST_ENTRY cat $V/ctl/datastore.json
expect_denial control_t private_t file write live.json
denied "control_t:cannot write the datastore (private_t)" as_domain $CONTROL $HOST_ENTRY sh -c "echo x > $V/ctl/datastore.json"
expect_denial control_t secret_t file relabelfrom note
denied "control_t:cannot relabel" as_domain $CONTROL $HOST_ENTRY chcon -t data_t $V/ctl/storage/note
expect_denial control_t os_t file write os-probe.txt
denied "control_t:cannot write the OS (os_t)" as_domain $CONTROL $HOST_ENTRY sh -c "echo x > $VM/os-probe.txt"

# --- control_t under no_new_privs, as the control container runs.
equals "control_t:entered under no_new_privs" \
  "$(as_runtime setpriv --nnp runcon $CONTROL $HOST_ENTRY cat /proc/self/attr/current | tr -d '\0')" "$CONTROL"

# --- super_t: everything the host allows, except writing the OS.
equals "super_t:entered" "$(as_domain $SUPER $HOST_ENTRY cat /proc/self/attr/current | tr -d '\0')" "$SUPER"
allowed "super_t:writes /etc (etc_t)" as_domain $SUPER $HOST_ENTRY sh -c "echo probe=2 > $V/ctl/etc.conf"
allowed "super_t:reads the datastore (private_t)" as_domain $SUPER $HOST_ENTRY cat $V/ctl/datastore.json
allowed "super_t:writes the datastore (private_t)" as_domain $SUPER $HOST_ENTRY sh -c "echo '{}' > $V/ctl/datastore.json"
allowed "super_t:writes host-container storage (secret_t)" as_domain $SUPER $HOST_ENTRY sh -c "echo ok > $V/ctl/secret.txt"
allowed "super_t:relabels" as_domain $SUPER $HOST_ENTRY sh -c "chcon -t data_t $V/ctl/storage/note && chcon -t secret_t $V/ctl/storage/note"
allowed "super_t:uses the API socket" as_domain $SUPER $HOST_ENTRY node $VM/api-client.mjs $V/ctl/api.sock
expect_denial super_t os_t file write os-probe.txt
denied "super_t:cannot write the OS (os_t)" as_domain $SUPER $HOST_ENTRY sh -c "echo x > $VM/os-probe.txt"

# --- container_t: its own files at its own categories; none of the host's secrets, no API.
equals "container_t:entered" "$(as_domain $CONTAINER $WORK_ENTRY cat /proc/self/attr/current | tr -d '\0')" "$CONTAINER"
allowed "container_t:reads its files (data_t:s0:c1,c2)" as_domain $CONTAINER $WORK_ENTRY cat $V/ct/own.txt
allowed "container_t:writes its files (data_t:s0:c1,c2)" as_domain $CONTAINER $WORK_ENTRY sh -c "echo new > $V/ct/own.txt"
expect_denial container_t secret_t file read user-data
denied "container_t:cannot read host-container storage (secret_t)" as_domain $CONTAINER $WORK_ENTRY cat $V/ct/secret.txt
expect_denial container_t private_t file read live.json
denied "container_t:cannot read the datastore (private_t)" as_domain $CONTAINER $WORK_ENTRY cat $V/ct/datastore.json
expect_denial container_t api_socket_t sock_file write api.sock
denied "container_t:cannot use the API socket" as_domain $CONTAINER $WORK_ENTRY node $VM/api-client.mjs $V/ct/api.sock
expect_denial container_t data_t file read other.txt
denied "container_t:cannot read another container's files (s0:c3,c4)" as_domain $CONTAINER $WORK_ENTRY cat $V/ct/other.txt

# --- Only runtime_t enters the container domains.
expect_denial init_t control_t process transition
denied "transition:init_t cannot enter control_t" \
  sh -c 'printf %s "$1" > /proc/self/attr/exec && exec "$2" true' _ $CONTROL $HOST_ENTRY
expect_denial super_t container_t process transition
denied "transition:super_t cannot enter container_t" as_domain $SUPER $HOST_ENTRY \
  sh -c 'printf %s "$1" > /proc/self/attr/exec && exec "$2" true' _ $CONTAINER $WORK_ENTRY
expect_denial control_t super_t process transition
denied "transition:control_t cannot enter super_t" as_domain $CONTROL $HOST_ENTRY \
  sh -c 'printf %s "$1" > /proc/self/attr/exec && exec "$2" true' _ $SUPER $HOST_ENTRY
equals "transition:an unlabelled container file run by the runtime enters container_t" \
  "$(as_runtime $VM/entry-workload-s0 cat /proc/self/attr/current | tr -d '\0')" system_u:system_r:container_t:s0

exit 0
