import type { CallOptions, Transport } from '../transport.js';
import type { ContentInfo, ContentStatus } from '../types.js';
import { ContentWriter } from '../content-writer.js';

const SERVICE = 'content.v1.Content';

export class ContentService {
  #t: Transport;
  #ns: string;
  constructor(transport: Transport, namespace: string) {
    this.#t = transport;
    this.#ns = namespace;
  }

  async info(digest: string, options?: CallOptions): Promise<ContentInfo> {
    const res = await this.#t.unary<{ info: ContentInfo }>(
      { service: SERVICE, method: 'Info', namespace: this.#ns },
      { digest },
      options,
    );
    return res.info;
  }

  /** Sets the given labels (only those keys; an empty value removes a label). */
  async setLabels(digest: string, labels: Record<string, string>, options?: CallOptions): Promise<ContentInfo> {
    const res = await this.#t.unary<{ info: ContentInfo }>(
      { service: SERVICE, method: 'Update', namespace: this.#ns },
      { info: { digest, labels }, update_mask: { paths: Object.keys(labels).map((k) => `labels.${k}`) } },
      options,
    );
    return res.info;
  }

  async list(filters: string[] = [], options?: CallOptions): Promise<ContentInfo[]> {
    const pages = await this.#t.collect<{ info: ContentInfo[] }>(
      { service: SERVICE, method: 'List', namespace: this.#ns },
      { filters },
      options,
    );
    return pages.flatMap((p) => p.info);
  }

  async delete(digest: string, options?: CallOptions): Promise<void> {
    await this.#t.unary({ service: SERVICE, method: 'Delete', namespace: this.#ns }, { digest }, options);
  }

  /** Reads a whole blob (or a range) into memory; for manifests, configs and indexes. */
  async read(digest: string, options: CallOptions & { offset?: number; size?: number } = {}): Promise<Buffer> {
    const pages = await this.#t.collect<{ offset: number; data: Buffer }>(
      { service: SERVICE, method: 'Read', namespace: this.#ns },
      { digest, offset: options.offset ?? 0, size: options.size ?? 0 },
      options,
    );
    return Buffer.concat(pages.map((p) => p.data));
  }

  async listStatuses(filters: string[] = [], options?: CallOptions): Promise<ContentStatus[]> {
    const res = await this.#t.unary<{ statuses: ContentStatus[] }>(
      { service: SERVICE, method: 'ListStatuses', namespace: this.#ns },
      { filters },
      options,
    );
    return res.statuses;
  }

  async abort(ref: string, options?: CallOptions): Promise<void> {
    await this.#t.unary({ service: SERVICE, method: 'Abort', namespace: this.#ns }, { ref }, options);
  }

  /** Opens a resumable write of one blob (see ContentWriter). */
  writer(ref: string, options: CallOptions = {}): ContentWriter {
    const stream = this.#t.bidiStream<object, unknown>({ service: SERVICE, method: 'Write', namespace: this.#ns }, options);
    return new ContentWriter(stream, ref);
  }
}
