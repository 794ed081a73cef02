import type { ResourceLimits } from '../model/index.js';
import type { SpecOpt } from './spec.js';

/** The CFS period the quota is a share of: the kernel's default, 100 ms. */
export const CPU_PERIOD_US = 100_000;

/**
 * The container's cgroup limits, as containerd's WithMemoryLimit, WithCPUShares, WithCPUCFS and
 * WithPidsLimit set them; runc writes them into the container's cgroup under its cgroupsPath. A
 * limit left out is not set, so the container shares its parent's. Swap is not limited apart from
 * memory: Bottlerocket hosts have none.
 */
export function withResources(limits: ResourceLimits): SpecOpt {
  return (spec) => {
    const r = spec.linux.resources;
    if (limits.memoryBytes !== undefined) r.memory = { ...r.memory, limit: limits.memoryBytes };
    if (limits.cpuShares !== undefined) r.cpu = { ...r.cpu, shares: limits.cpuShares };
    if (limits.cpuQuotaMillicpus !== undefined) {
      r.cpu = { ...r.cpu, quota: (limits.cpuQuotaMillicpus * CPU_PERIOD_US) / 1000, period: CPU_PERIOD_US };
    }
    if (limits.pidsMax !== undefined) r.pids = { limit: limits.pidsMax };
  };
}
