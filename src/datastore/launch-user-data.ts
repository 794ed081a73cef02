import { access, mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { BerthError } from '../errors/index.js';
import { parseSettingsDocument, validateSettingsPatch } from '../model/index.js';
import { writeFileAtomic } from './atomic-write.js';
import type { Datastore } from './datastore.js';

/**
 * Boot user data (`berthd run --user-data FILE`): a TOML file in Bottlerocket's user-data format
 * (a top-level `[settings]` table) applied once, on first start, as transaction `berth-launch`.
 * A marker file in `markerDir` records that it was applied, so later starts leave settings alone.
 * Invalid TOML or settings throw INVALID_ARGUMENT naming the line or key; nothing is committed and
 * no marker is written. A crash after the commit and before the marker re-applies the same values
 * on the next start, which changes nothing.
 */
export const LAUNCH_TRANSACTION = 'berth-launch';
export const LAUNCH_MARKER = 'launch-user-data.applied';

export interface LaunchUserDataOptions {
  datastore: Datastore;
  /** The TOML file. Required. */
  file: string;
  /** Where the applied-once marker lives (berth's data dir). Required. */
  markerDir: string;
}

export interface LaunchUserDataResult {
  /** False when an earlier start already applied user data. */
  applied: boolean;
  /** Keys whose effective value changed. */
  changedKeys: string[];
}

async function exists(file: string): Promise<boolean> {
  try {
    await access(file);
    return true;
  } catch {
    return false;
  }
}

export async function applyLaunchUserData({ datastore, file, markerDir }: LaunchUserDataOptions): Promise<LaunchUserDataResult> {
  const marker = path.join(markerDir, LAUNCH_MARKER);
  if (await exists(marker)) return { applied: false, changedKeys: [] };
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new BerthError(code === 'ENOENT' ? 'NOT_FOUND' : 'INVALID_ARGUMENT', `Cannot read user data '${file}': ${(err as Error).message}`, { cause: err });
  }
  const name = `'${file}'`;
  const settings = parseSettingsDocument(text, { name, format: 'toml' });
  try {
    validateSettingsPatch(settings);
  } catch (err) {
    throw new BerthError('INVALID_ARGUMENT', `Invalid user data in ${name}: ${(err as Error).message}`, { cause: err });
  }
  await datastore.dropTransaction(LAUNCH_TRANSACTION);
  await datastore.patch(LAUNCH_TRANSACTION, settings);
  let changedKeys: string[] = [];
  if (datastore.listTransactions().includes(LAUNCH_TRANSACTION)) {
    try {
      changedKeys = await datastore.commit(LAUNCH_TRANSACTION);
    } catch (err) {
      await datastore.dropTransaction(LAUNCH_TRANSACTION);
      throw err;
    }
  }
  await mkdir(markerDir, { recursive: true, mode: 0o700 });
  await writeFileAtomic(marker, `${file}\n`, { mode: 0o600 });
  return { applied: true, changedKeys };
}
