import { execFile } from 'node:child_process';
import { mkdir, readFile, rmdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import type { UserDataDocument } from '../datastore/index.js';
import { BerthError } from '../errors/index.js';

const run = promisify(execFile);

/** Where boot user data comes from, in the order it is applied (a later one's value wins). */
export interface UserDataSources {
  /** A cloud-init NoCloud seed: a filesystem labelled CIDATA (or this device or image file) holding `user-data`. */
  nocloud?: string;
  /** A TOML file. */
  file?: string;
}

/** The label cloud-init's NoCloud data source looks for; mount(8) finds it through libblkid, without udev. */
export const NOCLOUD_DEVICE = 'LABEL=CIDATA';

/** A source that is simply not there (no seed attached, no file written) is no user data, not an error. */
async function readFileSource(file: string): Promise<UserDataDocument | undefined> {
  try {
    return { name: `'${file}'`, text: await readFile(file, 'utf8') };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new BerthError('INVALID_ARGUMENT', `Cannot read user data '${file}': ${(err as Error).message}`, { cause: err });
  }
}

/**
 * The `user-data` of a NoCloud seed, mounted read-only at `mountDir` just long enough to read it.
 * An image file is mounted through a loop device. No such filesystem: undefined.
 */
async function readNoCloudSource(device: string, mountDir: string): Promise<UserDataDocument | undefined> {
  const isImage = device.startsWith('/') && (await stat(device).then((s) => s.isFile(), () => false));
  await mkdir(mountDir, { recursive: true, mode: 0o700 });
  try {
    await run('mount', ['-o', isImage ? 'ro,loop' : 'ro', device, mountDir]);
  } catch (err) {
    await rmdir(mountDir).catch(() => undefined);
    const stderr = String((err as { stderr?: unknown }).stderr ?? '');
    if (/can't find|does not exist|No such file/i.test(stderr)) return undefined;
    throw new BerthError('UNAVAILABLE', `Cannot mount the NoCloud seed ${device}: ${stderr.trim() || (err as Error).message}`, { cause: err });
  }
  try {
    const doc = await readFileSource(path.join(mountDir, 'user-data'));
    return doc && { name: `the NoCloud seed (${device})`, text: doc.text };
  } finally {
    await run('umount', [mountDir]).catch(() => undefined);
    await rmdir(mountDir).catch(() => undefined);
  }
}

/** Reads every source that is there; a source that is there but cannot be read throws. */
export async function readUserData(sources: UserDataSources, options: { nocloudMount: string }): Promise<UserDataDocument[]> {
  const docs: Array<UserDataDocument | undefined> = [];
  if (sources.nocloud) docs.push(await readNoCloudSource(sources.nocloud, options.nocloudMount));
  if (sources.file) docs.push(await readFileSource(sources.file));
  return docs.filter((d): d is UserDataDocument => d !== undefined);
}
