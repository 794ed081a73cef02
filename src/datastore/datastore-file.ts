import { BerthError } from '../errors/index.js';
import {
  flattenSettings,
  keySegments,
  resolveSchemaPath,
  toFullKey,
  unflattenSettings,
  validateSettings,
  validateSettingsPatch,
  type JsonValue,
  type SettingsChange,
} from '../model/index.js';
import { checkTransactionName } from './transaction-name.js';

/**
 * The datastore's one file, `<dir>/datastore.json`. Everything — live settings and every pending
 * transaction — is in this file, so each change is one atomic replace (./atomic-write.ts) and no
 * crash can leave live and pending out of step:
 *
 *     {
 *       "format": "berth-datastore", "version": 1,
 *       "generation": 12,                       // number of commits so far
 *       "live": { "host-containers": { "admin": { "enabled": true } } },   // what users set, no defaults
 *       "pending": {
 *         "default": { "set": { …settings tree… }, "unset": ["settings.host-containers.old"] }
 *       }
 *     }
 */
export const DATASTORE_FILE = 'datastore.json';
const FORMAT = 'berth-datastore';
const VERSION = 1;

export interface DatastoreState {
  /** Number of commits so far; 0 for a new datastore. */
  generation: number;
  /** What users set, as full key → value (no defaults). */
  stored: ReadonlyMap<string, JsonValue>;
  /** Pending transactions by name. */
  pending: ReadonlyMap<string, SettingsChange>;
}

export function emptyState(): DatastoreState {
  return { generation: 0, stored: new Map(), pending: new Map() };
}

export function serializeState(state: DatastoreState): string {
  const pending: Record<string, unknown> = {};
  for (const [name, change] of state.pending) {
    pending[name] = { set: unflattenSettings(change.set), unset: change.unset };
  }
  return `${JSON.stringify({ format: FORMAT, version: VERSION, generation: state.generation, live: unflattenSettings(state.stored), pending }, null, 1)}\n`;
}

function isTable(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parsePending(name: string, value: unknown): SettingsChange {
  checkTransactionName(name);
  if (!isTable(value) || !Array.isArray(value.unset)) throw new Error(`pending transaction '${name}' is not {set, unset}`);
  const change = validateSettingsPatch(value.set ?? {});
  if (change.unset.length > 0) throw new Error(`pending transaction '${name}' has nulls in 'set'`);
  for (const key of value.unset) {
    if (typeof key !== 'string') throw new Error(`pending transaction '${name}' has a non-string unset key`);
    resolveSchemaPath(keySegments(key));
    change.unset.push(toFullKey(key));
  }
  return change;
}

/** Reads the file's text back into a state; throws FAILED_PRECONDITION naming the file and the problem. */
export function parseState(text: string, { file }: { file: string }): DatastoreState {
  try {
    const doc: unknown = JSON.parse(text);
    if (!isTable(doc) || doc.format !== FORMAT) throw new Error(`not a ${FORMAT} file`);
    if (doc.version !== VERSION) throw new Error(`version ${JSON.stringify(doc.version)} is not supported (expected ${VERSION})`);
    if (!Number.isSafeInteger(doc.generation) || (doc.generation as number) < 0) throw new Error('generation is not a count');
    const stored = flattenSettings(validateSettings(doc.live));
    if (!isTable(doc.pending)) throw new Error("'pending' is not a table");
    const pending = new Map<string, SettingsChange>();
    for (const [name, value] of Object.entries(doc.pending)) pending.set(name, parsePending(name, value));
    return { generation: doc.generation as number, stored, pending };
  } catch (err) {
    throw new BerthError('FAILED_PRECONDITION', `Datastore file '${file}' cannot be loaded: ${(err as Error).message}`, { cause: err });
  }
}
