#!/usr/bin/env bash
# Usage: customize-base.sh RECIPES ROOT
# mmdebstrap customize hook of the base root filesystem: adds RECIPES/base/rootfs (files shared by every
# image) and runs RECIPES/base/customize.sh inside ROOT with chroot.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
recipes=$1 root=$2
copy_overlay "$recipes/base/rootfs" "$root" "$SOURCE_DATE_EPOCH"
chroot "$root" /bin/sh -eu < "$recipes/base/customize.sh"
