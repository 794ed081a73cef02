import { createHash } from 'node:crypto';
import type { ContainerKind } from '../reconciler/types.js';

/** containerd's identifier rule (identifiers/validate.go). */
const IDENTIFIER = /^[A-Za-z0-9]+(?:[._-][A-Za-z0-9]+)*$/;

/**
 * The containerd id of a host or bootstrap container. It is the setting name (or `boot.<name>`,
 * Bottlerocket's ids, so `apiclient exec boot.x` habits carry over) whenever that is a valid
 * containerd identifier; names containerd would refuse ("a--b", "-x") get a stable hashed id, and
 * the name travels in a label.
 */
export function containerIdOf(name: string, kind: ContainerKind): string {
  const id = kind === 'host' ? name : `boot.${name}`;
  if (IDENTIFIER.test(id) && id.length <= 76) return id;
  return `${kind === 'host' ? 'hc' : 'boot'}-${createHash('sha256').update(name).digest('hex').slice(0, 16)}`;
}

/** Labels berth puts on every container it creates (reserved prefix `berth.io/`). */
export const LABELS = {
  managed: 'berth.io/managed',
  name: 'berth.io/name',
  hash: 'berth.io/hash',
  imageDigest: 'berth.io/image-digest',
  source: 'berth.io/source',
  superpowered: 'berth.io/superpowered',
} as const;
