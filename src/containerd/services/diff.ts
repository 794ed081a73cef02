import type { CallOptions, Transport } from '../transport.js';
import type { Descriptor, Mount } from '../types.js';

export class DiffService {
  #t: Transport;
  #ns: string;
  constructor(transport: Transport, namespace: string) {
    this.#t = transport;
    this.#ns = namespace;
  }

  /**
   * Applies a layer blob from the content store onto the mounts; the daemon decompresses it and
   * returns the descriptor of the uncompressed tar (its digest is the layer's diff ID).
   */
  async apply(layer: Descriptor, mounts: Mount[], options?: CallOptions): Promise<Descriptor> {
    const res = await this.#t.unary<{ applied: Descriptor }>(
      { service: 'diff.v1.Diff', method: 'Apply', namespace: this.#ns },
      { diff: layer, mounts, payloads: {} },
      options,
    );
    return res.applied;
  }
}
