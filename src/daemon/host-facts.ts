import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { capabilitiesFromMask } from '../oci/capability-opts.js';
import { deviceNumbers } from '../oci/device-opts.js';
import type { LinuxDevice } from '../oci/spec.js';
import type { OomKillCounter } from '../runtime/oom-kills.js';

/** Whether the kernel has SELinux enabled (selinuxfs mounted); labels are only applied then. */
export function selinuxEnabled(): boolean {
  return existsSync('/sys/fs/selinux/enforce');
}

/** berthd's own effective capabilities: privileged containers get exactly these. */
export function currentCapabilities(): string[] {
  const status = readFileSync('/proc/self/status', 'utf8');
  const m = /^CapEff:\s*([0-9a-f]+)$/m.exec(status);
  return capabilitiesFromMask(m?.[1] ?? '0');
}

/**
 * Whether berthd, and so the containerd it starts, may lower a process's OOM score adjustment below
 * its own: that takes CAP_SYS_RESOURCE, which a host has and some sandboxes and containers do not.
 */
export function canLowerOomScores(): boolean {
  return currentCapabilities().includes('CAP_SYS_RESOURCE');
}

/** Directories under /dev that hold no device nodes of the host (containerd's HostDevices skips them). */
const SKIP = new Set(['pts', 'shm', 'fd', 'mqueue', '.lxc', '.lxd-mounts', '.udev']);

/** The host's device nodes, for privileged containers (all devices). */
export function hostDevices(dir = '/dev'): LinuxDevice[] {
  const out: LinuxDevice[] = [];
  const walk = (d: string): void => {
    let names: string[];
    try {
      names = readdirSync(d);
    } catch {
      return;
    }
    for (const name of names) {
      const p = path.join(d, name);
      let st;
      try {
        st = statSync(p, { throwIfNoEntry: false });
      } catch {
        continue;
      }
      if (!st) continue;
      if (st.isDirectory()) {
        if (!SKIP.has(name)) walk(p);
      } else if ((st.isCharacterDevice() || st.isBlockDevice()) && name !== 'console' && p === path.join(d, name)) {
        const { major, minor } = deviceNumbers(st.rdev);
        out.push({ path: p, type: st.isCharacterDevice() ? 'c' : 'b', major, minor, fileMode: st.mode & 0o7777, uid: st.uid, gid: st.gid });
      }
    }
  };
  walk(dir);
  return out;
}

/** Host paths privileged containers get when they exist. */
export function existingPrivilegedPaths(): string[] {
  return ['/lib/modules', '/usr/src/kernels', '/sys/firmware', '/sys/kernel/debug'].filter((p) => existsSync(p));
}

/**
 * Where the memory controller counts OOM kills per cgroup: its own v1 hierarchy, or the v2 one when
 * that has the controller. Undefined on a host without it (containers then never show `oom-killed`).
 */
export function oomKillCounter(cgroupRoot = '/sys/fs/cgroup'): OomKillCounter | undefined {
  const v1 = path.join(cgroupRoot, 'memory');
  if (existsSync(path.join(v1, 'memory.oom_control'))) return { root: v1, file: 'memory.oom_control' };
  const v2 = path.join(cgroupRoot, 'cgroup.controllers');
  const controllers = existsSync(v2) ? readFileSync(v2, 'utf8').split(/\s+/) : [];
  return controllers.includes('memory') ? { root: cgroupRoot, file: 'memory.events' } : undefined;
}
