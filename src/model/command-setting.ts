import { describeValue } from './describe-value.js';
import { invalidSetting, type FieldValidator } from './field-validators.js';

/**
 * `host-containers.<name>.command` and `bootstrap-containers.<name>.command` (Bottlerocket
 * settings-models 0.14): the container's whole argv, replacing the image's entrypoint and cmd. An
 * empty list means the image's own. Only the first item must be non-empty (it names the program);
 * later items may be empty, as `ssh-keygen -N ""` needs. No item may hold NUL: execve cannot carry it.
 */

/** Most items a command may have. */
export const COMMAND_MAX_ITEMS = 256;
/** Most bytes (UTF-8) all items together may have: well under the kernel's argv limit. */
export const COMMAND_MAX_BYTES = 64 * 1024;

export const validateCommand: FieldValidator = (value, key) => {
  if (!Array.isArray(value)) throw invalidSetting(key, `expected a list of strings, got ${describeValue(value)}`);
  if (value.length > COMMAND_MAX_ITEMS) throw invalidSetting(key, `${value.length} items exceed the limit of ${COMMAND_MAX_ITEMS}`);
  let bytes = 0;
  const items = value.map((item: unknown, i) => {
    if (typeof item !== 'string') throw invalidSetting(key, `item ${i} is not a string: got ${describeValue(item)}`);
    if (item.includes('\0')) throw invalidSetting(key, `item ${i} contains a NUL character`);
    bytes += Buffer.byteLength(item);
    return item;
  });
  if (items[0] === '') throw invalidSetting(key, 'item 0 (the program) is empty');
  if (bytes > COMMAND_MAX_BYTES) throw invalidSetting(key, `${bytes} bytes exceed the limit of ${COMMAND_MAX_BYTES}`);
  return items;
};
