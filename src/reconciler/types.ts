import type { ApiAccess, ContainerRegistrySettings } from '../model/index.js';
import type { ResourceLimits } from '../model/index.js';

/** What berth runs, and what it finds running; the reconciler's vocabulary. */

export type ContainerKind = 'host' | 'bootstrap';

/**
 * A container as the settings want it (only enabled host containers are desired). It carries
 * everything the runtime needs to get the image and build the container, and the runtime reads
 * nothing else, so the hash on its label always describes what was built.
 */
export interface DesiredContainer {
  name: string;
  kind: ContainerKind;
  /** Image reference or `oci-archive:` path. */
  source: string;
  superpowered: boolean;
  /** Decoded user data, written to the container's storage before it starts. */
  userData: Buffer | undefined;
  /** cgroup limits (memory, CPU, pids); empty = none. Always empty for bootstrap containers. */
  resources: ResourceLimits;
  /** The process argv instead of the image's entrypoint + cmd; empty = the image's. */
  command: readonly string[];
  /** Variables set over the image's environment; empty for bootstrap containers. */
  environment: Readonly<Record<string, string>>;
  /** What its processes may do through berth's API; `none` builds it without the socket and apiclient. */
  apiAccess: ApiAccess;
  /** Mirrors and credentials to pull the image with, as the settings had them. */
  registry: ContainerRegistrySettings;
  /** Hash of every input above but the name (./desired.ts): a change replaces the container. */
  hash: string;
}

export type TaskState = 'running' | 'created' | 'paused' | 'stopped' | 'none';

/** A container berth created, as host-containerd reports it. */
export interface ActualContainer {
  name: string;
  kind: ContainerKind;
  /** containerd container id. */
  id: string;
  /** The input hash the container was built from (its label). */
  hash: string;
  task: TaskState;
  pid?: number;
  exitCode?: number;
  exitedAt?: Date;
  /** Set when the task stopped and the kernel's OOM killer killed a process of it (its memory limit). */
  oomKilled?: true;
  /** Digest of the image it runs (the manifest). */
  imageDigest?: string;
}

/** One idempotent step of bringing a container to its desired state. */
export type Step = 'stop' | 'remove' | 'create' | 'start';

/** The steps for one container, with why (for logs and status). */
export interface Plan {
  steps: Step[];
  reason: string;
}
