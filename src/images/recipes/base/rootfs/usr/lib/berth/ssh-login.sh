# SSH logins into a host container, for the entrypoints of berth's images. Sourced by bash after
# user-data.sh. sshd runs key-only (no passwords, no root) with host keys kept in the container's
# persistent storage, so clients see the same host key after a restart.

BERTH_SSH_HOST_KEY_DIR=$BERTH_STORAGE/etc/ssh
BERTH_SSHD_CONFIG=/etc/ssh/sshd_config

# Copies the lines of stdin that ssh-keygen accepts as public keys to stdout; logs each rejected one.
berth_valid_keys() {
  local key=$1 line
  while IFS= read -r line; do
    [ -n "${line//[[:space:]]/}" ] || continue
    if ssh-keygen -l -f - > /dev/null 2>&1 <<< "$line"; then
      printf '%s\n' "$line"
    else
      berth_log "Skipping an invalid SSH key in '$key': ${line:0:60}"
    fi
  done
}

# Creates login USER (home directory, bash) unless it exists, and adds it to GROUPS (comma-separated).
# Refuses system accounts (uid below 1000), e.g. 'root' or 'daemon'.
berth_ensure_user() {
  local user=$1 groups=$2 uid
  if uid=$(id -u "$user" 2> /dev/null); then
    [ "$uid" -ge 1000 ] || berth_fail "Invalid user data key 'user': '$user' is a system account"
    usermod -a -G "$groups" "$user"
  else
    useradd --create-home --shell /bin/bash --groups "$groups" "$user"
  fi
}

# Installs KEYS_FILE as USER's ~/.ssh/authorized_keys.
berth_install_authorized_keys() {
  local user=$1 keys_file=$2 home
  home=$(getent passwd "$user" | cut -d: -f6)
  install -d -m 0700 -o "$user" -g "$user" "$home/.ssh"
  install -m 0600 -o "$user" -g "$user" "$keys_file" "$home/.ssh/authorized_keys"
}

# Makes sure the ed25519, ecdsa and rsa host keys exist in persistent storage. A pair is generated only
# when a half is missing, and written under temporary names first, so a crash never leaves a bad pair.
berth_ensure_host_keys() {
  local type path
  install -d -m 0755 "$BERTH_SSH_HOST_KEY_DIR"
  for type in ed25519 ecdsa rsa; do
    path=$BERTH_SSH_HOST_KEY_DIR/ssh_host_${type}_key
    if [ -s "$path" ] && [ -s "$path.pub" ]; then
      chmod 0600 "$path"
      continue
    fi
    rm -f "$path.new" "$path.new.pub"
    ssh-keygen -q -t "$type" -N '' -C "berth host key" -f "$path.new"
    mv -f "$path.new.pub" "$path.pub"
    mv -f "$path.new" "$path"
    berth_log "Generated the SSH $type host key in $BERTH_SSH_HOST_KEY_DIR"
  done
}

# Writes sshd's configuration: PORT, the host keys, key-only logins, no root; the lines on stdin
# (already validated sshd_config keywords) are appended.
berth_write_sshd_config() {
  local port=$1 type
  {
    echo "# Written by ${BERTH_PROG:-berth} at every start; changes here are lost."
    echo "Port $port"
    for type in ed25519 ecdsa rsa; do echo "HostKey $BERTH_SSH_HOST_KEY_DIR/ssh_host_${type}_key"; done
    echo "PermitRootLogin no"
    echo "PasswordAuthentication no"
    echo "KbdInteractiveAuthentication no"
    echo "PubkeyAuthentication yes"
    echo "AuthorizedKeysFile .ssh/authorized_keys"
    echo "UsePAM yes"
    echo "UseDNS no"
    echo "PrintMotd no"
    echo "AcceptEnv LANG LC_*"
    echo "Subsystem sftp /usr/lib/openssh/sftp-server"
    cat
  } > "$BERTH_SSHD_CONFIG.new"
  mv -f "$BERTH_SSHD_CONFIG.new" "$BERTH_SSHD_CONFIG"
}

# Replaces the entrypoint with sshd in the foreground, logging to stderr. sshd exits on SIGTERM.
berth_exec_sshd() {
  install -d -m 0755 /run/sshd
  /usr/sbin/sshd -t -f "$BERTH_SSHD_CONFIG" || berth_fail "sshd refused its configuration (see above)"
  berth_log "Starting sshd on port $(awk '$1 == "Port" { print $2 }' "$BERTH_SSHD_CONFIG")"
  exec /usr/sbin/sshd -D -e -f "$BERTH_SSHD_CONFIG"
}
