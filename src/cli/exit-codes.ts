import { codeOf, type ErrorCode } from '../errors/index.js';

/** Exit status per error code, so scripts can tell "bad input" from "try again later". */
const EXIT_CODES: Record<ErrorCode, number> = {
  INVALID_ARGUMENT: 2,
  NOT_FOUND: 3,
  ALREADY_EXISTS: 4,
  CONFLICT: 4,
  FAILED_PRECONDITION: 5,
  PAYLOAD_TOO_LARGE: 2,
  PERMISSION_DENIED: 6,
  UNAVAILABLE: 7,
  DEADLINE_EXCEEDED: 7,
  CANCELED: 8,
  NOT_IMPLEMENTED: 9,
  INTERNAL: 1,
};

export function exitCodeOf(err: unknown): number {
  return EXIT_CODES[codeOf(err)];
}
