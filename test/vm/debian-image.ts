import { execFile } from 'node:child_process';
import { copyFile, mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface GuestImage {
  /** A raw ext4 disk holding the whole system (the guest's /dev/vda). */
  disk: string;
  kernel: string;
  initrd: string;
}

/**
 * Debian 12 with systemd as PID 1, a kernel, the network, and the packages berth's package depends
 * on (`dpkg -i` fetches nothing: an image builder installs them from its archive first).
 * socat is the test's: it relays the orchestrator's containerd socket over SSH for the CRI check.
 */
const PACKAGES = ['systemd-sysv', 'linux-image-amd64', 'udev', 'kmod', 'iproute2', 'procps', 'ca-certificates', 'containerd', 'runc', 'containernetworking-plugins', 'socat'];

/**
 * A test-only unit: when the kernel command line says `berth-vm-report`, it waits for berthd and the
 * control container, prints `apiclient status` and berthd's journal on the serial console between
 * markers, and powers the guest off. It is how a boot whose user data was refused (so nobody can
 * log in) is read from outside.
 */
const REPORT_UNIT = `[Unit]
Description=berth VM proof: report status on the console, then power off
ConditionKernelCommandLine=berth-vm-report
After=berthd.service
Wants=berthd.service

[Service]
Type=oneshot
StandardOutput=tty
TTYPath=/dev/ttyS0
ExecStart=/bin/sh -c 'for i in $(seq 240); do apiclient status 2>/dev/null | grep -q "^control *running" && break; sleep 1; done; echo "@@berth-status-begin"; apiclient status; echo "@@berth-status-end"; echo "@@berth-journal-begin"; journalctl -b -u berthd --no-pager -o cat | tail -n 40; echo "@@berth-journal-end"'
ExecStartPost=/bin/systemctl poweroff --no-block

[Install]
WantedBy=multi-user.target
`;

/**
 * Builds the guest with mmdebstrap, installs berth's package in it with `dpkg -i` alone (nothing
 * of the clone), and makes the disk with `mke2fs -d`. The kernel and initrd are taken out of the
 * guest's /boot for QEMU's -kernel/-initrd.
 */
export async function buildGuestImage(options: { deb: string; dir: string; diskSize?: string; log: (line: string) => void }): Promise<GuestImage> {
  const root = path.join(options.dir, 'root');
  await rm(root, { recursive: true, force: true });
  await mkdir(options.dir, { recursive: true });
  options.log(`mmdebstrap: Debian 12 with ${PACKAGES.join(', ')}`);
  await run('mmdebstrap', ['--variant=minbase', `--include=${PACKAGES.join(',')}`, '--quiet', 'bookworm', root, 'http://deb.debian.org/debian'], { maxBuffer: 64 << 20 });
  await configureGuest(root);
  options.log(`dpkg -i ${path.basename(options.deb)}`);
  await copyFile(options.deb, path.join(root, 'tmp/berth.deb'));
  await run('chroot', [root, 'dpkg', '-i', '/tmp/berth.deb'], { maxBuffer: 16 << 20 });
  await rm(path.join(root, 'tmp/berth.deb'));
  const boot = await readdir(path.join(root, 'boot'));
  const kernel = path.join(options.dir, 'vmlinuz');
  const initrd = path.join(options.dir, 'initrd.img');
  await copyFile(path.join(root, 'boot', boot.find((f) => f.startsWith('vmlinuz-')) as string), kernel);
  await copyFile(path.join(root, 'boot', boot.find((f) => f.startsWith('initrd.img-')) as string), initrd);
  const disk = path.join(options.dir, 'disk.img');
  await rm(disk, { force: true });
  options.log('mke2fs -d: the guest disk');
  await run('mke2fs', ['-q', '-t', 'ext4', '-L', 'berth-root', '-d', root, disk, options.diskSize ?? '4G']);
  await rm(root, { recursive: true, force: true });
  return { disk, kernel, initrd };
}

/** What a Debian cloud image would have: a hostname, the root filesystem, DHCP, DNS files. */
async function configureGuest(root: string): Promise<void> {
  const write = async (rel: string, text: string) => {
    await mkdir(path.dirname(path.join(root, rel)), { recursive: true });
    await writeFile(path.join(root, rel), text);
  };
  await write('etc/hostname', 'berth-vm\n');
  await write('etc/hosts', '127.0.0.1 localhost\n127.0.1.1 berth-vm\n');
  await write('etc/fstab', 'LABEL=berth-root / ext4 rw,errors=remount-ro 0 1\n');
  await write('etc/resolv.conf', 'nameserver 10.0.2.3\n');
  await write('etc/systemd/network/20-wired.network', '[Match]\nName=en*\n\n[Network]\nDHCP=yes\n');
  await write('etc/systemd/system/berth-vm-report.service', REPORT_UNIT);
  await run('chroot', [root, 'systemctl', 'enable', 'systemd-networkd.service', 'berth-vm-report.service']);
}
