/**
 * The OCI runtime spec, as far as berth writes it, and the SpecOpt vocabulary that builds it.
 * A spec is containerd's default Linux spec plus a list of small pure options applied in order.
 */

export interface Mount {
  destination: string;
  type?: string;
  source?: string;
  options?: string[];
}

export interface LinuxDevice {
  path: string;
  type: 'c' | 'b';
  major: number;
  minor: number;
  fileMode?: number;
  uid?: number;
  gid?: number;
}

export interface DeviceRule {
  allow: boolean;
  type?: 'a' | 'c' | 'b';
  major?: number;
  minor?: number;
  access?: string;
}

export interface Capabilities {
  bounding: string[];
  effective: string[];
  permitted: string[];
  inheritable?: string[];
  ambient?: string[];
}

export interface SeccompRule {
  names: string[];
  action: string;
  errnoRet?: number;
  args?: Array<{ index: number; value: number; valueTwo?: number; op: string }>;
}

export interface Seccomp {
  defaultAction: string;
  architectures: string[];
  syscalls: SeccompRule[];
}

export interface Process {
  terminal?: boolean;
  user: { uid: number; gid: number; additionalGids?: number[] };
  args: string[];
  env: string[];
  cwd: string;
  capabilities: Capabilities;
  rlimits: Array<{ type: string; hard: number; soft: number }>;
  noNewPrivileges: boolean;
  selinuxLabel?: string;
  apparmorProfile?: string;
}

export type NamespaceType = 'pid' | 'ipc' | 'uts' | 'mount' | 'network' | 'cgroup' | 'user';

/** cgroup settings (runtime-spec config-linux.md "Control groups"); absent fields are not limited. */
export interface Resources {
  devices: DeviceRule[];
  /** Bytes. */
  memory?: { limit: number };
  /** `shares`: relative weight; `quota` µs of CPU time per `period` µs. */
  cpu?: { shares?: number; quota?: number; period?: number };
  pids?: { limit: number };
}

export interface Linux {
  namespaces: Array<{ type: NamespaceType; path?: string }>;
  maskedPaths: string[];
  readonlyPaths: string[];
  cgroupsPath: string;
  resources: Resources;
  devices?: LinuxDevice[];
  seccomp?: Seccomp;
  mountLabel?: string;
  rootfsPropagation?: string;
}

export interface Spec {
  ociVersion: string;
  hostname?: string;
  root: { path: string; readonly?: boolean };
  process: Process;
  mounts: Mount[];
  linux: Linux;
  annotations?: Record<string, string>;
}

/** A pure change to a spec. Options run in order; a later one may undo an earlier one. */
export type SpecOpt = (spec: Spec) => void;

export function compose(...opts: SpecOpt[]): SpecOpt {
  for (const [i, o] of opts.entries()) {
    if (typeof o !== 'function') throw new TypeError(`compose() option ${i} is not a function`);
  }
  return (spec) => {
    for (const o of opts) o(spec);
  };
}

/** Builds a spec from the defaults and the options; the result is a fresh object. */
export function generateSpec(base: { namespace: string; id: string; cgroupParent?: string }, ...opts: SpecOpt[]): Spec {
  const spec = defaultSpec(base);
  compose(...opts)(spec);
  return spec;
}

export const DEFAULT_CAPABILITIES = [
  'CAP_CHOWN',
  'CAP_DAC_OVERRIDE',
  'CAP_FSETID',
  'CAP_FOWNER',
  'CAP_MKNOD',
  'CAP_NET_RAW',
  'CAP_SETGID',
  'CAP_SETUID',
  'CAP_SETFCAP',
  'CAP_SETPCAP',
  'CAP_NET_BIND_SERVICE',
  'CAP_SYS_CHROOT',
  'CAP_KILL',
  'CAP_AUDIT_WRITE',
];

export const DEFAULT_PATH = 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/**
 * containerd's default Linux spec (oci.populateDefaultUnixSpec), in one literal so the baseline can
 * be reviewed on one screen. `cgroupParent` replaces containerd's `/<namespace>` parent so two
 * containerd instances (and two berth roots) never share cgroups.
 */
export function defaultSpec(base: { namespace: string; id: string; cgroupParent?: string }): Spec {
  const parent = base.cgroupParent ?? `/${base.namespace}`;
  return {
    ociVersion: '1.0.2-dev',
    root: { path: 'rootfs' },
    process: {
      user: { uid: 0, gid: 0 },
      args: [],
      env: [DEFAULT_PATH],
      cwd: '/',
      capabilities: {
        bounding: [...DEFAULT_CAPABILITIES],
        effective: [...DEFAULT_CAPABILITIES],
        permitted: [...DEFAULT_CAPABILITIES],
      },
      rlimits: [{ type: 'RLIMIT_NOFILE', hard: 1024, soft: 1024 }],
      noNewPrivileges: true,
    },
    mounts: [
      { destination: '/proc', type: 'proc', source: 'proc', options: ['nosuid', 'noexec', 'nodev'] },
      { destination: '/dev', type: 'tmpfs', source: 'tmpfs', options: ['nosuid', 'strictatime', 'mode=755', 'size=65536k'] },
      {
        destination: '/dev/pts',
        type: 'devpts',
        source: 'devpts',
        options: ['nosuid', 'noexec', 'newinstance', 'ptmxmode=0666', 'mode=0620', 'gid=5'],
      },
      { destination: '/dev/shm', type: 'tmpfs', source: 'shm', options: ['nosuid', 'noexec', 'nodev', 'mode=1777', 'size=65536k'] },
      { destination: '/dev/mqueue', type: 'mqueue', source: 'mqueue', options: ['nosuid', 'noexec', 'nodev'] },
      { destination: '/sys', type: 'sysfs', source: 'sysfs', options: ['nosuid', 'noexec', 'nodev', 'ro'] },
      { destination: '/run', type: 'tmpfs', source: 'tmpfs', options: ['nosuid', 'strictatime', 'mode=755', 'size=65536k'] },
    ],
    linux: {
      namespaces: [{ type: 'pid' }, { type: 'ipc' }, { type: 'uts' }, { type: 'mount' }, { type: 'network' }],
      maskedPaths: [
        '/proc/acpi',
        '/proc/asound',
        '/proc/kcore',
        '/proc/keys',
        '/proc/latency_stats',
        '/proc/timer_list',
        '/proc/timer_stats',
        '/proc/sched_debug',
        '/sys/firmware',
        '/sys/devices/virtual/powercap',
        '/proc/scsi',
      ],
      readonlyPaths: ['/proc/bus', '/proc/fs', '/proc/irq', '/proc/sys', '/proc/sysrq-trigger'],
      cgroupsPath: `${parent}/${base.id}`,
      resources: { devices: [{ allow: false, access: 'rwm' }] },
    },
  };
}
