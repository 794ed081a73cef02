import { access, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { BerthError } from '../errors/index.js';
import { parseSettingsDocument, validateSettingsPatch, withoutOtherBottlerocketSections, type JsonObject } from '../model/index.js';
import { writeFileAtomic } from './atomic-write.js';
import type { Datastore } from './datastore.js';

/**
 * Boot user data: TOML documents in Bottlerocket's user-data format (a top-level `[settings]`
 * table) applied once, on first start, together as transaction `berth-launch`. A marker file
 * records that they were applied, so later starts leave settings alone. Either every document is
 * valid and all are committed, or nothing is: invalid TOML or settings throw INVALID_ARGUMENT naming
 * the document and the line or key, with no commit and no marker (the next start tries again). A
 * crash after the commit and before the marker re-applies the same values, which changes nothing.
 * Sections of the other parts of a Bottlerocket host (`[settings.kubernetes]`, …) are left out and
 * reported, so a file written for Bottlerocket still brings up its host containers.
 */
export const LAUNCH_TRANSACTION = 'berth-launch';

export interface UserDataDocument {
  /** Where it came from, as messages name it (`'/etc/berth/user-data.toml'`, `the NoCloud seed`). */
  name: string;
  text: string;
}

export interface LaunchUserDataOptions {
  datastore: Datastore;
  /** Applied in order: a later document's value wins. */
  documents: readonly UserDataDocument[];
  /** The applied-once marker file. Required. */
  marker: string;
}

export interface LaunchUserDataResult {
  /** False when an earlier start already applied user data. */
  applied: boolean;
  /** Keys whose effective value changed. */
  changedKeys: string[];
  /** Top-level sections of other parts of a Bottlerocket host that were left out, each named once. */
  skipped: string[];
}

/** Whether boot user data was applied by an earlier start. */
export async function launchUserDataApplied(marker: string): Promise<boolean> {
  return access(marker).then(
    () => true,
    () => false,
  );
}

function parse(doc: UserDataDocument): { owned: JsonObject; skipped: string[] } {
  const { owned, skipped } = withoutOtherBottlerocketSections(parseSettingsDocument(doc.text, { name: doc.name, format: 'toml' }));
  try {
    validateSettingsPatch(owned);
  } catch (err) {
    throw new BerthError('INVALID_ARGUMENT', `Invalid user data in ${doc.name}: ${(err as Error).message}`, { cause: err });
  }
  return { owned, skipped };
}

export async function applyLaunchUserData({ datastore, documents, marker }: LaunchUserDataOptions): Promise<LaunchUserDataResult> {
  if (await launchUserDataApplied(marker)) return { applied: false, changedKeys: [], skipped: [] };
  // Every document is checked before any is patched in: nothing is half-applied.
  const parsed = documents.map(parse);
  const patches = parsed.map((p) => p.owned);
  const skipped = [...new Set(parsed.flatMap((p) => p.skipped))];
  await datastore.dropTransaction(LAUNCH_TRANSACTION);
  let changedKeys: string[] = [];
  try {
    for (const settings of patches) await datastore.patch(LAUNCH_TRANSACTION, settings);
    if (datastore.listTransactions().includes(LAUNCH_TRANSACTION)) changedKeys = await datastore.commit(LAUNCH_TRANSACTION);
  } catch (err) {
    await datastore.dropTransaction(LAUNCH_TRANSACTION);
    throw err;
  }
  await mkdir(path.dirname(marker), { recursive: true, mode: 0o700 });
  await writeFileAtomic(marker, documents.map((d) => `${d.name}\n`).join(''), { mode: 0o600 });
  return { applied: true, changedKeys, skipped };
}
