import { createHash } from 'node:crypto';
import type { ContainerdClient, Platform } from '../containerd/index.js';
import { BerthError } from '../errors/index.js';
import { indexGcLabels, manifestGcLabels } from './gc-labels.js';
import { bufferSource, ingestBlob } from './ingest.js';
import { isIndex, isManifest, isSchema1 } from './media-types.js';
import { parseJson, type ImageConfig, type OciDescriptor, type OciIndex, type OciManifest } from './oci-types.js';
import type { ProgressListener } from './progress-events.js';
import { checkConfigPlatform, checkManifest, MAX_DOCUMENT_BYTES, type ResolvedImage } from './resolve-stored.js';
import { selectManifest } from './select-manifest.js';

/** Where blobs come from: an OCI layout directory, a registry. */
export interface BlobProvider {
  /** Human-readable origin for messages (a path, `registry/repo:tag`). */
  readonly where: string;
  /** The blob's bytes from `offset` on. May throw UNAVAILABLE when the source breaks off. */
  open(desc: OciDescriptor, offset: number): AsyncIterable<Uint8Array>;
}

export interface FetchOptions {
  platform: Platform;
  lease: string;
  onProgress?: ProgressListener;
  /** Blobs fetched at once. Default 3. */
  concurrency?: number;
  /** Wraps each blob transfer, e.g. to retry a broken connection (the retry resumes). */
  retry?: <T>(what: string, fn: () => Promise<T>) => Promise<T>;
}

/**
 * Fetches an image tree from a provider into the content store, leaves first, so that each parent
 * blob is committed with the GC labels of children that are already stored. Documents (indexes,
 * manifests, configs) are verified against their digest before they are parsed.
 */
export async function fetchImageTree(
  client: ContainerdClient,
  provider: BlobProvider,
  target: OciDescriptor,
  options: FetchOptions,
): Promise<ResolvedImage> {
  const retry = options.retry ?? (<T>(_what: string, fn: () => Promise<T>) => fn());
  const ingestDoc = (desc: OciDescriptor, data: Buffer, labels: Record<string, string>) =>
    ingestBlob(client, desc, bufferSource(data), { lease: options.lease, labels });

  const resolveFrom = async (desc: OciDescriptor, depth: number): Promise<Omit<ResolvedImage, 'target'>> => {
    if (depth > 4) throw new BerthError('INVALID_ARGUMENT', `Image index nesting too deep in ${provider.where}`);
    if (isSchema1(desc.mediaType)) {
      throw new BerthError('INVALID_ARGUMENT', `Docker schema 1 images are not supported (${provider.where})`);
    }
    const data = await retry(desc.digest, () => readDocument(provider, desc));
    if (isIndex(desc.mediaType)) {
      const index = parseJson<OciIndex>(data, `index ${desc.digest}`);
      const child = selectManifest(index, { platform: options.platform, where: provider.where });
      const resolved = await resolveFrom(child.desc, depth + 1);
      await ingestDoc(desc, data, indexGcLabels(index, [child.position]));
      return resolved;
    }
    if (!isManifest(desc.mediaType)) {
      throw new BerthError('INVALID_ARGUMENT', `Unsupported manifest media type ${desc.mediaType} in ${provider.where}`);
    }
    const manifest = checkManifest(parseJson<OciManifest>(data, `manifest ${desc.digest}`), provider.where);
    const configData = await retry(manifest.config.digest, () => readDocument(provider, manifest.config));
    const config = parseJson<ImageConfig>(configData, `config ${manifest.config.digest}`);
    checkConfigPlatform(config, { platform: options.platform, where: provider.where });
    await ingestDoc(manifest.config, configData, {});
    await runLimited(manifest.layers, options.concurrency ?? 3, (layer) =>
      retry(layer.digest, () =>
        ingestBlob(client, layer, (offset) => provider.open(layer, offset), {
          lease: options.lease,
          onProgress: (bytes) =>
            options.onProgress?.({ kind: 'blob', digest: layer.digest, bytes, total: layer.size, mediaType: layer.mediaType }),
        }),
      ),
    );
    await ingestDoc(desc, data, manifestGcLabels(manifest));
    return { manifestDesc: desc, manifest, configDesc: manifest.config, config };
  };

  return { target, ...(await resolveFrom(target, 0)) };
}

/** Reads a whole document and checks its digest and size before anyone parses it. */
async function readDocument(provider: BlobProvider, desc: OciDescriptor): Promise<Buffer> {
  if (desc.size > MAX_DOCUMENT_BYTES) {
    throw new BerthError('INVALID_ARGUMENT', `Document ${desc.digest} in ${provider.where} is too large (${desc.size} bytes)`);
  }
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of provider.open(desc, 0)) {
    length += chunk.length;
    if (length > desc.size) break;
    chunks.push(Buffer.from(chunk));
  }
  const data = Buffer.concat(chunks);
  const actual = 'sha256:' + createHash('sha256').update(data).digest('hex');
  if (data.length !== desc.size || actual !== desc.digest) {
    throw new BerthError('FAILED_PRECONDITION', `Content of ${desc.digest} from ${provider.where} does not match its digest (got ${actual}, ${data.length} bytes)`);
  }
  return data;
}

/**
 * Runs `fn` over items with at most `limit` in flight. After a failure no new item starts, and the
 * first error is thrown once the running ones have settled (so nothing keeps writing under a lease
 * the caller is about to drop).
 */
export async function runLimited<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  let failure: { err: unknown } | undefined;
  const worker = async (): Promise<void> => {
    while (next < items.length && !failure) {
      const item = items[next++] as T;
      try {
        await fn(item);
      } catch (err) {
        failure ??= { err };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failure) throw failure.err;
}
