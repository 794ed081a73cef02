/** What berth runs, and what it finds running; the reconciler's vocabulary. */

export type ContainerKind = 'host' | 'bootstrap';

/** A host container as the settings want it (only enabled ones are desired). */
export interface DesiredContainer {
  name: string;
  kind: ContainerKind;
  /** Image reference or `oci-archive:` path. */
  source: string;
  superpowered: boolean;
  /** Decoded user data, written to the container's storage before it starts. */
  userData: Buffer | undefined;
  /** Hash of every input above plus the registry settings: a change replaces the container. */
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
