import { BerthError } from '../errors/index.js';
import { describeKey } from './describe-value.js';
import type { JsonValue } from './settings.js';

/**
 * Dotted keys and the settings tree. A full key starts with `settings.`
 * (`settings.host-containers.admin.enabled`); users may leave the prefix out. Leaves are scalars,
 * arrays (`container-registry.mirrors` is one leaf) and the tables of TABLE_LEAF; other plain
 * objects are descended into. Names cannot contain dots, so keys need no quoting.
 */
export const SETTINGS_ROOT = 'settings';

/** Names are [A-Za-z0-9-] and so are the schema's field names; no '_' means no `__proto__` either. */
const KEY_SEGMENT = /^[A-Za-z0-9-]+$/;
const MAX_KEY_LENGTH = 1024;

export type JsonObject = { [key: string]: JsonValue };

/**
 * Settings whose value is a whole table, stored and replaced as one leaf: their keys are names that
 * are not key segments (environment variables have `_`), so they cannot be keys of their own.
 */
const TABLE_LEAF = /^settings\.host-containers\.[^.]+\.environment$/;

function isPlainObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The segments of a key after `settings` (`[]` for `settings` itself); throws on malformed keys. */
export function keySegments(key: string): string[] {
  if (typeof key !== 'string' || key === '') throw new BerthError('INVALID_ARGUMENT', 'Invalid key "": a key must not be empty');
  if (key.length > MAX_KEY_LENGTH) {
    throw new BerthError('INVALID_ARGUMENT', `Invalid key ${describeKey([key])}: longer than ${MAX_KEY_LENGTH} characters`);
  }
  const segments = key.split('.');
  for (const s of segments) {
    if (!KEY_SEGMENT.test(s)) {
      throw new BerthError('INVALID_ARGUMENT', `Invalid key ${describeKey([key])}: segments must be non-empty runs of A-Z, a-z, 0-9 and '-'`);
    }
  }
  return segments[0] === SETTINGS_ROOT ? segments.slice(1) : segments;
}

/** `host-containers.admin` → `settings.host-containers.admin`; full keys are returned unchanged. */
export function toFullKey(key: string): string {
  return [SETTINGS_ROOT, ...keySegments(key)].join('.');
}

/** True when `key` is `parent` or below it (`settings.a.b` is under `settings.a`, not under `settings.ab`). */
export function isUnderKey(key: string, parent: string): boolean {
  return key === parent || key.startsWith(parent + '.');
}

/** Every leaf of `tree` as `full key → value`, in tree order. */
export function flattenSettings(tree: object, prefix = SETTINGS_ROOT): Map<string, JsonValue> {
  const out = new Map<string, JsonValue>();
  const walk = (node: JsonObject, at: string): void => {
    for (const [k, v] of Object.entries(node)) {
      const key = `${at}.${k}`;
      if (isPlainObject(v) && !TABLE_LEAF.test(key)) walk(v, key);
      else out.set(key, v);
    }
  };
  walk(tree as JsonObject, prefix);
  return out;
}

/** Builds the tree (without the `settings` level) from `full key → value` pairs. */
export function unflattenSettings(entries: Iterable<[string, JsonValue]>): JsonObject {
  const root: JsonObject = {};
  for (const [key, value] of entries) {
    const segments = keySegments(key);
    if (segments.length === 0) throw new BerthError('INVALID_ARGUMENT', `Invalid key '${key}': expected a key below 'settings'`);
    let node = root;
    for (const [i, s] of segments.entries()) {
      if (i === segments.length - 1) {
        if (Object.hasOwn(node, s) && isPlainObject(node[s])) throw conflict(key);
        node[s] = value;
        break;
      }
      const next = Object.hasOwn(node, s) ? node[s] : undefined;
      if (next === undefined) node = node[s] = {};
      else if (isPlainObject(next)) node = next;
      else throw conflict(key);
    }
  }
  return root;
}

function conflict(key: string): BerthError {
  return new BerthError('INVALID_ARGUMENT', `Conflicting keys: '${key}' is both a value and a table`);
}

/** Freezes `value` and every object and array inside it, in place; returns `value`. */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
