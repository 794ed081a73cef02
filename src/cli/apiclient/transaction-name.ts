import { closeSync, openSync, readSync } from 'node:fs';

/** Bottlerocket's throwaway transaction names: `apiclient-set-<16 random alphanumerics>`. */
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/**
 * Random bytes from the kernel. Read from /dev/urandom rather than node:crypto, whose loading would
 * add 3–5 ms to every apiclient start that only needs a dozen bytes.
 */
function randomBytes(n: number): Buffer {
  const buf = Buffer.alloc(n);
  const fd = openSync('/dev/urandom', 'r');
  try {
    readSync(fd, buf, 0, n, null);
  } finally {
    closeSync(fd);
  }
  return buf;
}

export function randomTransactionName(prefix: 'apiclient-set' | 'apiclient-apply'): string {
  // 248 is the largest multiple of 62 below 256: bytes past it are dropped so every letter is as likely.
  let suffix = '';
  while (suffix.length < 16) {
    for (const b of randomBytes(32)) if (b < 248 && suffix.length < 16) suffix += ALNUM[b % ALNUM.length];
  }
  return `${prefix}-${suffix}`;
}
