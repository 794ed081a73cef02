import { BerthError, messageOf } from '../../errors/index.js';
import type { BlobProvider } from '../fetch-tree.js';
import { isIndex, isManifest } from '../media-types.js';
import type { OciDescriptor } from '../oci-types.js';
import type { RegistrySession } from './registry-session.js';

/** Bytes gathered before they go to containerd: fewer Content.Write round trips, memory stays bounded. */
const COALESCE_BYTES = 512 << 10;

/**
 * Blobs and manifests over the distribution API, streamed: each piece goes on to Content.Write as it
 * arrives, nothing is held whole. A transfer that starts past 0 (containerd already holds the first
 * bytes of an interrupted ingest) asks for `Range: bytes=<offset>-`; a registry that ignores the
 * range gets its leading bytes skipped. A connection that breaks off is UNAVAILABLE, which the
 * caller retries from containerd's new offset.
 */
export class RegistryBlobProvider implements BlobProvider {
  readonly where: string;
  #session: RegistrySession;
  #documents: Map<string, Buffer>;

  constructor(session: RegistrySession, options: { documents?: Map<string, Buffer> } = {}) {
    this.#session = session;
    this.#documents = options.documents ?? new Map();
    const { ref } = session;
    this.where = `${ref.registry}/${ref.repository}${ref.digest ? `@${ref.digest}` : `:${ref.tag}`}`;
  }

  async *open(desc: OciDescriptor, offset: number): AsyncIterable<Uint8Array> {
    const known = this.#documents.get(desc.digest);
    if (known) {
      yield known.subarray(offset);
      return;
    }
    if (offset >= desc.size) return;
    const document = isIndex(desc.mediaType) || isManifest(desc.mediaType);
    const headers: Record<string, string> = document ? { accept: desc.mediaType } : {};
    if (offset > 0) headers.range = `bytes=${offset}-`;
    const { res, endpoint } = await this.#session.get(`${document ? 'manifests' : 'blobs'}/${desc.digest}`, {
      headers,
      what: `${document ? 'manifest' : 'blob'} ${desc.digest}`,
    });
    let skip = offset > 0 ? offset : 0;
    if (offset > 0 && res.status === 206) {
      const start = Number(/^bytes (\d+)-/.exec(String(res.headers['content-range'] ?? ''))?.[1] ?? NaN);
      if (!(start <= offset)) {
        res.body.destroy();
        throw new BerthError('FAILED_PRECONDITION', `Registry ${endpoint.host} sent bytes from ${start} of ${desc.digest} when asked for ${offset}-`);
      }
      skip = offset - start;
    }
    let remaining = desc.size - offset;
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    try {
      for await (const chunk of res.body as AsyncIterable<Buffer>) {
        let piece = chunk;
        if (skip > 0) {
          const dropped = Math.min(skip, piece.length);
          skip -= dropped;
          piece = piece.subarray(dropped);
        }
        if (piece.length > remaining) piece = piece.subarray(0, remaining);
        remaining -= piece.length;
        pending.push(piece);
        pendingBytes += piece.length;
        if (pendingBytes >= COALESCE_BYTES || remaining === 0) {
          yield Buffer.concat(pending, pendingBytes);
          pending = [];
          pendingBytes = 0;
        }
        if (remaining === 0) break;
      }
    } catch (err) {
      if (BerthError.is(err) && err.code !== 'UNAVAILABLE') throw err;
      throw this.#broken(desc, endpoint.host, desc.size - remaining - pendingBytes, messageOf(err), err);
    } finally {
      res.body.destroy();
    }
    if (remaining > 0) throw this.#broken(desc, endpoint.host, desc.size - remaining - pendingBytes, 'the connection ended early');
    if (pendingBytes > 0) yield Buffer.concat(pending, pendingBytes);
  }

  #broken(desc: OciDescriptor, host: string, at: number, reason: string, cause?: unknown): BerthError {
    return new BerthError('UNAVAILABLE', `Download of ${desc.digest} from ${host} broke off at byte ${at} of ${desc.size}: ${reason}`, {
      cause,
      details: { hosts: [host] },
    });
  }
}
