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
  /** Decoded user data; part of the hash, so a change replaces the container (DesiredState stores it). */
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

/**
 * What the settings want for one name. User data is stored while the settings hold it, whether or
 * not the container is wanted running (a disabled container keeps its SSH keys for its next start).
 */
export interface DesiredState {
  /** The container to run; undefined when it is disabled, expired, without a source or gone. */
  container: DesiredContainer | undefined;
  /** Decoded user data to keep in the container's storage; undefined when the settings hold none. */
  userData: Buffer | undefined;
}

/** What berth finds for one name. */
export interface ActualState {
  container: ActualContainer | undefined;
  /** userDataDigest() of the user data in the container's storage; undefined when none is stored. */
  userDataDigest: string | undefined;
}

/** One idempotent step of bringing a container to its desired state. */
export type ContainerStep = 'stop' | 'remove' | 'create' | 'start';
export type UserDataStep = 'write-user-data' | 'remove-user-data';
export type Step = ContainerStep | UserDataStep;

/** The steps for one container, with why (for logs and status). */
export interface Plan {
  steps: Step[];
  reason: string;
}
