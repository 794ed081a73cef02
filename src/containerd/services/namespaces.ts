import type { CallOptions, Transport } from '../transport.js';
import { isAlreadyExists } from '../../errors/index.js';

const SERVICE = 'namespaces.v1.Namespaces';

export class NamespacesService {
  #t: Transport;
  constructor(transport: Transport) {
    this.#t = transport;
  }

  async list(options?: CallOptions): Promise<string[]> {
    const res = await this.#t.unary<{ namespaces: Array<{ name: string }> }>(
      { service: SERVICE, method: 'List' },
      {},
      options,
    );
    return res.namespaces.map((n) => n.name);
  }

  /** Creates the namespace if it does not exist yet. */
  async ensure(name: string, options?: CallOptions): Promise<void> {
    try {
      await this.#t.unary({ service: SERVICE, method: 'Create', namespace: name }, { namespace: { name, labels: {} } }, options);
    } catch (err) {
      if (!isAlreadyExists(err)) throw err;
    }
  }

  async delete(name: string, options?: CallOptions): Promise<void> {
    await this.#t.unary({ service: SERVICE, method: 'Delete', namespace: name }, { name }, options);
  }
}
