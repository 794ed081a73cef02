import { createHash } from 'node:crypto';

/**
 * Chain IDs of a layer stack (OCI image-spec identity): the first is the first diff ID, each next
 * one is sha256 of "<previous chain ID> <diff ID>". They name the committed snapshots, so images
 * that share a layer prefix share the snapshots.
 */
export function chainIds(diffIds: readonly string[]): string[] {
  const out: string[] = [];
  for (const diff of diffIds) {
    const prev = out[out.length - 1];
    out.push(prev === undefined ? diff : 'sha256:' + createHash('sha256').update(`${prev} ${diff}`).digest('hex'));
  }
  return out;
}
