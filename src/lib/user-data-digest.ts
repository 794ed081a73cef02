import { createHash } from 'node:crypto';

/**
 * The digest berth compares stored user data by: the plan hashes the bytes the settings hold, the
 * runtime the file it stored, and both must agree on the algorithm.
 */
export function userDataDigest(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}
