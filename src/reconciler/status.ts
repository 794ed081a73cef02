/**
 * A host container's state, as `GET /host-containers` reports it (docs/api.md):
 * - `pending`: wanted, not looked at yet (or the boot failed: host containers wait for it);
 * - `starting`: its image is being imported or pulled, or the container created and started;
 * - `pulling`: an attempt to pull its image failed and another is due (`error` says why);
 * - `running`, `stopping`, `stopped`;
 * - `restarting`: backing off after its process exited (`nextRestartAt`);
 * - `disabled`, `expired` (past `enabled-until`), `no-source`: settings that run nothing;
 * - `failed`: the last reconcile failed and is retried with backoff (`error` says why).
 */
export type ContainerState =
  | 'pending'
  | 'starting'
  | 'pulling'
  | 'running'
  | 'stopping'
  | 'stopped'
  | 'restarting'
  | 'disabled'
  | 'expired'
  | 'no-source'
  | 'failed';

/** Why a container's process exited, when berth can tell: `oom-killed` by the kernel at its memory limit. */
export type ExitReason = 'oom-killed';

/** What `GET /host-containers` and `apiclient status` report per container. */
export interface ContainerStatus {
  name: string;
  kind: 'host';
  desired: {
    enabled: boolean;
    superpowered: boolean;
    source: string | undefined;
    enabledUntil?: string;
  };
  state: ContainerState;
  pid?: number;
  imageDigest?: string;
  /** Restarts after exits since berthd started. */
  restarts: number;
  /** How its process last exited; `reason` when berth knows why (the OOM killer, at its memory limit). */
  lastExit?: { code: number; at: string | undefined; reason?: ExitReason };
  /** When the state last changed (RFC 3339). */
  since: string;
  /** Why the last attempt to bring it to its desired state failed; kept until one succeeds. */
  error?: string;
  /** When the next restart is due, while backing off. */
  nextRestartAt?: string;
}
