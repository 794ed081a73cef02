import { BerthError } from '../errors/index.js';
import { describeKey } from './describe-value.js';
import {
  validateBoolean,
  validateBootstrapMode,
  validateImageSource,
  validateTimestamp,
  validateUserData,
  type FieldValidator,
} from './field-validators.js';
import { validateApiAccess } from './api-access-setting.js';
import { validateApiclientCalls } from './bootstrap-commands-setting.js';
import { validateCommand } from './command-setting.js';
import { validateEnvironment } from './environment-setting.js';
import { validateRegistryCredentials, validateRegistryMirrors } from './registry-settings.js';
import { RESOURCES_FIELDS } from './resources-setting.js';
import { keySegments, toFullKey } from './settings-keys.js';
import { CONTAINER_NAME_PATTERN } from './settings.js';

/**
 * The shape of the settings tree: each section is either a map of named containers whose fields
 * are listed here, or a table of fields. A field is a leaf with one validator, or a table of such
 * leaves (`host-containers.<name>.resources.memory`).
 */
export interface SectionSchema {
  /** True for `<section>.<name>.<field>`, false for `<section>.<field>`. */
  named: boolean;
  fields: Readonly<Record<string, FieldValidator | TableField>>;
}

/** A field that is a table of leaves, each a setting of its own. */
export interface TableField {
  fields: Readonly<Record<string, FieldValidator>>;
}

export const SETTINGS_SCHEMA: Readonly<Record<string, SectionSchema>> = {
  'host-containers': {
    named: true,
    fields: {
      source: validateImageSource,
      enabled: validateBoolean,
      superpowered: validateBoolean,
      'user-data': validateUserData,
      'enabled-until': validateTimestamp,
      command: validateCommand,
      environment: validateEnvironment,
      'api-access': validateApiAccess,
      resources: { fields: RESOURCES_FIELDS },
    },
  },
  'bootstrap-containers': {
    named: true,
    fields: {
      source: validateImageSource,
      mode: validateBootstrapMode,
      'user-data': validateUserData,
      essential: validateBoolean,
      command: validateCommand,
    },
  },
  'bootstrap-commands': {
    named: true,
    fields: { commands: validateApiclientCalls, mode: validateBootstrapMode, essential: validateBoolean },
  },
  'container-registry': {
    named: false,
    fields: { mirrors: validateRegistryMirrors, credentials: validateRegistryCredentials },
  },
};

function unknown(key: readonly string[], allowed: readonly string[]): BerthError {
  const hint = allowed.length === 0 ? `${describeKey(key.slice(0, -1))} is a value, not a table` : `allowed here: ${allowed.join(', ')}`;
  return new BerthError('INVALID_ARGUMENT', `Unknown setting ${describeKey(key)} (${hint})`, {
    details: { key: key.join('.') },
  });
}

/** Throws unless `name` is a valid container name; `key` is where it appears. */
export function checkContainerName(name: string, key: readonly string[]): void {
  if (!CONTAINER_NAME_PATTERN.test(name)) {
    throw new BerthError(
      'INVALID_ARGUMENT',
      `Invalid setting ${describeKey(key)}: container name must be 1 to 76 characters of A-Z, a-z, 0-9 and '-'`,
      { details: { key: key.join('.') } },
    );
  }
}

/** What a path below `settings` points at: a section, a named container, or a field. */
export type SchemaNode =
  | { kind: 'root' }
  | { kind: 'section'; section: SectionSchema }
  | { kind: 'container'; section: SectionSchema }
  | { kind: 'table'; table: TableField }
  | { kind: 'field'; validate: FieldValidator };

/** Resolves a path below `settings`; throws INVALID_ARGUMENT naming the first unknown segment. */
export function resolveSchemaPath(segments: readonly string[]): SchemaNode {
  if (segments.length === 0) return { kind: 'root' };
  const [sectionName, ...rest] = segments as [string, ...string[]];
  const section = SETTINGS_SCHEMA[sectionName];
  if (section === undefined || !Object.hasOwn(SETTINGS_SCHEMA, sectionName)) {
    throw unknown([sectionName], Object.keys(SETTINGS_SCHEMA));
  }
  if (rest.length === 0) return { kind: 'section', section };
  let fieldAt = 1;
  if (section.named) {
    checkContainerName(rest[0]!, segments.slice(0, 2));
    if (rest.length === 1) return { kind: 'container', section };
    fieldAt = 2;
  }
  return resolveField(section.fields, segments, fieldAt);
}

/** The field `segments[at]` of `fields`, or the leaf below it when that field is a table. */
function resolveField(fields: SectionSchema['fields'], segments: readonly string[], at: number): SchemaNode {
  const name = segments[at]!;
  const field = fields[name];
  if (field === undefined || !Object.hasOwn(fields, name)) throw unknown(segments.slice(0, at + 1), Object.keys(fields));
  if (typeof field !== 'function') return segments.length === at + 1 ? { kind: 'table', table: field } : resolveField(field.fields, segments, at + 1);
  if (segments.length > at + 1) throw unknown(segments.slice(0, at + 2), []);
  return { kind: 'field', validate: field };
}

/** `key` as a full key (`settings.` added) after checking that it names a known setting or table. */
export function knownFullKey(key: string): string {
  resolveSchemaPath(keySegments(key));
  return toFullKey(key);
}
