import { describeValue } from './describe-value.js';
import { invalidSetting, type FieldValidator } from './field-validators.js';

/**
 * `host-containers.<name>.environment`: variable name → value, added to the image's environment
 * (a name the image sets too takes this value). The table is one setting, replaced as a whole:
 * variable names are not key segments (`_`), so `apiclient set --json` or `apply` sets it.
 */

/** POSIX's portable names; this also keeps out `=` (which would end the name) and NUL. */
const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Most variables a container may be given. */
export const ENVIRONMENT_MAX_VARIABLES = 256;
/** Most bytes (UTF-8) of all `NAME=value` entries together. */
export const ENVIRONMENT_MAX_BYTES = 64 * 1024;

export const validateEnvironment: FieldValidator = (value, key) => {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalidSetting(key, `expected a table of variable names to strings, got ${describeValue(value)}`);
  }
  const entries = Object.entries(value);
  if (entries.length > ENVIRONMENT_MAX_VARIABLES) {
    throw invalidSetting(key, `${entries.length} variables exceed the limit of ${ENVIRONMENT_MAX_VARIABLES}`);
  }
  let bytes = 0;
  for (const [name, v] of entries) {
    if (!VARIABLE_NAME.test(name)) {
      throw invalidSetting(key, `variable name ${describeValue(name)} is not letters, digits and '_' starting with a letter or '_'`);
    }
    if (typeof v !== 'string') throw invalidSetting(key, `variable ${name}: expected a string, got ${describeValue(v)}`);
    if (v.includes('\0')) throw invalidSetting(key, `variable ${name}: value contains a NUL character`);
    bytes += Buffer.byteLength(`${name}=${v}`);
  }
  if (bytes > ENVIRONMENT_MAX_BYTES) throw invalidSetting(key, `${bytes} bytes exceed the limit of ${ENVIRONMENT_MAX_BYTES}`);
  // A fresh object: the input's own keys (even `__proto__`) become plain data properties.
  return Object.fromEntries(entries);
};
