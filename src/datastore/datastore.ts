import { mkdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { BerthError } from '../errors/index.js';
import type { Logger } from '../lib/logger.js';
import {
  changedKeys,
  deepFreeze,
  flattenSettings,
  isUnderKey,
  knownFullKey,
  mergeSettings,
  unflattenSettings,
  validateSettings,
  validateSettingsPatch,
  type JsonObject,
  type JsonValue,
  type Settings,
} from '../model/index.js';
import { tempPathOf, writeFileAtomic } from './atomic-write.js';
import { DATASTORE_FILE, emptyState, parseState, serializeState, type DatastoreState } from './datastore-file.js';
import { applyChange, changeKeys, changeToTree, emptyChange, isEmptyChange, mergeChange } from './pending-change.js';
import { checkTransactionName } from './transaction-name.js';

/**
 * Live settings plus named pending transactions, kept in one file (format in ./datastore-file.ts)
 * that is replaced atomically on every change. Users' settings are stored without the defaults;
 * every read returns the effective settings (defaults deep-merged with what users set). Mutations
 * run one at a time; reads come from memory and see a state only once it is on disk, so they never
 * see a half-applied commit. Bad input throws before anything is queued and changes nothing.
 */
export type SettingsListener = (changedKeys: string[], live: Settings) => void;

export interface DatastoreOpenOptions {
  /** Directory of the datastore file; created (mode 0700) if missing. Required. */
  dir: string;
  /** The built-in defaults (model's defaultSettings()). Required; never stored. */
  defaults: Settings;
  /** Where listener failures are reported. Optional. */
  logger?: Pick<Logger, 'error'>;
  /** Most pending transactions kept at once; a patch opening one more gets CONFLICT. Default 64. */
  maxPendingTransactions?: number;
}

function effectiveOf(defaults: Settings, stored: ReadonlyMap<string, JsonValue>): Settings {
  return mergeSettings(defaults, unflattenSettings(stored));
}

export class Datastore {
  readonly #file: string;
  readonly #defaults: Settings;
  readonly #logger: Pick<Logger, 'error'> | undefined;
  readonly #maxPending: number;
  readonly #listeners = new Set<SettingsListener>();
  #state: DatastoreState;
  #live: Settings;
  #queue: Promise<unknown> = Promise.resolve();

  private constructor(file: string, state: DatastoreState, options: DatastoreOpenOptions) {
    this.#file = file;
    this.#defaults = deepFreeze(validateSettings(options.defaults));
    this.#logger = options.logger;
    this.#maxPending = options.maxPendingTransactions ?? 64;
    this.#state = state;
    this.#live = deepFreeze(validateSettings(effectiveOf(this.#defaults, state.stored)));
  }

  static async open(options: DatastoreOpenOptions): Promise<Datastore> {
    await mkdir(options.dir, { recursive: true, mode: 0o700 });
    const file = path.join(options.dir, DATASTORE_FILE);
    await rm(tempPathOf(file), { force: true });
    let state = emptyState();
    try {
      state = parseState(await readFile(file, 'utf8'), { file });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    return new Datastore(file, state, options);
  }

  /** Number of commits so far. */
  get generation(): number {
    return this.#state.generation;
  }

  /** The effective live settings (deep-frozen). */
  live(): Settings {
    return this.#live;
  }

  /** Only what users set, without defaults. */
  stored(): Settings {
    return unflattenSettings(this.#state.stored);
  }

  /** Effective settings at or below each key (`settings.` optional); unknown keys are INVALID_ARGUMENT. */
  getByKeys(keys: readonly string[]): Settings {
    const wanted = keys.map(knownFullKey);
    return this.#select((leaf) => wanted.some((w) => isUnderKey(leaf, w)));
  }

  /** Effective settings whose full key starts with `prefix` (`settings.` added when it does not start with `settings`). */
  getByPrefix(prefix: string): Settings {
    if (typeof prefix !== 'string' || prefix === '') throw new BerthError('INVALID_ARGUMENT', 'The prefix must not be empty');
    const full = prefix.startsWith('settings') ? prefix : `settings.${prefix}`;
    return this.#select((leaf) => leaf.startsWith(full));
  }

  #select(keep: (key: string) => boolean): Settings {
    const leaves = [...flattenSettings(this.#live)].filter(([key]) => keep(key));
    return unflattenSettings(leaves);
  }

  /** Names of the pending transactions, sorted. */
  listTransactions(): string[] {
    return [...this.#state.pending.keys()].sort();
  }

  /** The pending change of `tx` as a settings tree (unset keys as null); `{}` when there is none. */
  transaction(tx: string): JsonObject {
    const change = this.#state.pending.get(checkTransactionName(tx));
    return change === undefined ? {} : changeToTree(change);
  }

  /** Adds a validated PATCH body (a partial settings tree; null resets) to transaction `tx`. */
  async patch(tx: string, input: unknown): Promise<void> {
    checkTransactionName(tx);
    const change = validateSettingsPatch(input);
    if (isEmptyChange(change)) return;
    await this.#mutate((state) => {
      const existing = state.pending.get(tx);
      if (existing === undefined && state.pending.size >= this.#maxPending) {
        throw new BerthError('CONFLICT', `Too many pending transactions (${this.#maxPending}); commit or delete some first`);
      }
      const pending = new Map(state.pending).set(tx, mergeChange(existing ?? emptyChange(), change));
      return { next: { ...state, pending }, result: undefined };
    });
  }

  /** Drops transaction `tx`; returns the keys it held (empty when there was none). */
  async dropTransaction(tx: string): Promise<string[]> {
    checkTransactionName(tx);
    return this.#mutate((state) => {
      const change = state.pending.get(tx);
      if (change === undefined) return { next: null, result: [] };
      const pending = new Map(state.pending);
      pending.delete(tx);
      return { next: { ...state, pending }, result: changeKeys(change) };
    });
  }

  /**
   * Makes transaction `tx` live in one atomic step and tells subscribers. Returns the keys whose
   * effective value changed (possibly none). FAILED_PRECONDITION when `tx` holds nothing;
   * INVALID_ARGUMENT (and nothing changes) when the result would not validate.
   */
  async commit(tx: string): Promise<string[]> {
    checkTransactionName(tx);
    return this.#mutate((state) => {
      const change = state.pending.get(tx);
      if (change === undefined || isEmptyChange(change)) {
        throw new BerthError('FAILED_PRECONDITION', `Transaction '${tx}' has no pending changes to commit`);
      }
      const stored = applyChange(state.stored, change);
      const live = validateSettings(effectiveOf(this.#defaults, stored));
      const changed = changedKeys(this.#live, live);
      const pending = new Map(state.pending);
      pending.delete(tx);
      return {
        next: { generation: state.generation + 1, stored, pending },
        result: changed,
        after: () => {
          this.#live = deepFreeze(live);
          if (changed.length > 0) this.#notify(changed);
        },
      };
    });
  }

  /** Tells subscribers about `keys` without a change (POST /tx/apply); all keys when none are given. */
  announce(keys?: readonly string[]): string[] {
    const list = keys === undefined ? [...flattenSettings(this.#live).keys()] : keys.map(knownFullKey);
    this.#notify(list);
    return list;
  }

  /** Calls `listener` after every commit that changed something and on announce(); returns an unsubscribe function. */
  subscribe(listener: SettingsListener): () => void {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  #notify(keys: string[]): void {
    for (const listener of this.#listeners) {
      try {
        listener([...keys], this.#live);
      } catch (err) {
        this.#logger?.error({ err, keys }, 'settings listener failed');
      }
    }
  }

  /** Runs `step` after every earlier mutation; writes its next state (if any) before publishing it. */
  #mutate<T>(step: (state: DatastoreState) => { next: DatastoreState | null; result: T; after?: () => void }): Promise<T> {
    const run = async (): Promise<T> => {
      const { next, result, after } = step(this.#state);
      if (next !== null) {
        try {
          await writeFileAtomic(this.#file, serializeState(next));
        } catch (err) {
          throw new BerthError('INTERNAL', `Cannot write the datastore file '${this.#file}': ${(err as Error).message}`, { cause: err });
        }
        this.#state = next;
      }
      after?.();
      return result;
    };
    const done = this.#queue.then(run, run);
    this.#queue = done.catch(() => undefined);
    return done;
  }
}
