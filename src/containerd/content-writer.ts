import type { ClientDuplexStream } from '@grpc/grpc-js';
import { BerthError } from '../errors/index.js';
import { fromGrpcError } from './grpc-errors.js';

/** Content.Write chunks stay well under the 16 MiB message limit. */
export const WRITE_CHUNK = 1 << 20;

interface WriteResponse {
  action: string;
  offset: number;
  total: number;
  digest: string;
}

export interface BlobTarget {
  /** Expected digest (`sha256:…`); containerd verifies it at commit. Required. */
  digest: string;
  /** Expected size in bytes. Required. */
  size: number;
  /** Labels stored with the blob at commit (GC references, uncompressed digest, …). */
  labels?: Record<string, string>;
}

/** Produces the blob's bytes starting at `offset` (the resume point containerd reports). */
export type BlobSource = (offset: number) => AsyncIterable<Uint8Array>;

export type WriteOutcome = 'written' | 'exists';

/**
 * The Content.Write bidi protocol: STAT (learn the resume offset), WRITE chunks, COMMIT.
 * containerd answers each request with exactly one response, so requests and responses are paired
 * in order. An `expected` digest that is already stored fails the STAT with ALREADY_EXISTS; that
 * counts as success ('exists') and the caller applies its labels with Content.Update.
 */
export class ContentWriter {
  #stream: ClientDuplexStream<object, unknown>;
  #ref: string;
  #waiting: Array<{ resolve: (r: WriteResponse) => void; reject: (e: unknown) => void }> = [];
  #failed: unknown;
  #ended = false;

  constructor(stream: ClientDuplexStream<object, unknown>, ref: string) {
    this.#stream = stream;
    this.#ref = ref;
    stream.on('data', (res: WriteResponse) => this.#waiting.shift()?.resolve(res));
    stream.on('error', (err: unknown) => {
      this.#failed = fromGrpcError(err, 'Content.Write');
      for (const w of this.#waiting.splice(0)) w.reject(this.#failed);
    });
    stream.on('end', () => {
      this.#ended = true;
      const err = new BerthError('UNAVAILABLE', `containerd Content.Write ended early for ${ref}`);
      for (const w of this.#waiting.splice(0)) w.reject(err);
    });
  }

  #send(request: object): Promise<WriteResponse> {
    if (this.#failed) return Promise.reject(this.#failed);
    if (this.#ended) return Promise.reject(new BerthError('UNAVAILABLE', `containerd Content.Write closed for ${this.#ref}`));
    return new Promise((resolve, reject) => {
      this.#waiting.push({ resolve, reject });
      this.#stream.write(request);
    });
  }

  /** Writes the blob, resuming a partial ingest under the same ref. */
  async write(target: BlobTarget, source: BlobSource, onProgress?: (bytes: number) => void): Promise<WriteOutcome> {
    try {
      let stat: WriteResponse;
      try {
        stat = await this.#send({ action: 'STAT', ref: this.#ref, total: target.size, expected: target.digest });
      } catch (err) {
        if (BerthError.is(err) && err.code === 'ALREADY_EXISTS') return 'exists';
        throw err;
      }
      let offset = stat.offset;
      if (offset > target.size) offset = 0; // a stale ingest larger than the blob: start over
      onProgress?.(offset);
      for await (const data of chunked(source(offset))) {
        const res = await this.#send({ action: 'WRITE', ref: this.#ref, offset, data });
        offset = res.offset;
        onProgress?.(offset);
      }
      if (offset !== target.size) {
        throw new BerthError('FAILED_PRECONDITION', `Blob ${target.digest} is ${offset} bytes, expected ${target.size}`);
      }
      try {
        await this.#send({
          action: 'COMMIT',
          ref: this.#ref,
          offset,
          total: target.size,
          expected: target.digest,
          labels: target.labels ?? {},
        });
      } catch (err) {
        // Another writer committed the same digest between our STAT and COMMIT.
        if (BerthError.is(err) && err.code === 'ALREADY_EXISTS') return 'exists';
        throw err;
      }
      return 'written';
    } finally {
      this.close();
    }
  }

  close(): void {
    if (!this.#ended) this.#stream.end();
    this.#ended = true;
  }
}

/** Re-cuts a byte stream into ≤ 1 MiB pieces without copying when a piece already fits. */
async function* chunked(source: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  for await (const buf of source) {
    for (let i = 0; i < buf.length; i += WRITE_CHUNK) yield buf.subarray(i, Math.min(i + WRITE_CHUNK, buf.length));
  }
}
