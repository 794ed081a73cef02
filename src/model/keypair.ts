import { BerthError } from '../errors/index.js';
import { describeValue } from './describe-value.js';
import { knownFullKey } from './settings-schema.js';
import { unflattenSettings, type JsonObject } from './settings-keys.js';

/**
 * `PATCH /settings/keypair` input, Bottlerocket's `apiclient set KEY=VALUE` form: the key before the
 * first `=`, `settings.` optional; the value typed as a boolean, then a number, then a string. To get
 * the string "true" or "42", use the JSON form (`set --json`).
 */
const JSON_NUMBER = /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?$/;

export function typeKeypairValue(text: string): boolean | number | string {
  if (text === 'true') return true;
  if (text === 'false') return false;
  if (JSON_NUMBER.test(text)) {
    const n = Number(text);
    if (Number.isFinite(n)) return n;
  }
  return text;
}

/** Splits `a.b=c` into its full key and typed value; the key must name a setting. */
export function parseKeypair(pair: string): { key: string; value: boolean | number | string } {
  if (typeof pair !== 'string') throw new BerthError('INVALID_ARGUMENT', `Invalid key=value pair ${describeValue(pair)}: expected a string`);
  const eq = pair.indexOf('=');
  if (eq === -1) throw new BerthError('INVALID_ARGUMENT', `Invalid key=value pair ${describeValue(pair)}: expected KEY=VALUE`);
  return { key: knownFullKey(pair.slice(0, eq)), value: typeKeypairValue(pair.slice(eq + 1)) };
}

/** Turns `["a.b=c", …]` into the settings tree a JSON PATCH would carry (not yet validated). */
export function keypairsToTree(pairs: readonly string[]): JsonObject {
  const seen = new Set<string>();
  const leaves = pairs.map((p) => {
    const { key, value } = parseKeypair(p);
    if (seen.has(key)) throw new BerthError('INVALID_ARGUMENT', `Key '${key}' is given more than once`);
    seen.add(key);
    return [key, value] as [string, boolean | number | string];
  });
  return unflattenSettings(leaves);
}
