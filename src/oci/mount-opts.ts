import type { Mount, SpecOpt } from './spec.js';

const PROPAGATION = ['private', 'rprivate', 'shared', 'rshared', 'slave', 'rslave', 'unbindable', 'runbindable'];

/**
 * Adds mounts, replacing any earlier mount at the same destination. A bind without a propagation
 * option gets `rprivate`, so nothing mounted inside leaks to the host by accident.
 */
export function withMounts(mounts: readonly Mount[]): SpecOpt {
  return (spec) => {
    for (const m of mounts) {
      const options = [...(m.options ?? [])];
      if (!options.some((o) => PROPAGATION.includes(o))) options.push('rprivate');
      spec.mounts = spec.mounts.filter((x) => x.destination !== m.destination);
      spec.mounts.push({ ...m, options });
    }
  };
}

/** A read-only bind of a host path. */
export function bindMount(source: string, destination: string, mode: 'ro' | 'rw', recursive: 'rbind' | 'bind' = 'bind'): Mount {
  return { destination, type: 'bind', source, options: [recursive, mode] };
}

/** Flips every mount of this filesystem type from `ro` to `rw` (privileged sysfs and cgroupfs). */
export function withWritableMountType(type: 'sysfs' | 'cgroup'): SpecOpt {
  return (spec) => {
    for (const m of spec.mounts) {
      if (m.type === type && m.options) m.options = m.options.map((o) => (o === 'ro' ? 'rw' : o));
    }
  };
}

export function withRootfsPropagation(propagation: 'rshared' | 'rslave' | 'rprivate'): SpecOpt {
  return (spec) => {
    spec.linux.rootfsPropagation = propagation;
  };
}

/** The cgroup filesystem, read-only (containerd's defaults have none; CRI and Bottlerocket add it). */
export const CGROUP_MOUNT: Mount = {
  destination: '/sys/fs/cgroup',
  type: 'cgroup',
  source: 'cgroup',
  options: ['ro', 'nosuid', 'noexec', 'nodev'],
};
