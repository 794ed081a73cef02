import { open, rename, rm } from 'node:fs/promises';
import path from 'node:path';

/**
 * Replaces `file` so that a crash at any instant leaves either the old or the new content, never a
 * mix: write a temporary file in the same directory, fsync it, rename it over `file`, then fsync the
 * directory so the rename itself is on disk. The temporary name is `<file>.tmp`; a stale one left by
 * a crash is simply overwritten by the next write (one writer per file is assumed).
 */
export function tempPathOf(file: string): string {
  return `${file}.tmp`;
}

export async function fsyncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export interface AtomicWriteOptions {
  /** File mode of the new file. Optional, default 0o600. */
  mode?: number;
}

export async function writeFileAtomic(file: string, data: string | Uint8Array, { mode = 0o600 }: AtomicWriteOptions = {}): Promise<void> {
  const temp = tempPathOf(file);
  const handle = await open(temp, 'w', mode);
  try {
    await handle.writeFile(data);
    await handle.chmod(mode);
    await handle.sync();
  } catch (err) {
    await handle.close();
    await rm(temp, { force: true });
    throw err;
  }
  await handle.close();
  await rename(temp, file);
  await fsyncDir(path.dirname(file));
}
