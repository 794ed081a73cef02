import { isDeepStrictEqual } from 'node:util';
import { flattenSettings, unflattenSettings } from './settings-keys.js';
import type { JsonValue, Settings } from './settings.js';

/**
 * Effective settings = defaults deep-merged with what users stored: tables merge key by key, leaves
 * (scalars and arrays) replace. Changes are reported per leaf on these effective values, so setting a
 * key to the value it already has, default or not, changes nothing.
 */
export function mergeSettings(base: Settings, overlay: Settings): Settings {
  const leaves = new Map<string, JsonValue>(flattenSettings(base));
  for (const [key, value] of flattenSettings(overlay)) leaves.set(key, value);
  return unflattenSettings(leaves);
}

/** Full dotted keys (`settings.…`) whose leaf differs between `before` and `after`, sorted. */
export function changedKeys(before: Settings, after: Settings): string[] {
  const a = flattenSettings(before);
  const b = flattenSettings(after);
  const changed = new Set<string>();
  for (const [key, value] of a) if (!b.has(key) || !isDeepStrictEqual(b.get(key), value)) changed.add(key);
  for (const key of b.keys()) if (!a.has(key)) changed.add(key);
  return [...changed].sort();
}
