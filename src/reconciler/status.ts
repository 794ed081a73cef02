/** What `GET /host-containers` and `apiclient status` report per container. */
export interface ContainerStatus {
  name: string;
  kind: 'host' | 'bootstrap';
  desired: {
    enabled: boolean;
    superpowered: boolean;
    source: string | undefined;
    enabledUntil?: string;
  };
  /** running | starting | restarting | stopped | disabled | failed */
  state: string;
  pid?: number;
  imageDigest?: string;
  /** Restarts after exits since berthd started. */
  restarts: number;
  lastExit?: { code: number; at: string | undefined };
  /** When the state last changed (RFC 3339). */
  since: string;
  /** Why the last reconcile failed, if it did. */
  error?: string;
  /** When the next restart is due, while backing off. */
  nextRestartAt?: string;
}
