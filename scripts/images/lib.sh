# Shell functions shared by scripts/build-images.sh and its helpers. Sourced, never run.
# Every function that writes a layer keeps it reproducible: sorted entries, numeric root ownership for
# overlay files, mtimes clamped to SOURCE_DATE_EPOCH, no atime/ctime or PIDs in pax headers.

log() { printf 'build-images: %s\n' "$*" >&2; }
die() { log "$*"; exit 1; }

# Prints the package names of a list file (one per line, '#' comments, blank lines ignored).
read_packages() {
  sed -e 's/#.*//' -e 's/[[:space:]]//g' "$1" | grep -v '^$' || true
}

# Copies an overlay tree (files from the repository) into ROOT, owned by root, directories and
# executables 0755, other files 0644, every mtime set to EPOCH. Directories that already exist in ROOT
# keep their metadata.
copy_overlay() {
  local src=$1 root=$2 epoch=$3
  [ -d "$src" ] || return 0
  tar -C "$src" -c --sort=name --owner=0 --group=0 --numeric-owner --mode='u+rwX,go+rX,go-w' \
    --mtime="@$epoch" . | tar -C "$root" -x --no-overwrite-dir --same-owner --same-permissions
}

# Removes what must not ship or would differ between builds: package lists and caches, logs, build-time
# leftovers, device nodes, SSH host keys (each host keeps its own), and the build host's resolver setup.
clean_rootfs() {
  local root=$1
  [ -n "$root" ] && [ -d "$root/usr" ] || die "Cannot clean '$root': not a root filesystem"
  rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/* "$root"/var/cache/ldconfig/aux-cache \
    "$root"/var/lib/dbus/machine-id "$root"/etc/apt/apt.conf.d/00mmdebstrap "$root"/usr/sbin/policy-rc.d \
    "$root"/var/lib/dpkg/*-old "$root"/var/cache/debconf/*-old "$root"/etc/*- "$root"/etc/ssh/ssh_host_*
  # dpkg's path-exclude does not cover the essential packages mmdebstrap extracts before dpkg runs.
  find "$root/usr/share/doc" -type f ! -name copyright -delete
  find "$root/usr/share/man" "$root/usr/share/info" "$root/usr/share/locale" -mindepth 1 -delete
  find "$root/var/log" -type f -delete
  find "$root/dev" "$root/tmp" "$root/proc" "$root/sys" -mindepth 1 -delete
  find "$root/run" -mindepth 1 -maxdepth 1 ! -name lock -exec rm -rf {} +
  : > "$root/etc/resolv.conf"
  : > "$root/etc/hostname"
  if [ -e "$root/etc/machine-id" ]; then : > "$root/etc/machine-id"; fi
}

# Writes DIR's contents as a gzip-compressed layer OUT (.tar.gz) and OUT.diffid (sha256 of the tar).
# Entries are named without a leading './', as Docker and containerd write them.
make_layer() {
  local dir=$1 out=$2 epoch=$3 names
  names=$(mktemp)
  find "$dir" -mindepth 1 -maxdepth 1 -printf '%P\n' | LC_ALL=C sort > "$names"
  tar -C "$dir" -c --sort=name --format=posix --numeric-owner \
    --pax-option='exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime' \
    --mtime="@$epoch" --clamp-mtime --xattrs --xattrs-include='security.capability' \
    -T "$names" -f "$out.tar"
  rm -f "$names"
  printf 'sha256:%s\n' "$(sha256sum "$out.tar" | cut -d' ' -f1)" > "$out.diffid"
  gzip -n -6 -c "$out.tar" > "$out"
  rm -f "$out.tar"
}
