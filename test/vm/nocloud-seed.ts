import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * A cloud-init NoCloud seed, the way a VM or bare metal gets its user data: a small FAT filesystem
 * labelled CIDATA holding `user-data` (berth's TOML) and `meta-data`. Made with dosfstools and
 * mtools, no mount needed.
 */
export async function makeNoCloudSeed(image: string, userData: string): Promise<string> {
  const dir = await mkdtemp(path.join(path.dirname(image), 'seed-'));
  try {
    await writeFile(path.join(dir, 'user-data'), userData);
    await writeFile(path.join(dir, 'meta-data'), 'instance-id: berth-vm\nlocal-hostname: berth-vm\n');
    await rm(image, { force: true });
    await run('mkfs.vfat', ['-C', '-n', 'CIDATA', image, '2048']);
    await run('mcopy', ['-i', image, path.join(dir, 'user-data'), path.join(dir, 'meta-data'), '::/']);
    return image;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
