import type { ContainerdClient, BlobSource } from '../containerd/index.js';
import type { OciDescriptor } from './oci-types.js';

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
  const writer = client.content.writer(options.ref ?? `berth-${desc.digest}`, { lease: options.lease, timeoutMs: 0 });
  const target = { digest: desc.digest, size: desc.size, ...(options.labels ? { labels: options.labels } : {}) };
  const outcome = await writer.write(target, source, options.onProgress);
  if (outcome === 'exists') {
    // Blobs shared with another image are stored once; they still need this image's labels.
    if (options.labels && Object.keys(options.labels).length > 0) {
      await client.content.setLabels(desc.digest, options.labels, { lease: options.lease });
    }
    options.onProgress?.(desc.size);
  }
  return outcome;
}

/** A source over bytes already in memory (manifests, configs, indexes). */
export function bufferSource(data: Buffer): BlobSource {
  return async function* (offset) {
    yield data.subarray(offset);
  };
}
