import { BerthError } from '../errors/index.js';
import { describeValue } from '../model/describe-value.js';

/** The transaction used when a request names none (Bottlerocket's `default`). */
export const DEFAULT_TRANSACTION = 'default';

/** Transaction names: 1 to 128 of [A-Za-z0-9._-], starting with a letter or digit (no `..`, no `/`). */
const TRANSACTION_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

export function checkTransactionName(name: unknown): string {
  if (typeof name !== 'string' || !TRANSACTION_NAME.test(name)) {
    throw new BerthError(
      'INVALID_ARGUMENT',
      `Invalid transaction name ${describeValue(name)}: expected 1 to 128 characters of A-Z, a-z, 0-9, '.', '_' and '-', starting with a letter or digit`,
    );
  }
  return name;
}
