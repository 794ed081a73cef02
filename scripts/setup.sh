#!/usr/bin/env bash
# Installs what a fresh Debian 12 machine lacks for berth: Debian packages and the npm dependencies.
# Idempotent and quiet when nothing is missing. `setup.sh` installs what `npm start` needs;
# `setup.sh package` adds what building the Debian package needs (`npm run package`);
# `setup.sh test` adds that and what the test suite uses (registry, skopeo, SELinux tools, sshd,
# qemu, lintian…).
set -euo pipefail
cd "$(dirname "$0")/.."

# containernetworking-plugins: the orchestrator's containerd's CRI plugin runs CNI plugins from
# /usr/lib/cni, and needs at least its loopback plugin for every pod, whatever network the
# orchestrator brings.
runtime_pkgs=(containerd runc containernetworking-plugins mmdebstrap umoci jq busybox-static gcc libc6-dev ca-certificates)
# iproute2: the CRI test makes and removes its pod network's bridge with ip.
# qemu-utils (qemu-img: the VM proof boots copy-on-write overlays of one disk), dosfstools and mtools
# (its NoCloud seeds: a FAT filesystem labelled CIDATA, written without mounting).
test_pkgs=(secilc setools skopeo docker-registry apache2-utils openssh-client openssh-server tmux jq
  qemu-system-x86 linux-image-amd64 cpio zstd policycoreutils selinux-utils python3-selinux systemd iproute2
  lintian qemu-utils dosfstools mtools)
# dpkg-dev: dpkg-shlibdeps, for the package's Depends; secilc compiles the policy it ships.
package_pkgs=(dpkg-dev secilc)

want=("${runtime_pkgs[@]}")
case "${1:-}" in
  package) want+=("${package_pkgs[@]}") ;;
  test) want+=("${package_pkgs[@]}" "${test_pkgs[@]}") ;;
esac

missing=()
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done

if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "berth setup: missing Debian packages (${missing[*]}); run as root or install them" >&2
    exit 1
  fi
  echo "berth setup: installing ${missing[*]}" >&2
  # Packaged daemons (docker-registry, ssh) must not start themselves on install: tests run their own.
  policy=/usr/sbin/policy-rc.d
  had_policy=0; [ -e "$policy" ] && had_policy=1
  [ $had_policy = 1 ] || { printf '#!/bin/sh\nexit 101\n' > "$policy"; chmod +x "$policy"; }
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  [ $had_policy = 1 ] || rm -f "$policy"
fi

# npm dependencies, exactly as pinned in package-lock.json.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "berth setup: installing npm dependencies" >&2
  npm ci --no-audit --no-fund --loglevel=error
fi
