import { isUnderKey, unflattenSettings, type JsonObject, type JsonValue, type SettingsChange } from '../model/index.js';

/**
 * Pure operations on the changes a pending transaction collects (`set` leaves and `unset` keys, as
 * validated by the model). Invariant kept by mergeChange(): no `set` key lies under an `unset` key
 * that came later, so applying every unset first and then every set replays the patches in order.
 */

export function emptyChange(): SettingsChange {
  return { set: new Map(), unset: [] };
}

export function isEmptyChange(change: SettingsChange): boolean {
  return change.set.size === 0 && change.unset.length === 0;
}

/** A new change holding `pending` followed by `next`; neither input is modified. */
export function mergeChange(pending: SettingsChange, next: SettingsChange): SettingsChange {
  const set = new Map(pending.set);
  let unset = [...pending.unset];
  for (const u of next.unset) {
    for (const key of [...set.keys()]) if (isUnderKey(key, u)) set.delete(key);
    unset = unset.filter((k) => !isUnderKey(k, u));
    unset.push(u);
  }
  for (const [key, value] of next.set) {
    unset = unset.filter((k) => k !== key);
    set.set(key, value);
  }
  return { set, unset };
}

/** The stored leaves after `change`: its unsets remove, then its sets write. `stored` is not modified. */
export function applyChange(stored: ReadonlyMap<string, JsonValue>, change: SettingsChange): Map<string, JsonValue> {
  const out = new Map(stored);
  for (const u of change.unset) for (const key of [...out.keys()]) if (isUnderKey(key, u)) out.delete(key);
  for (const [key, value] of change.set) out.set(key, value);
  return out;
}

/** Every key the change touches, sorted (what `DELETE /tx` reports). */
export function changeKeys(change: SettingsChange): string[] {
  return [...new Set([...change.set.keys(), ...change.unset])].sort();
}

/**
 * The change as a settings tree, the shape `GET /tx` returns: set leaves as values, unset keys as
 * `null` (an unset key with later sets below it shows those sets).
 */
export function changeToTree(change: SettingsChange): JsonObject {
  const tree = unflattenSettings(change.set);
  for (const u of change.unset) {
    const segments = u.split('.').slice(1);
    let node: JsonObject = tree;
    for (const [i, s] of segments.entries()) {
      if (i === segments.length - 1) {
        if (!Object.hasOwn(node, s)) node[s] = null;
        break;
      }
      const next = Object.hasOwn(node, s) ? node[s] : undefined;
      if (next === null) break;
      if (next === undefined) node = node[s] = {};
      else node = next as JsonObject;
    }
  }
  return tree;
}
