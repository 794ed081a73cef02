import { ContainerdClient } from '../containerd/index.js';
import type { Logger } from '../lib/logger.js';
import { ManagedContainerd } from './managed-containerd.js';
import type { BerthPaths } from './paths.js';

export type ContainerdMode = 'managed' | 'external';

export interface DaemonHealth {
  role: 'host' | 'orchestrator';
  socket: string;
  mode: ContainerdMode;
  /** Managed mode only. */
  pid?: number;
  state: string;
  restarts: number;
  /** containerd version when it answered, undefined when it did not. */
  version?: string;
}

/**
 * Runs (managed) or connects to (external) the two containerd instances: host-containerd for host
 * containers and the orchestrator's containerd for workloads. host-containerd starts first and stops
 * last, so break-glass access is the first thing up and the last thing down.
 */
export class ContainerdSupervisor {
  readonly mode: ContainerdMode;
  readonly paths: BerthPaths;
  #log: Logger;
  #host: ManagedContainerd;
  #orchestrator: ManagedContainerd;
  #readyTimeoutMs: number;

  constructor(options: {
    mode: ContainerdMode;
    paths: BerthPaths;
    logger: Logger;
    containerdBinary?: string;
    /** How long to wait for a daemon to answer. Default 60 s. */
    readyTimeoutMs?: number;
  }) {
    this.mode = options.mode;
    this.#readyTimeoutMs = options.readyTimeoutMs ?? 60_000;
    this.paths = options.paths;
    this.#log = options.logger;
    const common = {
      logger: options.logger,
      readyTimeoutMs: this.#readyTimeoutMs,
      ...(options.containerdBinary ? { binary: options.containerdBinary } : {}),
    };
    this.#host = new ManagedContainerd({ ...common, role: 'host', paths: options.paths.hostContainerd });
    this.#orchestrator = new ManagedContainerd({ ...common, role: 'orchestrator', paths: options.paths.orchestratorContainerd });
  }

  /** Managed: adopt or start both daemons. External: wait until both answer. */
  async start(): Promise<void> {
    if (this.mode === 'managed') {
      await this.#host.start();
      await this.#orchestrator.start();
      return;
    }
    for (const [role, socket] of [
      ['host', this.paths.hostContainerd.socket],
      ['orchestrator', this.paths.orchestratorContainerd.socket],
    ] as const) {
      const client = ContainerdClient.connect({ socket, namespace: 'default' });
      try {
        const v = await client.waitUntilReady({ timeoutMs: this.#readyTimeoutMs });
        this.#log.info({ role, socket, version: v.version }, 'connected to external containerd');
      } finally {
        client.close();
      }
    }
  }

  /** Stops both daemons in order (managed mode); external daemons belong to systemd. */
  async stop(options: { graceMs?: number } = {}): Promise<void> {
    if (this.mode !== 'managed') return;
    await this.#orchestrator.stop(options);
    await this.#host.stop(options);
  }

  /** berthd is exiting but the daemons (and the containers) keep running for the next berthd. */
  detach(): void {
    this.#host.detach();
    this.#orchestrator.detach();
  }

  async health(): Promise<DaemonHealth[]> {
    const out: DaemonHealth[] = [];
    for (const [role, d] of [
      ['host', this.#host],
      ['orchestrator', this.#orchestrator],
    ] as const) {
      const client = ContainerdClient.connect({ socket: d.paths.socket, namespace: 'default' });
      const h: DaemonHealth = {
        role,
        socket: d.paths.socket,
        mode: this.mode,
        state: this.mode === 'managed' ? d.state : 'external',
        restarts: d.restarts,
      };
      if (d.pid !== undefined) h.pid = d.pid;
      try {
        h.version = (await client.version.version({ timeoutMs: 2000, waitForReady: false })).version;
      } catch {
        if (h.state === 'running' || h.state === 'external') h.state = 'unreachable';
      } finally {
        client.close();
      }
      out.push(h);
    }
    return out;
  }
}
