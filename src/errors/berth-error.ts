/**
 * The closed set of error classes berth uses everywhere. Modelled on containerd's errdefs:
 * callers branch on `code`, never on message text, and each edge (gRPC, HTTP, CLI) translates
 * the code once.
 */
export const ERROR_CODES = [
  'INVALID_ARGUMENT',
  'NOT_FOUND',
  'ALREADY_EXISTS',
  'FAILED_PRECONDITION',
  'CONFLICT',
  'UNAVAILABLE',
  'DEADLINE_EXCEEDED',
  'CANCELED',
  'PAYLOAD_TOO_LARGE',
  'PERMISSION_DENIED',
  'NOT_IMPLEMENTED',
  'INTERNAL',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

const BRAND = Symbol.for('berth.BerthError');

export interface BerthErrorOptions {
  /** The error this one wraps, kept for logs. Optional. */
  cause?: unknown;
  /** Machine-readable details (the offending key, a path, …). Optional. */
  details?: Record<string, unknown>;
}

export class BerthError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, options: BerthErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'BerthError';
    this.code = code;
    this.details = options.details;
    Object.defineProperty(this, BRAND, { value: true });
  }

  /** Works across two loaded copies of this module, like undici's branded errors. */
  static is(value: unknown): value is BerthError {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
  }
}

/** The code of any thrown value: a BerthError's own code, INTERNAL for everything else. */
export function codeOf(err: unknown): ErrorCode {
  return BerthError.is(err) ? err.code : 'INTERNAL';
}

export function isCode(err: unknown, code: ErrorCode): boolean {
  return codeOf(err) === code;
}

export const isNotFound = (err: unknown): boolean => isCode(err, 'NOT_FOUND');
export const isAlreadyExists = (err: unknown): boolean => isCode(err, 'ALREADY_EXISTS');
export const isUnavailable = (err: unknown): boolean => isCode(err, 'UNAVAILABLE');

/** Message of any thrown value, for logs and one-line CLI errors. */
export function messageOf(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}
