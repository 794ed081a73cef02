import { stat, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { ContainerdClient, Platform } from '../containerd/index.js';
import { BerthError } from '../errors/index.js';
import { forEachArchiveEntry, readEntry, skipBytes } from './archive-reader.js';
import { fetchImageTree } from './fetch-tree.js';
import { ingestBlob } from './ingest.js';
import { LayoutProvider } from './layout-provider.js';
import { parseJson, toWireDescriptor, type OciDescriptor, type OciIndex } from './oci-types.js';
import type { ProgressListener } from './progress-events.js';
import { resolveStoredImage, type ResolvedImage } from './resolve-stored.js';
import { selectLayoutEntry } from './select-manifest.js';
import { unpackImage } from './unpack.js';

export interface ImportOptions {
  /** An OCI archive (tar) or an OCI image layout directory. Required. */
  path: string;
  /** Selects one image of the layout by its ref-name annotation. Optional. */
  ref?: string;
  /** Name of the image record. Default: the entry's io.containerd.image.name annotation, else the path. */
  name?: string;
  /** Platform to pick from an index. Required. */
  platform: Platform;
  /** Extra labels on the image record. */
  labels?: Record<string, string>;
  onProgress?: ProgressListener;
}

export interface ImageResult {
  name: string;
  /** Descriptor the image record points at. */
  target: OciDescriptor;
  manifestDigest: string;
  configDigest: string;
  /** Top chain ID: the parent snapshot for a container's rootfs. */
  chainId: string;
  /** Layers unpacked now; 0 when every layer was already there. */
  layersApplied: number;
  image: ResolvedImage;
}

const SMALL_ENTRY = 4 << 20;

/**
 * Imports an OCI archive or layout into containerd without `ctr`: blobs into the content store under
 * a lease, the image record, then unpacked into snapshots. Blobs and layers that are already stored
 * are not written again.
 */
export async function importImage(client: ContainerdClient, options: ImportOptions): Promise<ImageResult> {
  if (!path.isAbsolute(options.path)) {
    throw new BerthError('INVALID_ARGUMENT', `Image archive path must be absolute: ${options.path}`);
  }
  const info = await stat(options.path).catch((err: NodeJS.ErrnoException) => {
    throw new BerthError('NOT_FOUND', `Image archive ${options.path} does not exist`, { cause: err });
  });
  const lease = await client.leases.create({ expireAfterMs: 3600_000 });
  try {
    const { entry, resolved } = info.isDirectory()
      ? await importLayoutDir(client, options, lease.id)
      : await importArchive(client, options, lease.id);
    const name = options.name ?? entry.annotations?.['io.containerd.image.name'] ?? options.path;
    await client.images.put({ name, target: toWireDescriptor(entry), labels: options.labels ?? {} }, { lease: lease.id });
    const unpacked = await unpackImage(client, resolved, {
      lease: lease.id,
      onLayer: (done, total) => options.onProgress?.({ kind: 'unpack', done, total }),
    });
    options.onProgress?.({ kind: 'done', name, digest: entry.digest });
    return {
      name,
      target: entry,
      manifestDigest: resolved.manifestDesc.digest,
      configDigest: resolved.configDesc.digest,
      chainId: unpacked.chainId,
      layersApplied: unpacked.applied,
      image: resolved,
    };
  } finally {
    await client.leases.delete(lease.id).catch(() => undefined);
  }
}

async function importLayoutDir(client: ContainerdClient, options: ImportOptions, lease: string) {
  const where = options.path;
  const index = parseJson<OciIndex>(
    await readFile(path.join(options.path, 'index.json')).catch((err) => {
      throw new BerthError('INVALID_ARGUMENT', `${where} is not an OCI layout: no index.json`, { cause: err });
    }),
    `${where}/index.json`,
  );
  const entry = selectLayoutEntry(index, { ref: options.ref, platform: options.platform, where });
  const fetchOptions = { platform: options.platform, lease, ...(options.onProgress ? { onProgress: options.onProgress } : {}) };
  const resolved = await fetchImageTree(client, new LayoutProvider(options.path), entry, fetchOptions);
  return { entry, resolved };
}

/**
 * One pass over the tar: every blob goes into the content store as it streams by (the archive's
 * order is arbitrary, so index.json may come last); then the image is resolved from the store.
 * Blobs of other platforms are left unreferenced and collected with the lease.
 */
async function importArchive(client: ContainerdClient, options: ImportOptions, lease: string) {
  const where = options.path;
  let indexData: Buffer | undefined;
  let sawLayout = false;
  await forEachArchiveEntry(options.path, async (e) => {
    if (e.name === 'index.json') {
      indexData = await readEntry(e, SMALL_ENTRY);
      return;
    }
    if (e.name === 'oci-layout') {
      sawLayout = true;
      return;
    }
    const m = /^blobs\/sha256\/([a-f0-9]{64})$/.exec(e.name);
    if (!m) return;
    const desc = { mediaType: 'application/octet-stream', digest: `sha256:${m[1]}`, size: e.size };
    const bytes = { total: e.size };
    // A blob that is already stored (a shared layer) is skipped; the STAT says so before any byte moves.
    await ingestBlob(client, desc, (offset) => skipBytes(e.stream, offset), {
      lease,
      onProgress: (n) => options.onProgress?.({ kind: 'blob', digest: desc.digest, bytes: n, total: bytes.total, mediaType: '' }),
    });
  });
  if (!indexData || !sawLayout) {
    throw new BerthError('INVALID_ARGUMENT', `${where} is not an OCI archive: ${indexData ? 'no oci-layout file' : 'no index.json'}`);
  }
  const index = parseJson<OciIndex>(indexData, `${where}/index.json`);
  const entry = selectLayoutEntry(index, { ref: options.ref, platform: options.platform, where });
  const resolved = await resolveStoredImage(client, entry, { platform: options.platform, lease, where });
  return { entry, resolved };
}
