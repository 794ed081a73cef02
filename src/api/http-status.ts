import { BerthError, codeOf, messageOf, type ErrorCode } from '../errors/index.js';

/**
 * The one place an error code becomes an HTTP status (Bottlerocket's statuses: 400 bad input,
 * 404 missing, 422 commit with nothing pending, 500 otherwise). Anything that is not a BerthError is
 * a bug or an I/O failure and maps to INTERNAL → 500.
 */
const STATUS: Readonly<Record<ErrorCode, number>> = {
  INVALID_ARGUMENT: 400,
  PERMISSION_DENIED: 403,
  NOT_FOUND: 404,
  ALREADY_EXISTS: 409,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  FAILED_PRECONDITION: 422,
  CANCELED: 499,
  INTERNAL: 500,
  NOT_IMPLEMENTED: 501,
  UNAVAILABLE: 503,
  DEADLINE_EXCEEDED: 504,
};

export function httpStatusOf(code: ErrorCode): number {
  return STATUS[code] ?? 500;
}

export interface ErrorBody {
  code: ErrorCode;
  message: string;
}

/** The status and JSON body for any thrown value; non-BerthErrors keep their text but become INTERNAL. */
export function errorResponse(err: unknown): { status: number; body: ErrorBody } {
  const code = codeOf(err);
  const message = BerthError.is(err) ? err.message : `Internal error: ${messageOf(err)}`;
  return { status: httpStatusOf(code), body: { code, message: message.replace(/\s*\n\s*/g, ' ') } };
}
