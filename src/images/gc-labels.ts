import type { OciIndex, OciManifest } from './oci-types.js';

/**
 * containerd's garbage collector follows labels from parent blobs to children. The image record
 * points at the top blob; these labels keep everything below it alive.
 */
export function manifestGcLabels(manifest: OciManifest): Record<string, string> {
  const labels: Record<string, string> = { 'containerd.io/gc.ref.content.config': manifest.config.digest };
  manifest.layers.forEach((layer, i) => {
    labels[`containerd.io/gc.ref.content.l.${i}`] = layer.digest;
  });
  return labels;
}

/** Only the children that were actually fetched are referenced (one platform of a multi-platform index). */
export function indexGcLabels(index: OciIndex, fetchedPositions: readonly number[]): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const i of fetchedPositions) {
    const child = index.manifests[i];
    if (child) labels[`containerd.io/gc.ref.content.m.${i}`] = child.digest;
  }
  return labels;
}

/** Keeps the unpacked snapshot chain alive through the config blob. */
export function snapshotGcLabel(snapshotter: string, topChainId: string): Record<string, string> {
  return { [`containerd.io/gc.ref.snapshot.${snapshotter}`]: topChainId };
}

export const UNCOMPRESSED_LABEL = 'containerd.io/uncompressed';
