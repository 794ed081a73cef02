import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** A short unique root under /tmp (Unix socket paths must stay under 108 bytes). */
export async function makeTempRoot(prefix = 'bt'): Promise<string> {
  return mkdtemp(path.join(tmpdir(), `${prefix}-`));
}

/** Kills every process whose argv mentions `root` (shims, containerd, stray tasks). */
export function killProcessesUnder(root: string): void {
  try {
    execFileSync('pkill', ['-KILL', '-f', root], { stdio: 'ignore' });
  } catch {
    /* none left */
  }
}

/** Unmounts everything below `root` (deepest first), then removes the tree. */
export async function removeTempRoot(root: string): Promise<void> {
  killProcessesUnder(root);
  const mountinfo = await readFile('/proc/self/mountinfo', 'utf8');
  const mounts = mountinfo
    .split('\n')
    .map((l) => l.split(' ')[4])
    .filter((m): m is string => !!m && (m === root || m.startsWith(root + '/')))
    .sort((a, b) => b.length - a.length);
  for (const m of mounts) {
    try {
      execFileSync('umount', ['-l', m], { stdio: 'ignore' });
    } catch {
      /* already gone */
    }
  }
  await rm(root, { recursive: true, force: true, maxRetries: 3 });
}
