import { decodeBase64 } from './base64.js';
import { describeValue } from './describe-value.js';
import { expectString, invalidSetting, type FieldValidator } from './field-validators.js';
import type { JsonValue } from './settings.js';

/**
 * `settings.container-registry.{mirrors,credentials}` in Bottlerocket's shapes:
 * `mirrors = [{ registry = "docker.io", endpoint = ["https://mirror.example"] }]` (or the older table
 * `mirrors = { "docker.io" = ["https://mirror.example"] }`, which Bottlerocket still accepts and berth
 * stores in the array form), `credentials = [{ registry = "docker.io", username = "u", password = "p" }]`
 * (or `auth`, or `identitytoken`). Each registry may appear once per list.
 */
const REGISTRY_HOST = /^(?:[A-Za-z0-9]|[A-Za-z0-9][A-Za-z0-9-]*[A-Za-z0-9])(?:\.(?:[A-Za-z0-9]|[A-Za-z0-9][A-Za-z0-9-]*[A-Za-z0-9]))*(?::[0-9]{1,5})?$/;
const MAX_ENTRIES = 256;
const MAX_TEXT = 8192;

type Entry = Record<string, unknown>;

function expectEntries(value: unknown, key: readonly string[]): Entry[] {
  if (!Array.isArray(value)) throw invalidSetting(key, `expected an array of tables, got ${describeValue(value)}`);
  if (value.length > MAX_ENTRIES) throw invalidSetting(key, `more than ${MAX_ENTRIES} entries`);
  return value.map((entry, i) => {
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
      throw invalidSetting([...key.slice(0, -1), `${key.at(-1)}[${i}]`], `expected a table, got ${describeValue(entry)}`);
    }
    return entry as Entry;
  });
}

function checkFields(entry: Entry, at: readonly string[], allowed: readonly string[]): void {
  for (const field of Object.keys(entry)) {
    if (!allowed.includes(field)) throw invalidSetting([...at, field], `unknown field (allowed: ${allowed.join(', ')})`);
  }
}

function checkRegistry(value: unknown, key: readonly string[], seen: Set<string>, { wildcard }: { wildcard: boolean }): string {
  if (value === undefined) throw invalidSetting(key, 'missing');
  const registry = expectString(value, key);
  if (!(wildcard && registry === '*') && !REGISTRY_HOST.test(registry)) {
    throw invalidSetting(key, `${describeValue(registry)} is not a registry host[:port]${wildcard ? ' or "*"' : ''}`);
  }
  if (seen.has(registry)) throw invalidSetting(key, `registry ${describeValue(registry)} is listed twice`);
  seen.add(registry);
  return registry;
}

function checkText(value: unknown, key: readonly string[]): string {
  const text = expectString(value, key);
  if (text.length > MAX_TEXT) throw invalidSetting(key, `longer than ${MAX_TEXT} characters`);
  return text;
}

/**
 * Where the first C0 control, DEL or C1 control is, or -1. The URL parser would drop some (tab,
 * newline) and percent-encode others, so what is stored would not be the URL that is used.
 */
function controlCharacterAt(text: string): number {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) return i;
  }
  return -1;
}

function checkEndpoint(value: unknown, key: readonly string[]): string {
  const text = checkText(value, key);
  const at = controlCharacterAt(text);
  if (at !== -1) {
    const codePoint = text.charCodeAt(at).toString(16).toUpperCase().padStart(4, '0');
    throw invalidSetting(key, `holds the control character U+${codePoint} at position ${at}`);
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw invalidSetting(key, `${describeValue(text)} is not a URL`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw invalidSetting(key, `${describeValue(text)} must start with https:// or http://`);
  }
  if (url.username !== '' || url.password !== '' || url.search !== '' || url.hash !== '') {
    throw invalidSetting(key, `${describeValue(text)} must not carry credentials, a query or a fragment`);
  }
  return text;
}

/** Where a mirror's parts are, as the user wrote them: `mirrors[0].endpoint[1]` or `mirrors.docker.io[1]`. */
interface MirrorKeys {
  registry: readonly string[];
  endpoint: readonly string[];
  endpointAt(j: number): readonly string[];
}

function checkMirror(entry: Entry, keys: MirrorKeys, seen: Set<string>): JsonValue {
  const registry = checkRegistry(entry.registry, keys.registry, seen, { wildcard: true });
  if (!Array.isArray(entry.endpoint)) throw invalidSetting(keys.endpoint, `expected an array of URLs, got ${describeValue(entry.endpoint)}`);
  if (entry.endpoint.length === 0 || entry.endpoint.length > MAX_ENTRIES) {
    throw invalidSetting(keys.endpoint, `expected 1 to ${MAX_ENTRIES} URLs`);
  }
  const endpoint = entry.endpoint.map((e, j) => checkEndpoint(e, keys.endpointAt(j)));
  return { registry, endpoint };
}

/** Bottlerocket's older form, a table of registry → endpoints; stored as the array form, in table order. */
function mirrorsFromTable(table: Entry, key: readonly string[]): JsonValue[] {
  const entries = Object.entries(table);
  if (entries.length > MAX_ENTRIES) throw invalidSetting(key, `more than ${MAX_ENTRIES} entries`);
  const seen = new Set<string>();
  return entries.map(([registry, endpoint]) => {
    const at = [...key, registry];
    return checkMirror({ registry, endpoint }, { registry: at, endpoint: at, endpointAt: (j) => [...key, `${registry}[${j}]`] }, seen);
  });
}

export const validateRegistryMirrors: FieldValidator = (value, key) => {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) return mirrorsFromTable(value as Entry, key);
  const seen = new Set<string>();
  return expectEntries(value, key).map((entry, i): JsonValue => {
    const at = [...key.slice(0, -1), `${key.at(-1)}[${i}]`];
    checkFields(entry, at, ['registry', 'endpoint']);
    const endpoint = [...at, 'endpoint'];
    return checkMirror(entry, { registry: [...at, 'registry'], endpoint, endpointAt: (j) => [...at, `endpoint[${j}]`] }, seen);
  });
};

export const validateRegistryCredentials: FieldValidator = (value, key) => {
  const seen = new Set<string>();
  return expectEntries(value, key).map((entry, i): JsonValue => {
    const at = [...key.slice(0, -1), `${key.at(-1)}[${i}]`];
    checkFields(entry, at, ['registry', 'username', 'password', 'auth', 'identitytoken']);
    const out: Record<string, JsonValue> = { registry: checkRegistry(entry.registry, [...at, 'registry'], seen, { wildcard: false }) };
    for (const field of ['username', 'password', 'auth', 'identitytoken'] as const) {
      if (entry[field] !== undefined) out[field] = checkText(entry[field], [...at, field]);
    }
    if ((out.username === undefined) !== (out.password === undefined)) {
      throw invalidSetting(at, 'username and password must be given together');
    }
    if (out.auth !== undefined) {
      const decoded = decodeBase64(out.auth as string);
      if (!decoded.ok || !decoded.bytes.toString('utf8').includes(':')) {
        throw invalidSetting([...at, 'auth'], 'expected base64 of "user:password"');
      }
    }
    if (out.username === undefined && out.auth === undefined && out.identitytoken === undefined) {
      throw invalidSetting(at, 'expected username and password, auth, or identitytoken');
    }
    return out;
  });
};
