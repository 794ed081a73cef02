import type { ContainerdClient, Platform } from '../containerd/index.js';
import { isNotFound } from '../errors/index.js';
import type { ImageResult } from './import.js';
import { fromWireDescriptor } from './oci-types.js';
import { resolveStoredImage } from './resolve-stored.js';
import { unpackImage } from './unpack.js';

/**
 * The image already stored under `name`, unpacked if its snapshots are gone; undefined when there is
 * no such image, `accept` refuses its record (e.g. an archive that changed since), or its content is
 * incomplete. Used when a registry cannot be reached and to skip re-importing an unchanged archive.
 */
export async function storedImage(
  client: ContainerdClient,
  name: string,
  options: { platform: Platform; accept?: (labels: Record<string, string>) => boolean },
): Promise<ImageResult | undefined> {
  let record;
  try {
    record = await client.images.get(name);
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
  if (options.accept && !options.accept(record.labels)) return undefined;
  const lease = await client.leases.create({ expireAfterMs: 600_000 });
  try {
    const target = fromWireDescriptor(record.target);
    const image = await resolveStoredImage(client, target, { platform: options.platform, lease: lease.id, where: name });
    const unpacked = await unpackImage(client, image, { lease: lease.id });
    return {
      name,
      target,
      manifestDigest: image.manifestDesc.digest,
      configDigest: image.configDesc.digest,
      chainId: unpacked.chainId,
      layersApplied: unpacked.applied,
      image,
    };
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  } finally {
    await client.leases.delete(lease.id).catch(() => undefined);
  }
}
