import { Transport, type TransportOptions, type CallOptions } from './transport.js';
import { VersionService, type VersionInfo } from './services/version.js';
import { NamespacesService } from './services/namespaces.js';
import { ContentService } from './services/content.js';
import { ImagesService } from './services/images.js';
import { LeasesService } from './services/leases.js';
import { SnapshotsService } from './services/snapshots.js';
import { DiffService } from './services/diff.js';
import { ContainersService } from './services/containers.js';
import { TasksService } from './services/tasks.js';
import { EventsService } from './services/events.js';
import { IntrospectionService } from './services/introspection.js';
import { BerthError, isUnavailable } from '../errors/index.js';

export interface ContainerdClientOptions extends TransportOptions {
  /** containerd namespace sent with every namespaced call. Required. */
  namespace: string;
  /** Snapshotter for unpacking and container rootfs. Default `overlayfs`. */
  snapshotter?: string;
}

/**
 * A typed containerd client over one Unix-socket channel. It has no opinions: it knows containerd's
 * services, not berth's containers. Every namespaced call carries `containerd-namespace`; a lease is
 * passed per call (`{ lease }`) for multi-step work.
 */
export class ContainerdClient {
  readonly namespace: string;
  readonly snapshotter: string;
  readonly version: VersionService;
  readonly namespaces: NamespacesService;
  readonly content: ContentService;
  readonly images: ImagesService;
  readonly leases: LeasesService;
  readonly snapshots: SnapshotsService;
  readonly diff: DiffService;
  readonly containers: ContainersService;
  readonly tasks: TasksService;
  readonly events: EventsService;
  readonly introspection: IntrospectionService;
  #transport: Transport;
  #ownsTransport: boolean;

  private constructor(transport: Transport, options: { namespace: string; snapshotter: string; owns: boolean }) {
    this.#transport = transport;
    this.#ownsTransport = options.owns;
    this.namespace = options.namespace;
    this.snapshotter = options.snapshotter;
    const ns = options.namespace;
    this.version = new VersionService(transport);
    this.namespaces = new NamespacesService(transport);
    this.content = new ContentService(transport, ns);
    this.images = new ImagesService(transport, ns);
    this.leases = new LeasesService(transport, ns);
    this.snapshots = new SnapshotsService(transport, { namespace: ns, snapshotter: options.snapshotter });
    this.diff = new DiffService(transport, ns);
    this.containers = new ContainersService(transport, ns);
    this.tasks = new TasksService(transport, ns);
    this.events = new EventsService(transport);
    this.introspection = new IntrospectionService(transport);
  }

  /** Creates the client; the channel connects lazily on the first call. */
  static connect(options: ContainerdClientOptions): ContainerdClient {
    return new ContainerdClient(new Transport(options), {
      namespace: options.namespace,
      snapshotter: options.snapshotter ?? 'overlayfs',
      owns: true,
    });
  }

  get socket(): string {
    return this.#transport.socket;
  }

  /** A client for another namespace sharing this one's channel. */
  withNamespace(namespace: string): ContainerdClient {
    return new ContainerdClient(this.#transport, { namespace, snapshotter: this.snapshotter, owns: false });
  }

  /**
   * Waits until the daemon answers (Version), retrying while the socket is missing or refusing.
   * Throws UNAVAILABLE naming the socket when the deadline passes.
   */
  async waitUntilReady(options: { timeoutMs?: number; signal?: AbortSignal } = {}): Promise<VersionInfo> {
    const deadline = Date.now() + (options.timeoutMs ?? 30_000);
    let last: unknown;
    while (Date.now() < deadline) {
      if (options.signal?.aborted) throw new BerthError('CANCELED', `Waiting for containerd at ${this.socket} canceled`);
      try {
        const call: CallOptions = { timeoutMs: Math.max(1, Math.min(2000, deadline - Date.now())) };
        if (options.signal) call.signal = options.signal;
        return await this.version.version(call);
      } catch (err) {
        last = err;
        if (!isUnavailable(err) && !(BerthError.is(err) && err.code === 'DEADLINE_EXCEEDED')) throw err;
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    throw new BerthError('UNAVAILABLE', `containerd at ${this.socket} did not answer in time`, { cause: last });
  }

  close(): void {
    if (this.#ownsTransport) this.#transport.close();
  }
}
