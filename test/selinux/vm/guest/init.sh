#!/bin/sh
# Stage 3 (/usr/sbin/init, init_exec_t, runs in init_t): mount the runtime filesystems, run every
# check script, report the kernel's AVC messages and power off.
export PATH=/usr/sbin:/usr/bin
. /usr/lib/berth-vm/lib.sh

say "info init-context $(cat /proc/self/attr/current)"
mount -t tmpfs -o mode=0755 tmpfs /run
mount -t tmpfs -o mode=1777 tmpfs /tmp
mkdir -p /dev/pts /dev/shm /dev/mqueue
mount -t devpts -o newinstance,ptmxmode=0666,mode=0620 devpts /dev/pts
mount -t tmpfs -o mode=1777 tmpfs /dev/shm
mount -t cgroup2 cgroup2 /sys/fs/cgroup
for mod in /lib/modules/*/kernel/fs/overlayfs/overlay.ko; do
  [ -e "$mod" ] && { insmod "$mod" || say "info insmod $mod failed"; }
done
ip link set lo up 2>/dev/null

for script in /usr/lib/berth-vm/checks/*.sh; do
  [ -e "$script" ] || continue
  name=$(basename "$script" .sh)
  say "script begin $name"
  # A hung check must not hang the whole run: each script gets at most $CHECK_TIMEOUT seconds,
  # or more when it asks for more in a line "# check-timeout: SECONDS".
  limit=${CHECK_TIMEOUT:-300}
  asked=$(sed -n 's/^# check-timeout: *\([0-9][0-9]*\)$/\1/p' "$script" | head -n 1)
  [ -n "$asked" ] && [ "$asked" -gt "$limit" ] && limit=$asked
  if timeout "$limit" sh "$script" < /dev/null; then
    say "script end $name ok"
  else
    say "check fail script:$name -- exited with status $? (143: killed after $limit s)"
  fi
done

if log=$(dmesg); then
  echo "$log" | grep 'avc: ' | sed 's/^/@@berth avc /'
else
  say "check fail boot:read-kernel-log -- dmesg failed, so AVC denials cannot be checked"
fi
say "done"
poweroff -f
