import { parse as parseToml, TomlDate, TomlError } from 'smol-toml';
import { BerthError } from '../errors/index.js';
import type { JsonObject } from './settings-keys.js';
import type { JsonValue } from './settings.js';

/**
 * Bottlerocket's user-data format: a TOML (or JSON) document whose only top-level table is
 * `settings`, e.g.
 *
 *     [settings.host-containers.admin]
 *     enabled = true
 *
 * Used for boot user data (`berthd run --user-data`) and `apiclient apply`. Returns the content of
 * the `settings` table, not yet validated against the schema. Errors name the document and, for
 * TOML, the line and column.
 */
export interface SettingsDocumentOptions {
  /** What to call the document in errors (a file name, `stdin`). Required. */
  name: string;
  /** `auto` (default): JSON when the text starts with `{`, TOML otherwise. */
  format?: 'toml' | 'json' | 'auto';
}

function toJson(value: unknown): JsonValue {
  if (value instanceof TomlDate) return value.toISOString();
  if (Array.isArray(value)) return value.map(toJson);
  if (typeof value === 'object' && value !== null) {
    const out: JsonObject = {};
    for (const [k, v] of Object.entries(value)) out[k] = toJson(v);
    return out;
  }
  return value as JsonValue;
}

function parseTomlText(text: string, name: string): unknown {
  try {
    return parseToml(text);
  } catch (err) {
    if (err instanceof TomlError) {
      const reason = err.message.split('\n')[0]!.replace(/^Invalid TOML document: /, '');
      throw new BerthError('INVALID_ARGUMENT', `Invalid TOML in ${name} at line ${err.line}, column ${err.column}: ${reason}`, {
        details: { line: err.line, column: err.column },
      });
    }
    throw err;
  }
}

function parseJsonText(text: string, name: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new BerthError('INVALID_ARGUMENT', `Invalid JSON in ${name}: ${(err as Error).message}`);
  }
}

export function parseSettingsDocument(text: string, { name, format = 'auto' }: SettingsDocumentOptions): JsonObject {
  const json = format === 'json' || (format === 'auto' && text.trimStart().startsWith('{'));
  const doc = toJson(json ? parseJsonText(text, name) : parseTomlText(text, name));
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    throw new BerthError('INVALID_ARGUMENT', `Invalid user data in ${name}: expected a table with a 'settings' table`);
  }
  for (const key of Object.keys(doc)) {
    if (key !== 'settings') {
      throw new BerthError('INVALID_ARGUMENT', `Invalid user data in ${name}: unknown top-level key '${key.slice(0, 60)}' (only 'settings' is allowed)`);
    }
  }
  const settings = doc.settings;
  if (settings === undefined) throw new BerthError('INVALID_ARGUMENT', `Invalid user data in ${name}: no top-level 'settings' table`);
  if (typeof settings !== 'object' || settings === null || Array.isArray(settings)) {
    throw new BerthError('INVALID_ARGUMENT', `Invalid user data in ${name}: 'settings' must be a table`);
  }
  return settings;
}
