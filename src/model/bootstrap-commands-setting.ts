import { describeValue } from './describe-value.js';
import { validateCommand } from './command-setting.js';
import { invalidSetting, type FieldValidator } from './field-validators.js';

/**
 * `bootstrap-commands.<name>.commands` (Bottlerocket's bootstrap commands): the apiclient calls to
 * make at boot, in order, each a list of strings whose first item is `apiclient`, as in
 * `[["apiclient", "set", "host-containers.admin.enabled=true"]]`. berthd makes them itself against its
 * own API, so nothing but apiclient can run; a list that names another program is refused here,
 * where the key can be named, rather than failing at some later boot. Empty means nothing to run.
 */

/** The program every call must name. */
export const APICLIENT = 'apiclient';
/** Most calls one bootstrap command may hold. */
export const BOOTSTRAP_COMMAND_MAX_CALLS = 64;

export const validateApiclientCalls: FieldValidator = (value, key) => {
  if (!Array.isArray(value)) throw invalidSetting(key, `expected a list of apiclient calls (each a list of strings), got ${describeValue(value)}`);
  if (value.length > BOOTSTRAP_COMMAND_MAX_CALLS) {
    throw invalidSetting(key, `${value.length} calls exceed the limit of ${BOOTSTRAP_COMMAND_MAX_CALLS}`);
  }
  return value.map((call: unknown, i) => checkCall(call, [...key.slice(0, -1), `${key.at(-1)}[${i}]`]));
};

/** One call: an argv as a container's `command` is (its limits, no NUL) whose program is apiclient. */
function checkCall(call: unknown, key: readonly string[]): string[] {
  const items = validateCommand(call, key) as string[];
  if (items[0] !== APICLIENT) {
    const got = items.length === 0 ? 'an empty list' : describeValue(items[0]);
    throw invalidSetting(key, `a bootstrap command runs only apiclient: the call must start with "${APICLIENT}", got ${got}`);
  }
  return items;
}
