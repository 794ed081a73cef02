#!/usr/bin/env bash
# Usage: tree-delta.sh BASE NEW STAGE
# Fills the empty directory STAGE with what turns root filesystem BASE into NEW, as an OCI layer holds
# it: every entry that is new or differs (type, mode, owner, size, symlink target or content; mtimes are
# ignored), every parent directory of those with its metadata from NEW, and a '.wh.<name>' whiteout for
# each topmost entry of BASE that NEW lacks.
set -euo pipefail

[ $# = 3 ] || { echo "usage: tree-delta.sh BASE NEW STAGE" >&2; exit 2; }
base=$1 new=$2 stage=$3
for d in "$base" "$new" "$stage"; do
  [ -d "$d" ] || { echo "tree-delta: '$d' is not a directory" >&2; exit 1; }
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# One line per entry: "path<TAB>type mode uid gid size symlink-target [sha256]", sorted by path.
listing() {
  local root=$1 out=$2
  if [ -n "$(find "$root" -name $'*\n*' -print -quit -o -name $'*\t*' -print -quit)" ]; then
    echo "tree-delta: '$root' holds a path with a newline or tab, which layers built here cannot name" >&2
    exit 1
  fi
  (cd "$root" && find . -type f -printf '%P\0' | xargs -0 -r sha256sum --) |
    sed 's/^\([0-9a-f]*\)  /\1\t/' > "$out.sums"
  (cd "$root" && find . -mindepth 1 -printf '%P\t%y %m %U %G %s %l\n') > "$out.meta"
  awk -F'\t' 'FILENAME == ARGV[1] { sum[$2] = $1; next } { print $1 "\t" $2 (($1 in sum) ? " " sum[$1] : "") }' \
    "$out.sums" "$out.meta" | LC_ALL=C sort > "$out"
}

listing "$base" "$work/base"
listing "$new" "$work/new"

# New or changed entries of NEW.
LC_ALL=C comm -13 "$work/base" "$work/new" | cut -f1 > "$work/changed"
# Changed entries that are no longer directories: their entry in the layer replaces the whole subtree.
LC_ALL=C comm -13 "$work/base" "$work/new" | awk -F'\t' 'substr($2, 1, 1) != "d" { print $1 }' > "$work/replaced"
# Entries of BASE that NEW lacks, keeping only the topmost of each removed subtree and none below a
# replaced path.
LC_ALL=C comm -23 <(cut -f1 "$work/base") <(cut -f1 "$work/new") |
  awk -F/ 'FILENAME == ARGV[1] { skip[$0] = 1; next }
    { p = ""; for (i = 1; i < NF; i++) { p = (p == "" ? $i : p "/" $i); if (p in skip) next } print; skip[$0] = 1 }' \
    "$work/replaced" - > "$work/removed"

# Every parent directory of a changed entry or of a whiteout, so the layer carries its real metadata.
awk -F/ '{ p = ""; for (i = 1; i < NF; i++) { p = (p == "" ? $i : p "/" $i); print p } }' \
  "$work/changed" "$work/removed" > "$work/parents"
LC_ALL=C sort -u "$work/changed" "$work/parents" > "$work/entries"

if [ -s "$work/entries" ]; then
  tar -C "$new" -c --no-recursion --numeric-owner --xattrs --xattrs-include='security.capability' \
    -T "$work/entries" | tar -C "$stage" -x --same-owner --same-permissions --xattrs \
    --xattrs-include='security.capability'
fi
while IFS= read -r path; do
  dir=$(dirname "$path")
  wh="$stage/$dir/.wh.$(basename "$path")"
  : > "$wh"
  chmod 0644 "$wh"
done < "$work/removed"

echo "tree-delta: $(wc -l < "$work/changed") new or changed, $(wc -l < "$work/removed") removed" >&2
