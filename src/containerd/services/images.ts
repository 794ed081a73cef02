import type { CallOptions, Transport } from '../transport.js';
import type { Descriptor, Image } from '../types.js';
import { isAlreadyExists } from '../../errors/index.js';

const SERVICE = 'images.v1.Images';

export class ImagesService {
  #t: Transport;
  #ns: string;
  constructor(transport: Transport, namespace: string) {
    this.#t = transport;
    this.#ns = namespace;
  }

  async get(name: string, options?: CallOptions): Promise<Image> {
    const res = await this.#t.unary<{ image: Image }>({ service: SERVICE, method: 'Get', namespace: this.#ns }, { name }, options);
    return res.image;
  }

  async list(filters: string[] = [], options?: CallOptions): Promise<Image[]> {
    const res = await this.#t.unary<{ images: Image[] }>({ service: SERVICE, method: 'List', namespace: this.#ns }, { filters }, options);
    return res.images;
  }

  /** Creates the image record, or points an existing name at the new target (and labels). */
  async put(
    image: { name: string; target: Descriptor; labels?: Record<string, string> },
    options?: CallOptions,
  ): Promise<Image> {
    const record = { name: image.name, target: image.target, labels: image.labels ?? {} };
    try {
      const res = await this.#t.unary<{ image: Image }>(
        { service: SERVICE, method: 'Create', namespace: this.#ns },
        { image: record },
        options,
      );
      return res.image;
    } catch (err) {
      if (!isAlreadyExists(err)) throw err;
    }
    const res = await this.#t.unary<{ image: Image }>(
      { service: SERVICE, method: 'Update', namespace: this.#ns },
      { image: record, update_mask: { paths: ['target', 'labels'] } },
      options,
    );
    return res.image;
  }

  async delete(name: string, options: CallOptions & { sync?: boolean } = {}): Promise<void> {
    await this.#t.unary({ service: SERVICE, method: 'Delete', namespace: this.#ns }, { name, sync: options.sync ?? false }, options);
  }
}
