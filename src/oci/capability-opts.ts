import type { SpecOpt } from './spec.js';

/** Linux capability numbers (linux/capability.h) in order, so a CapEff mask can be named. */
export const CAPABILITY_NAMES = [
  'CAP_CHOWN', 'CAP_DAC_OVERRIDE', 'CAP_DAC_READ_SEARCH', 'CAP_FOWNER', 'CAP_FSETID', 'CAP_KILL',
  'CAP_SETGID', 'CAP_SETUID', 'CAP_SETPCAP', 'CAP_LINUX_IMMUTABLE', 'CAP_NET_BIND_SERVICE',
  'CAP_NET_BROADCAST', 'CAP_NET_ADMIN', 'CAP_NET_RAW', 'CAP_IPC_LOCK', 'CAP_IPC_OWNER', 'CAP_SYS_MODULE',
  'CAP_SYS_RAWIO', 'CAP_SYS_CHROOT', 'CAP_SYS_PTRACE', 'CAP_SYS_PACCT', 'CAP_SYS_ADMIN', 'CAP_SYS_BOOT',
  'CAP_SYS_NICE', 'CAP_SYS_RESOURCE', 'CAP_SYS_TIME', 'CAP_SYS_TTY_CONFIG', 'CAP_MKNOD', 'CAP_LEASE',
  'CAP_AUDIT_WRITE', 'CAP_AUDIT_CONTROL', 'CAP_SETFCAP', 'CAP_MAC_OVERRIDE', 'CAP_MAC_ADMIN', 'CAP_SYSLOG',
  'CAP_WAKE_ALARM', 'CAP_BLOCK_SUSPEND', 'CAP_AUDIT_READ', 'CAP_PERFMON', 'CAP_BPF', 'CAP_CHECKPOINT_RESTORE',
] as const;

/** Names of the capabilities set in a /proc/<pid>/status mask (hex, e.g. "000001fffeffffff"). */
export function capabilitiesFromMask(hex: string): string[] {
  const mask = BigInt(`0x${hex.trim() || '0'}`);
  return CAPABILITY_NAMES.filter((_, bit) => (mask >> BigInt(bit)) & 1n);
}

/** The mask (hex, 16 digits) of a list of capability names; unknown names are ignored. */
export function capabilityMask(names: readonly string[]): string {
  let mask = 0n;
  for (const n of names) {
    const bit = CAPABILITY_NAMES.indexOf(n as (typeof CAPABILITY_NAMES)[number]);
    if (bit >= 0) mask |= 1n << BigInt(bit);
  }
  return mask.toString(16).padStart(16, '0');
}

/** Sets bounding, effective and permitted to exactly these capabilities. */
export function withCapabilities(names: readonly string[]): SpecOpt {
  return (spec) => {
    spec.process.capabilities = { bounding: [...names], effective: [...names], permitted: [...names] };
  };
}

export function withAddedCapabilities(names: readonly string[]): SpecOpt {
  return (spec) => {
    const caps = spec.process.capabilities;
    for (const set of [caps.bounding, caps.effective, caps.permitted]) {
      for (const n of names) if (!set.includes(n)) set.push(n);
    }
  };
}

/**
 * Every capability the supervisor itself holds (containerd's WithAllCurrentCapabilities): asking
 * runc for one berthd lacks fails the container start.
 */
export function withAllCurrentCapabilities(current: readonly string[]): SpecOpt {
  return withCapabilities(current);
}
