import { randomBytes } from 'node:crypto';
import type { ContainerdClient } from '../containerd/index.js';
import { BerthError, isAlreadyExists, isNotFound } from '../errors/index.js';
import { chainIds } from './chain-id.js';
import { snapshotGcLabel, UNCOMPRESSED_LABEL } from './gc-labels.js';
import { isLayer } from './media-types.js';
import { toWireDescriptor, type ImageConfig, type OciDescriptor, type OciManifest } from './oci-types.js';

export interface UnpackResult {
  /** Chain ID of the top layer: the parent snapshot of a container's rootfs. */
  chainId: string;
  /** Layers applied now (the rest were already unpacked, e.g. a shared base layer). */
  applied: number;
}

/**
 * Unpacks an image's layers into committed snapshots named by chain ID, skipping those that exist
 * (layers shared between images are applied once). The layer blobs must be in the content store.
 */
export async function unpackImage(
  client: ContainerdClient,
  image: { manifest: OciManifest; config: ImageConfig; configDesc: OciDescriptor },
  options: { lease: string; onLayer?: (done: number, total: number) => void },
): Promise<UnpackResult> {
  const { manifest, config } = image;
  const diffIds = config.rootfs?.diff_ids;
  if (!Array.isArray(diffIds) || diffIds.length !== manifest.layers.length) {
    throw new BerthError(
      'INVALID_ARGUMENT',
      `Image config ${image.configDesc.digest} lists ${diffIds?.length ?? 0} diff IDs for ${manifest.layers.length} layers`,
    );
  }
  const chain = chainIds(diffIds);
  const snaps = client.snapshots;
  const call = { lease: options.lease };
  let applied = 0;
  for (let i = 0; i < manifest.layers.length; i++) {
    const layer = manifest.layers[i] as OciDescriptor;
    const id = chain[i] as string;
    if (!isLayer(layer.mediaType)) {
      throw new BerthError('INVALID_ARGUMENT', `Unsupported layer media type ${layer.mediaType} (${layer.digest})`);
    }
    if (!(await snapshotExists(client, id))) {
      const key = `extract-${randomBytes(6).toString('hex')} ${id}`;
      const mounts = await snaps.prepare(key, i === 0 ? '' : (chain[i - 1] as string), {
        ...call,
        labels: { 'containerd.io/snapshot.ref': id },
      });
      try {
        const result = await client.diff.apply(toWireDescriptor(layer), mounts, { ...call, timeoutMs: 0 });
        if (result.digest !== diffIds[i]) {
          throw new BerthError(
            'FAILED_PRECONDITION',
            `Layer ${layer.digest} unpacked to ${result.digest}, but the config says ${diffIds[i]}`,
          );
        }
        await snaps.commit(id, key, call);
        applied++;
      } catch (err) {
        await snaps.remove(key, call).catch(() => undefined);
        // A concurrent unpack of the same layer committed first: its snapshot serves us too.
        if (!isAlreadyExists(err)) throw err;
      }
    }
    await client.content.setLabels(layer.digest, { [UNCOMPRESSED_LABEL]: diffIds[i] as string }, call);
    options.onLayer?.(i + 1, manifest.layers.length);
  }
  const top = chain[chain.length - 1];
  if (top === undefined) throw new BerthError('INVALID_ARGUMENT', `Image config ${image.configDesc.digest} has no layers`);
  await client.content.setLabels(image.configDesc.digest, snapshotGcLabel(client.snapshotter, top), call);
  return { chainId: top, applied };
}

async function snapshotExists(client: ContainerdClient, key: string): Promise<boolean> {
  try {
    await client.snapshots.stat(key);
    return true;
  } catch (err) {
    if (isNotFound(err)) return false;
    throw err;
  }
}
