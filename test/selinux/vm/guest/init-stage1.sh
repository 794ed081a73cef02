#!/bin/sh
# Stage 1 (/init of the initramfs, PID 1, no policy yet). runc cannot pivot_root out of the
# initramfs, so copy the tree into a real tmpfs and switch to it.
export PATH=/usr/sbin:/usr/bin
mount -t proc proc /proc
mkdir -p /newroot
mount -t tmpfs -o mode=0755,size=90% tmpfs /newroot
for entry in /*; do
  case "$entry" in
    /proc|/sys|/dev|/newroot|/init) ;;
    *) cp -a "$entry" /newroot/ ;;
  esac
done
mkdir -p /newroot/proc /newroot/sys /newroot/dev
umount /proc
exec switch_root /newroot /usr/lib/berth-vm/boot
