#!/usr/bin/env bash
# Builds berth's host-container images (one per folder of src/images/recipes with a config.json, on the
# shared base of src/images/recipes/base) from Debian packages, without a container engine, as OCI
# archives OUT/<image>.tar. Every image is two layers: the base layer, identical in all of them, and one
# layer of its own. See src/images/recipes/README.md.
#
# Usage: build-images.sh [--check] [--force] [--out DIR] [--recipes DIR] [--cache DIR]
#   --check    only report: exit 0 when the archives are up to date, 1 when a build is due
#   --force    rebuild everything, the cached base root filesystem included
#   --out      where the archives go (default build/images)
#   --recipes  the recipes (default src/images/recipes)
#   --cache    base root filesystem and downloaded packages (default OUT/cache)
#
# Fast when nothing changed: the archives are rebuilt only when a hash of the inputs (the recipes,
# this script and scripts/images/, Debian's apt sources) differs from OUT/inputs.sha256. Archives are
# written to temporary files and renamed, and the hash is recorded last, so a crashed build never
# leaves archives that look fresh. Concurrent runs wait for each other (a lock in the cache).
set -euo pipefail
scripts=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$scripts")
sources=/etc/apt/sources.list.d/debian.sources

out=$repo/build/images recipes=$repo/src/images/recipes cache='' check=0 force=0
while [ $# -gt 0 ]; do
  case "$1" in
    --check) check=1;;
    --force) force=1;;
    --out|--recipes|--cache)
      [ $# -ge 2 ] || { echo "build-images: $1 needs a directory" >&2; exit 2; }
      declare "${1#--}=$(realpath -m -- "$2")"; shift;;
    *) echo "build-images: unknown argument '$1' (see the usage at the top of $0)" >&2; exit 2;;
  esac
  shift
done
cache=${cache:-$out/cache}
[ -f "$recipes/base/build.conf" ] || { echo "build-images: no recipes at '$recipes'" >&2; exit 1; }

# "<executable?> <sha256> <label>/<path>" for every file under DIR (in name order), for the input hashes.
describe_files() {
  local dir=$1 label=$2; shift 2
  (cd "$dir" && find "$@" -type f 2> /dev/null | LC_ALL=C sort | while IFS= read -r f; do
    if [ -x "$f" ]; then printf 'x '; else printf -- '- '; fi
    printf '%s %s/%s\n' "$(sha256sum < "$f" | cut -c1-64)" "$label" "${f#./}"
  done)
}

# Inputs of the slow stage: the base, every image's package list, the scripts that build them.
rootfs_key() {
  {
    describe_files "$recipes" recipes base $(cd "$recipes" && ls -d -- */packages 2> /dev/null)
    describe_files "$scripts/images" scripts lib.sh build-rootfs.sh customize-base.sh tree-delta.sh
    describe_files "$(dirname "$sources")" apt "$(basename "$sources")"
  } | sha256sum | cut -c1-64
}

images=()
for dir in "$recipes"/*/; do
  [ -f "$dir/config.json" ] && images+=("$(basename "$dir")")
done
[ ${#images[@]} -gt 0 ] || { echo "build-images: no image recipes (folders with config.json) in '$recipes'" >&2; exit 1; }

inputs=$({
  describe_files "$recipes" recipes .
  describe_files "$scripts" scripts build-images.sh images
  describe_files "$(dirname "$sources")" apt "$(basename "$sources")"
} | sha256sum | cut -c1-64)

is_fresh() {
  [ $force = 0 ] && [ "$(cat "$out/inputs.sha256" 2> /dev/null)" = "$inputs" ] || return 1
  local image
  for image in "${images[@]}"; do [ -f "$out/$image.tar" ] || return 1; done
}

if is_fresh; then
  echo "build-images: up to date (${images[*]} in $out)" >&2
  exit 0
fi
if [ $check = 1 ]; then
  echo "build-images: stale (${images[*]} in $out)" >&2
  exit 1
fi

. "$scripts/images/lib.sh"
[ "$(id -u)" = 0 ] || die "Building the images needs root (mmdebstrap --mode=root, chroot, file ownership)"
for tool in mmdebstrap jq gzip tar flock unshare sha256sum; do
  command -v "$tool" > /dev/null || die "Cannot find '$tool': run 'npm run setup' first"
done

mkdir -p "$out" "$cache"
exec 9> "$cache/.lock"
flock 9
if is_fresh; then
  log "up to date (built by a concurrent run)"
  exit 0
fi
started=$(date +%s)
rm -f "$out/inputs.sha256"
. "$recipes/base/build.conf"
export SOURCE_DATE_EPOCH

key=$(rootfs_key)
if [ $force = 1 ] || [ "$(cat "$cache/rootfs/key" 2> /dev/null)" != "$key" ]; then
  "$scripts/images/build-rootfs.sh" "$recipes" "$cache" "$key"
else
  log "reusing the cached base root filesystem"
fi

work=$(mktemp -d "$out/.work.XXXXXX")
trap 'rm -rf --one-file-system "$work"' EXIT
for image in "${images[@]}"; do
  log "assembling $image"
  mkdir "$work/$image"
  if [ -d "$cache/rootfs/$image.delta" ]; then cp -a "$cache/rootfs/$image.delta/." "$work/$image/"; fi
  copy_overlay "$recipes/$image/rootfs" "$work/$image" "$SOURCE_DATE_EPOCH"
  make_layer "$work/$image" "$work/$image.tar.gz" "$SOURCE_DATE_EPOCH"
  "$scripts/images/oci-archive.sh" "$work/$image.tar" "$IMAGE_NAME_PREFIX$image:$IMAGE_TAG" \
    "$recipes/$image/config.json" \
    "$cache/rootfs/base.tar.gz" "berth base: mmdebstrap --variant=minbase $SUITE, recipes/base" \
    "$work/$image.tar.gz" "berth $image: recipes/$image"
done
for image in "${images[@]}"; do mv -f "$work/$image.tar" "$out/$image.tar"; done
printf '%s\n' "$inputs" > "$work/inputs.sha256"
mv -f "$work/inputs.sha256" "$out/inputs.sha256"
log "built ${images[*]} in $out in $(( $(date +%s) - started )) s: $(cd "$out" && du -h "${images[@]/%/.tar}" | tr '\t\n' ' ')"
