import type { CallOptions, Transport } from '../transport.js';
import type { Mount, SnapshotInfo } from '../types.js';

const SERVICE = 'snapshots.v1.Snapshots';

/** One snapshotter of the Snapshots service (berth uses overlayfs). */
export class SnapshotsService {
  #t: Transport;
  #ns: string;
  readonly snapshotter: string;

  constructor(transport: Transport, options: { namespace: string; snapshotter: string }) {
    this.#t = transport;
    this.#ns = options.namespace;
    this.snapshotter = options.snapshotter;
  }

  #target(method: string) {
    return { service: SERVICE, method, namespace: this.#ns };
  }

  async prepare(key: string, parent: string, options: CallOptions & { labels?: Record<string, string> } = {}): Promise<Mount[]> {
    const res = await this.#t.unary<{ mounts: Mount[] }>(
      this.#target('Prepare'),
      { snapshotter: this.snapshotter, key, parent, labels: options.labels ?? {} },
      options,
    );
    return res.mounts;
  }

  async commit(name: string, key: string, options: CallOptions & { labels?: Record<string, string> } = {}): Promise<void> {
    await this.#t.unary(this.#target('Commit'), { snapshotter: this.snapshotter, name, key, labels: options.labels ?? {} }, options);
  }

  async mounts(key: string, options?: CallOptions): Promise<Mount[]> {
    const res = await this.#t.unary<{ mounts: Mount[] }>(this.#target('Mounts'), { snapshotter: this.snapshotter, key }, options);
    return res.mounts;
  }

  async stat(key: string, options?: CallOptions): Promise<SnapshotInfo> {
    const res = await this.#t.unary<{ info: SnapshotInfo }>(this.#target('Stat'), { snapshotter: this.snapshotter, key }, options);
    return res.info;
  }

  async remove(key: string, options?: CallOptions): Promise<void> {
    await this.#t.unary(this.#target('Remove'), { snapshotter: this.snapshotter, key }, options);
  }

  async list(filters: string[] = [], options?: CallOptions): Promise<SnapshotInfo[]> {
    const pages = await this.#t.collect<{ info: SnapshotInfo[] }>(
      this.#target('List'),
      { snapshotter: this.snapshotter, filters },
      options,
    );
    return pages.flatMap((p) => p.info);
  }
}
