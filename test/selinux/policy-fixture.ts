import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { compilePolicy, type CompileOptions, type CompiledPolicy } from './policy-build.js';

/**
 * Compiles the policy into a fresh temp dir for one test file; `remove()` deletes it. Tests call
 * it in `before` and `after` hooks.
 */
export async function compileIntoTemp(
  options: CompileOptions = {},
): Promise<CompiledPolicy & { dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'berth-policy-'));
  try {
    const compiled = await compilePolicy(dir, options);
    return { ...compiled, dir, remove: () => rm(dir, { recursive: true, force: true }) };
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
}

/** The classes of file-like objects. */
export const FILE_CLASSES = ['file', 'dir', 'lnk_file', 'chr_file', 'blk_file', 'sock_file', 'fifo_file'];

/** Permissions that change a file-like object or its name. */
export const WRITE_PERMS = [
  'write', 'append', 'create', 'setattr', 'unlink', 'link', 'rename',
  'add_name', 'remove_name', 'reparent', 'rmdir',
];
