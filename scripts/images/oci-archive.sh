#!/usr/bin/env bash
# Usage: oci-archive.sh OUT NAME CONFIG LAYER DESCRIPTION [LAYER DESCRIPTION]...
# Writes OUT, a tar of an OCI image layout (oci-layout, index.json, blobs/sha256/...) holding one
# linux image: the gzip layers LAYER (each with LAYER.diffid beside it, bottom first), an image config
# whose "config" section is the JSON object in file CONFIG, and a manifest that index.json names
# NAME (io.containerd.image.name) and by its tag (org.opencontainers.image.ref.name).
# Everything is dated SOURCE_DATE_EPOCH, so equal inputs give byte-identical archives.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"

[ $# -ge 5 ] && [ $(( ($# - 3) % 2 )) = 0 ] || die "usage: oci-archive.sh OUT NAME CONFIG LAYER DESCRIPTION..."
out=$1 name=$2 config=$3; shift 3
: "${SOURCE_DATE_EPOCH:?SOURCE_DATE_EPOCH must be set}"
jq -e 'type == "object"' "$config" > /dev/null 2>&1 || die "Invalid image config '$config': expected a JSON object"
case "$(dpkg --print-architecture)" in
  amd64) arch=amd64;;
  arm64) arch=arm64;;
  *) die "Cannot name the OCI platform of Debian architecture '$(dpkg --print-architecture)'";;
esac
tag=${name##*:}
created=$(date -u -d "@$SOURCE_DATE_EPOCH" +%Y-%m-%dT%H:%M:%SZ)

layout=$(mktemp -d "$(dirname "$out")/.layout.XXXXXX")
trap 'rm -rf "$layout"' EXIT
mkdir -p "$layout/blobs/sha256"

# Stores file $1 as a blob; prints its descriptor fields "sha256:<hex> <size>".
add_blob() {
  local hex size
  hex=$(sha256sum "$1" | cut -d' ' -f1)
  size=$(stat -c %s "$1")
  ln -f "$1" "$layout/blobs/sha256/$hex" 2> /dev/null || cp "$1" "$layout/blobs/sha256/$hex"
  printf 'sha256:%s %s\n' "$hex" "$size"
}

layers='[]' diff_ids='[]' history='[]'
while [ $# -gt 0 ]; do
  layer=$1 description=$2; shift 2
  [ -f "$layer" ] && [ -f "$layer.diffid" ] || die "Cannot find layer '$layer' and its .diffid"
  read -r digest size < <(add_blob "$layer")
  layers=$(jq -c --arg d "$digest" --argjson s "$size" \
    '. + [{mediaType: "application/vnd.oci.image.layer.v1.tar+gzip", digest: $d, size: $s}]' <<< "$layers")
  diff_ids=$(jq -c --arg d "$(cat "$layer.diffid")" '. + [$d]' <<< "$diff_ids")
  history=$(jq -c --arg c "$created" --arg b "$description" '. + [{created: $c, created_by: $b}]' <<< "$history")
done

jq -cjn --arg created "$created" --arg arch "$arch" --slurpfile config "$config" \
  --argjson diff_ids "$diff_ids" --argjson history "$history" \
  '{created: $created, architecture: $arch, os: "linux", config: $config[0],
    rootfs: {type: "layers", diff_ids: $diff_ids}, history: $history}' > "$layout/config.json"
read -r config_digest config_size < <(add_blob "$layout/config.json")

jq -cjn --arg d "$config_digest" --argjson s "$config_size" --argjson layers "$layers" \
  '{schemaVersion: 2, mediaType: "application/vnd.oci.image.manifest.v1+json",
    config: {mediaType: "application/vnd.oci.image.config.v1+json", digest: $d, size: $s},
    layers: $layers}' > "$layout/manifest.json"
read -r manifest_digest manifest_size < <(add_blob "$layout/manifest.json")

jq -cjn --arg d "$manifest_digest" --argjson s "$manifest_size" --arg arch "$arch" --arg name "$name" \
  --arg tag "$tag" \
  '{schemaVersion: 2, mediaType: "application/vnd.oci.image.index.v1+json",
    manifests: [{mediaType: "application/vnd.oci.image.manifest.v1+json", digest: $d, size: $s,
      platform: {architecture: $arch, os: "linux"},
      annotations: {"io.containerd.image.name": $name, "org.opencontainers.image.ref.name": $tag}}]}' \
  > "$layout/index.json"
printf '{"imageLayoutVersion":"1.0.0"}' > "$layout/oci-layout"
rm "$layout/config.json" "$layout/manifest.json"

tar -C "$layout" -c --sort=name --format=posix --owner=0 --group=0 --numeric-owner \
  --pax-option='exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime' --mtime="@$SOURCE_DATE_EPOCH" \
  --mode='u+rwX,go+rX,go-w' -f "$out" oci-layout index.json blobs
