import type { ContainerdClient, BlobSource } from '../containerd/index.js';
import type { OciDescriptor } from './oci-types.js';
import { BerthError } from '../errors/index.js';

export interface IngestOptions {
  /** Lease that protects the blob until the image record references it. Required. */
  lease: string;
  /** Labels to store with the blob (also applied when the blob was already there). */
  labels?: Record<string, string>;
  /** Ingest ref; stable per digest by default so an interrupted write resumes. */
  ref?: string;
  onProgress?: (bytes: number) => void;
}

/** Writes one blob into the content store unless it is there already; containerd checks its digest. */
export async function ingestBlob(
  client: ContainerdClient,
  desc: OciDescriptor,
  source: BlobSource,
  options: IngestOptions,
): Promise<'written' | 'exists'> {
  const target = { digest: desc.digest, size: desc.size, ...(options.labels ? { labels: options.labels } : {}) };
  const ref = options.ref ?? `berth-${desc.digest}`;
  let outcome: 'written' | 'exists';
  for (let attempt = 0; ; attempt++) {
    try {
      const writer = client.content.writer(ref, { lease: options.lease, timeoutMs: 0 });
      outcome = await writer.write(target, source, options.onProgress);
      break;
    } catch (err) {
      // Bytes that do not match the digest fail the commit but stay behind as a complete ingest
      // under this ref, which the next try would resume and fail on again: drop it.
      if (BerthError.is(err) && err.code === 'FAILED_PRECONDITION') {
        await client.content.abort(ref).catch(() => undefined);
        throw err;
      }
      // Another import is writing the same blob under the same ref: wait for it, then the STAT
      // finds the blob committed (as containerd's own client does).
      if (!isLockedRef(err) || attempt >= LOCKED_RETRIES) throw err;
      await new Promise((r) => setTimeout(r, Math.min(100 * 2 ** attempt, 2000)));
    }
  }
  if (outcome === 'exists') {
    // Blobs shared with another image are stored once; they still need this image's labels.
    if (options.labels && Object.keys(options.labels).length > 0) {
      await client.content.setLabels(desc.digest, options.labels, { lease: options.lease });
    }
    options.onProgress?.(desc.size);
  }
  return outcome;
}

const LOCKED_RETRIES = 40;

function isLockedRef(err: unknown): boolean {
  return BerthError.is(err) && err.code === 'UNAVAILABLE' && /locked/.test(err.message);
}

/** A source over bytes already in memory (manifests, configs, indexes). */
export function bufferSource(data: Buffer): BlobSource {
  return async function* (offset) {
    yield data.subarray(offset);
  };
}
