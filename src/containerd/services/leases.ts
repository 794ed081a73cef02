import { randomBytes } from 'node:crypto';
import type { CallOptions, Transport } from '../transport.js';
import type { Lease } from '../types.js';

const SERVICE = 'leases.v1.Leases';

export interface CreateLeaseOptions extends CallOptions {
  /** Lease id; default a random one. */
  id?: string;
  /** After this long the lease expires by itself, so a crashed import cleans up. Default 24 h. */
  expireAfterMs?: number;
  labels?: Record<string, string>;
}

export class LeasesService {
  #t: Transport;
  #ns: string;
  constructor(transport: Transport, namespace: string) {
    this.#t = transport;
    this.#ns = namespace;
  }

  async create(options: CreateLeaseOptions = {}): Promise<Lease> {
    const id = options.id ?? `berth-${randomBytes(8).toString('hex')}`;
    const expire = new Date(Date.now() + (options.expireAfterMs ?? 24 * 3600_000)).toISOString();
    const res = await this.#t.unary<{ lease: Lease }>(
      { service: SERVICE, method: 'Create', namespace: this.#ns },
      { id, labels: { 'containerd.io/gc.expire': expire, ...options.labels } },
      options,
    );
    return res.lease;
  }

  /** `sync` runs the garbage collector before returning, which makes the outcome observable. */
  async delete(id: string, options: CallOptions & { sync?: boolean } = {}): Promise<void> {
    await this.#t.unary({ service: SERVICE, method: 'Delete', namespace: this.#ns }, { id, sync: options.sync ?? false }, options);
  }

  async list(options?: CallOptions): Promise<Lease[]> {
    const res = await this.#t.unary<{ leases: Lease[] }>({ service: SERVICE, method: 'List', namespace: this.#ns }, {}, options);
    return res.leases;
  }
}
