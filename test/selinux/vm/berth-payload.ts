import { access } from 'node:fs/promises';
import path from 'node:path';
import { BerthError } from '../../../src/errors/index.js';
import { repoRoot } from '../policy-build.js';
import type { GuestFile } from './initramfs.js';

/** Where berth is put in the guest (file-contexts.cil labels its dist/bin/berthd runtime_exec_t). */
export const BERTH_GUEST_DIR = '/usr/lib/berth';

/** What berth runs from, each with what builds it when it is missing. */
const PAYLOAD: { rel: string; builtBy: string }[] = [
  { rel: 'dist/berth', builtBy: 'npm run build' },
  { rel: 'dist/bin/berthd', builtBy: 'npm run build' },
  { rel: 'dist/bin/apiclient', builtBy: 'npm run build' },
  { rel: 'dist/native/berth-logger', builtBy: 'npm run build' },
  { rel: 'dist/native/berth-peercred', builtBy: 'npm run build' },
  { rel: 'dist/native/sheltie', builtBy: 'npm run build' },
  { rel: 'build/images/control.tar', builtBy: 'npm run images' },
  { rel: 'build/images/admin.tar', builtBy: 'npm run images' },
];

/**
 * What the guest needs to run berth as on a host, in the clone's layout under /usr/lib/berth: the
 * single executable and its berthd and apiclient, the native helpers and the control and admin
 * image archives. No Node and no node_modules: the executable carries its own.
 */
export async function berthPayload(repo = repoRoot()): Promise<GuestFile[]> {
  for (const { rel, builtBy } of PAYLOAD) {
    await access(path.join(repo, rel)).catch((err: unknown) => {
      throw new BerthError('FAILED_PRECONDITION', `Cannot put berth in the guest: '${rel}' is missing (run ${builtBy})`, { cause: err });
    });
  }
  return PAYLOAD.map(({ rel }) => ({ host: path.join(repo, rel), guest: path.posix.join(BERTH_GUEST_DIR, rel) }));
}
