import { applyLaunchUserData, launchUserDataApplied, type Datastore } from '../datastore/index.js';
import { messageOf } from '../errors/index.js';
import type { Logger } from '../lib/logger.js';
import type { UserDataOutcome } from './boot-report.js';
import type { BerthPaths } from './paths.js';
import { readUserData, type UserDataSources } from './user-data-sources.js';

/**
 * Boot user data on berthd's first start. Invalid user data must not lock the operator out: it is
 * refused whole (nothing half-applied), berthd starts with the settings it had, the error — the
 * document and the line or key at fault — is logged and kept for `apiclient status`, and the next
 * start tries again (until it applies, the operator can fix the settings through the API). Sections
 * of the other parts of a Bottlerocket host are skipped with a warning naming them; the rest applies.
 */
export async function applyBootUserData(options: { datastore: Datastore; sources: UserDataSources; paths: BerthPaths; logger: Logger }): Promise<UserDataOutcome | undefined> {
  const { datastore, paths, logger } = options;
  if (!options.sources.file && !options.sources.nocloud) return undefined;
  if (await launchUserDataApplied(paths.userDataMarker)) return { sources: [], applied: false, changedKeys: [], skipped: [] };
  let sources: string[] = [];
  try {
    const documents = await readUserData(options.sources, { nocloudMount: paths.nocloudMount });
    sources = documents.map((d) => d.name);
    const { applied, changedKeys, skipped } = await applyLaunchUserData({ datastore, documents, marker: paths.userDataMarker });
    if (skipped.length > 0) logger.warn({ sources, skipped }, `boot user data: skipped settings berth does not own: ${skipped.join(', ')}`);
    logger.info({ sources, applied, changed: changedKeys }, 'boot user data');
    return { sources, applied, changedKeys, skipped };
  } catch (err) {
    logger.error({ sources, err: messageOf(err) }, 'boot user data refused: starting with the settings berth had');
    return { sources, applied: false, changedKeys: [], skipped: [], error: messageOf(err) };
  }
}
