import { access, readFile } from 'node:fs/promises';
import path from 'node:path';
import { BerthError } from '../../../src/errors/index.js';
import { repoRoot } from '../policy-build.js';
import type { GuestFile } from './initramfs.js';

/** Where berth is installed in the guest (file-contexts.cil labels its berthd.js runtime_exec_t). */
export const BERTH_GUEST_DIR = '/usr/lib/berth';

interface LockFile {
  packages?: Record<string, { dev?: boolean }>;
}

/**
 * The top-level node_modules entries berth needs at run time: every package package-lock.json
 * does not mark dev-only (nested node_modules come with their parent's directory).
 */
export function runtimePackages(lock: LockFile): string[] {
  return Object.entries(lock.packages ?? {})
    .filter(([key, meta]) => key.startsWith('node_modules/') && !meta.dev)
    .map(([key]) => key)
    .filter((key) => !key.slice('node_modules/'.length).includes('node_modules/'))
    .sort();
}

/** Repository paths berth runs from, each with what builds it when it is missing. */
const REQUIRED: { rel: string; builtBy: string }[] = [
  { rel: 'dist/src/cli/berthd.js', builtBy: 'npm run build' },
  { rel: 'dist/native/berth-logger', builtBy: 'npm run build' },
  { rel: 'dist/native/berth-peercred', builtBy: 'npm run build' },
  { rel: 'dist/native/sheltie', builtBy: 'npm run build' },
  { rel: 'build/images/control.tar', builtBy: 'npm run images' },
  { rel: 'build/images/admin.tar', builtBy: 'npm run images' },
];

/**
 * What the guest needs to run berth as on a host: the compiled sources, the native helpers, the
 * proto files, the runtime npm packages and the control and admin image archives, under
 * /usr/lib/berth. The ~100 MB single-file apiclient is left out (berth starts host containers
 * without it; the checks run apiclient from the guest's host side).
 */
export async function berthPayload(repo = repoRoot()): Promise<GuestFile[]> {
  for (const { rel, builtBy } of REQUIRED) {
    await access(path.join(repo, rel)).catch((err: unknown) => {
      throw new BerthError('FAILED_PRECONDITION', `Cannot put berth in the guest: '${rel}' is missing (run ${builtBy})`, { cause: err });
    });
  }
  const lock = JSON.parse(await readFile(path.join(repo, 'package-lock.json'), 'utf8')) as LockFile;
  const rels = [
    'package.json',
    'proto',
    'dist/src',
    'dist/native',
    'build/images/control.tar',
    'build/images/admin.tar',
    ...runtimePackages(lock),
  ];
  return rels.map((rel) => ({ host: path.join(repo, rel), guest: path.posix.join(BERTH_GUEST_DIR, rel) }));
}
