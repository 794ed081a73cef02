#!/usr/bin/env bash
# Usage: build-rootfs.sh RECIPES CACHE KEY
# The slow, cached stage of scripts/build-images.sh. Builds the shared base root filesystem with
# mmdebstrap (RECIPES/base), writes it as one layer, and for every image whose RECIPES/<image>/packages
# names packages, installs them on a copy of the base and keeps the difference as a layer tree.
# Results replace CACHE/rootfs/ as a whole: base.tar.gz, base.tar.gz.diffid, <image>.delta/, and KEY in
# CACHE/rootfs/key (written last). Downloaded packages stay in CACHE/debs/ for the next build.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"

[ $# = 3 ] || die "usage: build-rootfs.sh RECIPES CACHE KEY"
recipes=$1 cache=$2 key=$3
. "$recipes/base/build.conf"
export SOURCE_DATE_EPOCH
sources=/etc/apt/sources.list.d/debian.sources
[ -f "$sources" ] || die "Cannot find Debian's apt sources at $sources"
case "$cache$recipes$here" in *[[:space:]\'\"]*) die "Cannot build under a path with spaces or quotes: $cache";; esac

mkdir -p "$cache/debs"
work=$(mktemp -d "$cache/rootfs-work.XXXXXX")
trap 'rm -rf --one-file-system "$work"' EXIT

# Installs packages on ROOT from inside it, in a private mount namespace (its mounts vanish with it),
# with downloads going to the shared package cache.
install_packages() {
  local root=$1; shift
  unshare --mount --propagation private -- bash -euc '
    root=$1 debs=$2; shift 2
    mount -t proc proc "$root/proc"
    mount --bind "$debs" "$root/var/cache/apt/archives"
    printf "#!/bin/sh\nexit 101\n" > "$root/usr/sbin/policy-rc.d"
    chmod 0755 "$root/usr/sbin/policy-rc.d"
    DEBIAN_FRONTEND=noninteractive chroot "$root" apt-get install -y -q --no-install-recommends \
      -o Dpkg::Use-Pty=0 "$@"
  ' install-packages "$root" "$cache/debs" "$@" >> "$build_log" 2>&1 || fail_with_log "apt-get install $*"
}

# The package tools are chatty: their output goes to CACHE/rootfs.log, shown when a step fails.
build_log=$cache/rootfs.log
: > "$build_log"
fail_with_log() {
  tail -n 40 "$build_log" >&2
  die "$1 failed (the whole log is in $build_log)"
}

log "building the base root filesystem with mmdebstrap ($SUITE)"
base_packages=$(read_packages "$recipes/base/packages" | paste -sd, -)
mmdebstrap --mode=root --format=directory --variant=minbase --include="$base_packages" \
  --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-include=/usr/share/doc/*/copyright' \
  --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/info/*' \
  --dpkgopt='path-exclude=/usr/share/locale/*' --dpkgopt='path-exclude=/usr/share/lintian/*' \
  --skip=cleanup/apt/lists \
  --setup-hook='mkdir -p "$1/var/cache/apt/archives"' \
  --setup-hook="sync-in $cache/debs /var/cache/apt/archives" \
  --customize-hook="$here/customize-base.sh $recipes \"\$1\"" \
  --customize-hook="sync-out /var/cache/apt/archives $cache/debs" \
  "$SUITE" "$work/base" "$sources" >> "$build_log" 2>&1 || fail_with_log mmdebstrap

mkdir "$work/out"
for dir in "$recipes"/*/; do
  image=$(basename "$dir")
  [ "$image" != base ] && [ -f "$dir/packages" ] || continue
  mapfile -t packages < <(read_packages "$dir/packages")
  [ ${#packages[@]} -gt 0 ] || continue
  log "installing the packages of the $image image: ${packages[*]}"
  cp -a "$work/base" "$work/$image"
  install_packages "$work/$image" "${packages[@]}"
  clean_rootfs "$work/$image"
done
clean_rootfs "$work/base"
for dir in "$work"/*/; do
  image=$(basename "$dir")
  case "$image" in base|out) continue;; esac
  mkdir "$work/out/$image.delta"
  "$here/tree-delta.sh" "$work/base" "$work/$image" "$work/out/$image.delta"
  rm -rf --one-file-system "$work/$image"
done

log "writing the base layer"
make_layer "$work/base" "$work/out/base.tar.gz" "$SOURCE_DATE_EPOCH"
printf '%s\n' "$key" > "$work/out/key"
rm -rf --one-file-system "$cache/rootfs"
mv "$work/out" "$cache/rootfs"
