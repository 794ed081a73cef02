export {
  BerthError,
  ERROR_CODES,
  codeOf,
  isCode,
  isNotFound,
  isAlreadyExists,
  isUnavailable,
  messageOf,
} from './berth-error.js';
export type { ErrorCode, BerthErrorOptions } from './berth-error.js';
