import { describeValue } from './describe-value.js';
import { invalidSetting, type FieldValidator } from './field-validators.js';

/**
 * `host-containers.<name>.api-access`: what processes in the container may do through berth's API.
 * `admin` is Bottlerocket's behaviour (the socket mount is full access), so it is the default and
 * Bottlerocket's files keep working; `read-only` allows reads only; `none` mounts no API socket and
 * no apiclient at all.
 */
export const API_ACCESS_LEVELS = ['admin', 'read-only', 'none'] as const;
export type ApiAccess = (typeof API_ACCESS_LEVELS)[number];

/** The level of a container whose settings leave it out. */
export const DEFAULT_API_ACCESS: ApiAccess = 'admin';

export const validateApiAccess: FieldValidator = (value, key) => {
  if (typeof value !== 'string' || !(API_ACCESS_LEVELS as readonly string[]).includes(value)) {
    throw invalidSetting(key, `expected one of ${API_ACCESS_LEVELS.map((l) => `"${l}"`).join(', ')}, got ${describeValue(value)}`);
  }
  return value;
};
