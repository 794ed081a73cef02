import { randomInt } from 'node:crypto';

/** Bottlerocket's throwaway transaction names: `apiclient-set-<16 random alphanumerics>`. */
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

export function randomTransactionName(prefix: 'apiclient-set' | 'apiclient-apply'): string {
  let suffix = '';
  for (let i = 0; i < 16; i++) suffix += ALNUM[randomInt(ALNUM.length)];
  return `${prefix}-${suffix}`;
}
