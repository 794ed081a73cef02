import { BerthError } from '../errors/index.js';
import { describeKey, describeValue } from './describe-value.js';
import { invalidSetting } from './field-validators.js';
import { checkContainerName, resolveSchemaPath, SETTINGS_SCHEMA } from './settings-schema.js';
import { SETTINGS_ROOT, unflattenSettings } from './settings-keys.js';
import type { JsonValue, Settings } from './settings.js';

/**
 * Validation of user input against the settings schema. Both entry points walk the tree in input
 * order and stop at the first problem, naming its dotted key and the reason; nothing is returned for
 * input with any problem, so a caller that stores only validated results changes nothing on bad input.
 */

/** A validated change: leaves to set, and keys (with everything below them) to reset to default. */
export interface SettingsChange {
  /** Full dotted key (`settings.a.b`) → new value. */
  set: Map<string, JsonValue>;
  /** Full dotted keys whose stored values are removed, so the defaults show again. */
  unset: string[];
}

type Visit = { set(key: string[], value: JsonValue): void; unset(key: string[]): void };

function isTable(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function expectTable(value: unknown, key: string[]): Record<string, unknown> {
  if (!isTable(value)) {
    const where = key.length === 0 ? 'Invalid settings' : `Invalid setting ${describeKey(key)}`;
    throw new BerthError('INVALID_ARGUMENT', `${where}: expected a table, got ${describeValue(value)}`, {
      details: { key: key.join('.') },
    });
  }
  return value;
}

function walk(input: unknown, visit: Visit): void {
  for (const [sectionName, sectionValue] of Object.entries(expectTable(input, []))) {
    const sectionKey = [sectionName];
    resolveSchemaPath(sectionKey);
    if (sectionValue === null) {
      visit.unset(sectionKey);
      continue;
    }
    const section = SETTINGS_SCHEMA[sectionName]!;
    const tables: Array<[string[], unknown]> = section.named
      ? Object.entries(expectTable(sectionValue, sectionKey)).map(([name, v]) => {
          checkContainerName(name, [sectionName, name]);
          return [[sectionName, name], v];
        })
      : [[sectionKey, sectionValue]];
    for (const [tableKey, tableValue] of tables) {
      if (tableValue === null) {
        visit.unset(tableKey);
        continue;
      }
      for (const [field, value] of Object.entries(expectTable(tableValue, tableKey))) walkField([...tableKey, field], value, visit);
    }
  }
}

/** One field: a leaf to validate, or a table field whose leaves are walked in turn. */
function walkField(key: string[], value: unknown, visit: Visit): void {
  const node = resolveSchemaPath(key);
  if (value === null) visit.unset(key);
  else if (node.kind === 'table') for (const [field, v] of Object.entries(expectTable(value, key))) walkField([...key, field], v, visit);
  else if (node.kind === 'field') visit.set(key, node.validate(value, key));
  else throw new BerthError('INTERNAL', `Schema has no field at ${describeKey(key)}`);
}

const full = (key: string[]): string => [SETTINGS_ROOT, ...key].join('.');

/**
 * Validates a complete settings tree (no `settings` level, no nulls) and returns a normalised copy
 * with empty tables dropped. Throws INVALID_ARGUMENT naming the dotted key and the reason.
 */
export function validateSettings(input: unknown): Settings {
  const leaves: Array<[string, JsonValue]> = [];
  walk(input, {
    set: (key, value) => leaves.push([full(key), value]),
    unset: (key) => {
      throw invalidSetting(key, 'expected a value, got null');
    },
  });
  return unflattenSettings(leaves);
}

/**
 * Validates a PATCH body: a partial settings tree where `null` at a section, a container or a field
 * resets it (removes what users set there, so defaults show again).
 */
export function validateSettingsPatch(input: unknown): SettingsChange {
  const change: SettingsChange = { set: new Map(), unset: [] };
  walk(input, {
    set: (key, value) => change.set.set(full(key), value),
    unset: (key) => change.unset.push(full(key)),
  });
  return change;
}
