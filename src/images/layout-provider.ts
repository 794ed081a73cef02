import { createReadStream } from 'node:fs';
import path from 'node:path';
import type { BlobProvider } from './fetch-tree.js';
import { DIGEST_PATTERN, type OciDescriptor } from './oci-types.js';
import { BerthError } from '../errors/index.js';

/** Blobs of an OCI image layout directory (`blobs/sha256/<hex>`), read with random access. */
export class LayoutProvider implements BlobProvider {
  readonly where: string;
  #dir: string;

  constructor(dir: string) {
    this.#dir = dir;
    this.where = dir;
  }

  async *open(desc: OciDescriptor, offset: number): AsyncIterable<Uint8Array> {
    if (!DIGEST_PATTERN.test(desc.digest)) throw new BerthError('INVALID_ARGUMENT', `Unsupported digest ${desc.digest}`);
    const file = path.join(this.#dir, 'blobs', 'sha256', desc.digest.slice('sha256:'.length));
    try {
      yield* createReadStream(file, { start: offset, highWaterMark: 1 << 20 });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
        throw new BerthError('NOT_FOUND', `Blob ${desc.digest} is missing from ${this.#dir}`, { cause: err });
      }
      throw err;
    }
  }
}
