import type { CallOptions, Transport } from '../transport.js';
import type { Container } from '../types.js';
import type { AnyMessage } from '../any.js';

const SERVICE = 'containers.v1.Containers';

export interface NewContainer {
  id: string;
  labels: Record<string, string>;
  image: string;
  runtime: { name: string; options?: AnyMessage };
  spec: AnyMessage;
  snapshotter: string;
  snapshot_key: string;
}

export class ContainersService {
  #t: Transport;
  #ns: string;
  constructor(transport: Transport, namespace: string) {
    this.#t = transport;
    this.#ns = namespace;
  }

  async get(id: string, options?: CallOptions): Promise<Container> {
    const res = await this.#t.unary<{ container: Container }>({ service: SERVICE, method: 'Get', namespace: this.#ns }, { id }, options);
    return res.container;
  }

  /** Containers matching any of the filters (containerd's filter syntax), streamed to stay under 16 MiB. */
  async list(filters: string[] = [], options?: CallOptions): Promise<Container[]> {
    const pages = await this.#t.collect<{ container: Container }>(
      { service: SERVICE, method: 'ListStream', namespace: this.#ns },
      { filters },
      options,
    );
    return pages.map((p) => p.container);
  }

  async create(container: NewContainer, options?: CallOptions): Promise<Container> {
    const res = await this.#t.unary<{ container: Container }>(
      { service: SERVICE, method: 'Create', namespace: this.#ns },
      { container },
      options,
    );
    return res.container;
  }

  async delete(id: string, options?: CallOptions): Promise<void> {
    await this.#t.unary({ service: SERVICE, method: 'Delete', namespace: this.#ns }, { id }, options);
  }
}
