#!/bin/sh
# Stage 2 (PID 1 in kernel_t): load the policy (the kernel was booted with enforcing=1, so it
# enforces from this moment), label the tree with setfiles, then start init (init_exec_t), which
# enters init_t.
export PATH=/usr/sbin:/usr/bin
say() { echo "@@berth $*"; }

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
# Until now stdio is the initramfs's /dev/console, which goes away; use the devtmpfs one.
exec </dev/console >/dev/console 2>&1
# Every AVC message must reach the log: no printk rate limit.
echo 0 > /proc/sys/kernel/printk_ratelimit

if [ ! -d /sys/fs/selinux ]; then
  say "check fail boot:selinux-in-kernel -- no /sys/fs/selinux: SELinux is not the active LSM"
  say "done"; poweroff -f
fi
mount -t selinuxfs selinuxfs /sys/fs/selinux
if ! cat /etc/selinux/berth/policy/policy.* > /sys/fs/selinux/load; then
  say "check fail boot:load-policy -- the kernel refused the policy"
  dmesg | grep -i selinux | sed 's/^/@@berth log /'
  say "done"; poweroff -f
fi
say "check pass boot:load-policy"
say "info enforce=$(cat /sys/fs/selinux/enforce) mls=$(cat /sys/fs/selinux/mls) policyvers=$(cat /sys/fs/selinux/policyvers)"
dmesg | grep -E 'SELinux: +(Class|Permission|the above)' | sed 's/^/@@berth policy-note /'

if setfiles -F -e /proc -e /sys -e /dev /etc/selinux/berth/contexts/files/file_contexts /; then
  say "check pass boot:setfiles"
else
  say "check fail boot:setfiles -- setfiles exited non-zero"
fi
exec /usr/sbin/init
