import type { Platform } from '../containerd/index.js';
import { BerthError } from '../errors/index.js';
import { checkDescriptor, type OciDescriptor, type OciIndex } from './oci-types.js';
import { isIndex, isManifest } from './media-types.js';
import { formatPlatform, platformMatches } from './platform.js';

/** Picks the child manifest of an index that runs on `platform`. */
export function selectManifest(index: OciIndex, options: { platform: Platform; where: string }): { desc: OciDescriptor; position: number } {
  if (!Array.isArray(index.manifests)) {
    throw new BerthError('INVALID_ARGUMENT', `Invalid image index in ${options.where}: no manifests`);
  }
  const candidates = index.manifests.map((m, i) => ({ desc: checkDescriptor(m, options.where), position: i }));
  const match = candidates.find(
    ({ desc }) => (isManifest(desc.mediaType) || isIndex(desc.mediaType)) && platformMatches(options.platform, desc.platform),
  );
  if (!match) {
    const offered = candidates.map(({ desc }) => formatPlatform(desc.platform)).join(', ') || 'none';
    throw new BerthError(
      'NOT_FOUND',
      `No image for platform ${formatPlatform(options.platform)} in ${options.where} (offers: ${offered})`,
    );
  }
  return match;
}

/**
 * Picks the image of an OCI layout's index.json: by reference name when given (the
 * `org.opencontainers.image.ref.name` or `io.containerd.image.name` annotation), the only entry when
 * there is one, else the entry for the platform when entries are per-platform.
 */
export function selectLayoutEntry(
  index: OciIndex,
  options: { ref?: string | undefined; platform: Platform; where: string },
): OciDescriptor {
  if (!index || !Array.isArray(index.manifests) || index.manifests.length === 0) {
    throw new BerthError('INVALID_ARGUMENT', `Invalid OCI layout ${options.where}: index.json lists no images`);
  }
  const entries = index.manifests.map((m) => checkDescriptor(m, `${options.where} index.json`));
  const names = (d: OciDescriptor): string[] =>
    [d.annotations?.['org.opencontainers.image.ref.name'], d.annotations?.['io.containerd.image.name']].filter(
      (n): n is string => typeof n === 'string',
    );
  if (options.ref !== undefined) {
    const found = entries.find((d) => names(d).includes(options.ref as string));
    if (!found) {
      const known = entries.flatMap(names).join(', ') || 'none';
      throw new BerthError('NOT_FOUND', `No image named '${options.ref}' in ${options.where} (has: ${known})`);
    }
    return found;
  }
  const first = entries[0] as OciDescriptor;
  if (entries.length === 1) return first;
  if (entries.every((d) => d.platform)) return selectManifest({ schemaVersion: 2, manifests: entries }, options).desc;
  const known = entries.flatMap(names).join(', ') || `${entries.length} unnamed images`;
  throw new BerthError('INVALID_ARGUMENT', `${options.where} holds several images (${known}); name one with ':<ref>'`);
}
