import { BerthError } from '../errors/index.js';
import { decodeBase64 } from './base64.js';
import { describeKey, describeValue } from './describe-value.js';
import { parseImageReference } from './image-reference.js';
import { parseRfc3339 } from './rfc3339.js';
import { BOOTSTRAP_MODES, USER_DATA_MAX_BYTES, type JsonValue } from './settings.js';

/** Checks one setting's value; returns it as stored. `key` is the path below `settings`. */
export type FieldValidator = (value: unknown, key: readonly string[]) => JsonValue;

/** The one error shape of every rejected setting: "Invalid setting 'a.b': reason". */
export function invalidSetting(key: readonly string[], reason: string): BerthError {
  return new BerthError('INVALID_ARGUMENT', `Invalid setting ${describeKey(key)}: ${reason}`, {
    details: { key: key.join('.') },
  });
}

export function expectString(value: unknown, key: readonly string[], what = 'a string'): string {
  if (typeof value !== 'string') throw invalidSetting(key, `expected ${what}, got ${describeValue(value)}`);
  return value;
}

export const validateBoolean: FieldValidator = (value, key) => {
  if (typeof value !== 'boolean') throw invalidSetting(key, `expected a boolean, got ${describeValue(value)}`);
  return value;
};

export const validateImageSource: FieldValidator = (value, key) => {
  const text = expectString(value, key, 'an image reference string');
  try {
    parseImageReference(text);
  } catch (err) {
    const message = (err as Error).message;
    throw invalidSetting(key, message.charAt(0).toLowerCase() + message.slice(1));
  }
  return text;
};

export const validateUserData: FieldValidator = (value, key) => {
  const text = expectString(value, key, 'a base64 string');
  const decoded = decodeBase64(text);
  if (!decoded.ok) throw invalidSetting(key, `not valid base64: ${decoded.reason}`);
  if (decoded.bytes.length > USER_DATA_MAX_BYTES) {
    throw invalidSetting(key, `decoded size ${decoded.bytes.length} bytes exceeds the limit of ${USER_DATA_MAX_BYTES} bytes`);
  }
  return text;
};

export const validateTimestamp: FieldValidator = (value, key) => {
  const text = expectString(value, key, 'an RFC 3339 time string');
  const parsed = parseRfc3339(text);
  if (!parsed.ok) throw invalidSetting(key, `${describeValue(text)}: ${parsed.reason}`);
  return text;
};

export const validateBootstrapMode: FieldValidator = (value, key) => {
  if (typeof value !== 'string' || !(BOOTSTRAP_MODES as readonly string[]).includes(value)) {
    throw invalidSetting(key, `expected one of ${BOOTSTRAP_MODES.map((m) => `"${m}"`).join(', ')}, got ${describeValue(value)}`);
  }
  return value;
};
