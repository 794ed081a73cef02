import type { ActualContainer, ContainerKind, DesiredContainer } from './types.js';

/** A failed attempt to pull a container's image; the next one follows after `delayMs`. */
export interface PullRetry {
  /** The attempt that failed: 1 for the first. */
  attempt: number;
  delayMs: number;
  /** Why it failed (the registry's or the connection's error). */
  reason: string;
}

export interface CreateOptions {
  /** Told of each failed pull attempt that will be retried (the pull goes on). */
  onPullRetry?: (retry: PullRetry) => void;
}

export interface ExitInfo {
  exitCode: number;
  exitedAt: Date | undefined;
}

/**
 * What the reconciler needs from the container runtime; src/runtime implements it with
 * host-containerd. Every method is idempotent and treats "already so" as success.
 */
export interface RuntimePort {
  /** Every container berth created, of both kinds. */
  list(): Promise<ActualContainer[]>;
  inspect(name: string, kind: ContainerKind): Promise<ActualContainer | undefined>;
  /** Names that have persistent storage (to clean user data of containers no longer in settings). */
  storedNames(kind: ContainerKind): Promise<string[]>;
  /** userDataDigest() of the user data in the container's storage; undefined when there is none. */
  userDataDigest(name: string, kind: ContainerKind): Promise<string | undefined>;
  /** Replaces the user data in the container's storage (0600) with `data`, atomically. */
  writeUserData(name: string, kind: ContainerKind, data: Buffer): Promise<void>;
  /** Removes the user data from the container's storage. */
  removeUserData(name: string, kind: ContainerKind): Promise<void>;
  /** Gets the image (import or pull) and creates the container; does not start it. */
  create(desired: DesiredContainer, options?: CreateOptions): Promise<{ imageDigest: string }>;
  /** Starts the task, first deleting a stopped one. */
  start(name: string, kind: ContainerKind): Promise<{ pid: number }>;
  /** SIGTERM, grace, SIGKILL to all; deletes the task. Undefined when there was none. */
  stop(name: string, kind: ContainerKind, options: { graceMs: number }): Promise<ExitInfo | undefined>;
  /** Waits for the task to exit; undefined when it is still running after `timeoutMs`. */
  waitExit(name: string, kind: ContainerKind, options: { timeoutMs: number }): Promise<ExitInfo | undefined>;
  /** Removes task, snapshot and container. */
  remove(name: string, kind: ContainerKind): Promise<void>;
  /** Calls back with a container name whenever host-containerd reports a change to it. */
  watch(onChange: (name: string, kind: ContainerKind) => void): { close(): void };
}
