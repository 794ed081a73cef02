import { BerthError, ERROR_CODES, type ErrorCode } from '../errors/index.js';

/**
 * Turning an API error response back into a BerthError: the server's `{code, message}` when it sent
 * one, otherwise a code guessed from the HTTP status and the body text.
 */
const BY_STATUS: Readonly<Record<number, ErrorCode>> = {
  400: 'INVALID_ARGUMENT',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  405: 'INVALID_ARGUMENT',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  422: 'FAILED_PRECONDITION',
  501: 'NOT_IMPLEMENTED',
  503: 'UNAVAILABLE',
  504: 'DEADLINE_EXCEEDED',
};

export function errorFromResponse(status: number, text: string): BerthError {
  try {
    const body: unknown = JSON.parse(text);
    if (typeof body === 'object' && body !== null) {
      const { code, message } = body as { code?: unknown; message?: unknown };
      if (typeof code === 'string' && (ERROR_CODES as readonly string[]).includes(code) && typeof message === 'string') {
        return new BerthError(code as ErrorCode, message, { details: { status } });
      }
    }
  } catch {
    /* not JSON: use the text */
  }
  const message = text.trim().split('\n')[0]?.slice(0, 500) || `HTTP status ${status}`;
  return new BerthError(BY_STATUS[status] ?? 'INTERNAL', message, { details: { status } });
}

/** A connection failure as a BerthError that says what to check. */
export function connectionError(err: NodeJS.ErrnoException, socketPath: string): BerthError {
  const where = `Cannot reach the berth API at '${socketPath}'`;
  switch (err.code) {
    case 'ENOENT':
      return new BerthError('UNAVAILABLE', `${where}: no such socket (is berthd running? use -s or BERTH_API_SOCKET for another path)`, { cause: err });
    case 'ECONNREFUSED':
      return new BerthError('UNAVAILABLE', `${where}: connection refused (is berthd running?)`, { cause: err });
    case 'EACCES':
    case 'EPERM':
      return new BerthError('PERMISSION_DENIED', `${where}: permission denied (the socket is for root and the api group)`, { cause: err });
    default:
      return new BerthError('UNAVAILABLE', `${where}: ${err.message}`, { cause: err });
  }
}
