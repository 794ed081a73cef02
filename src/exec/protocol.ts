import { BerthError } from '../errors/index.js';

/**
 * Bottlerocket's `apiclient exec` protocol (api-exec.md): JSON control messages in text frames,
 * raw bytes in binary frames, the exit code as the close reason. Pure parsing and encoding.
 */

export interface TtySize {
  rows: number;
  cols: number;
}

export interface Initialize {
  command: string[];
  target: string;
  /** Present when the client wants a terminal. */
  tty?: { size?: TtySize };
}

export type ClientMessage = { type: 'initialize'; init: Initialize } | { type: 'content-complete' } | { type: 'winch'; size: TtySize };

/** Most unwritten input messages the server holds (Bottlerocket's MAX_MESSAGES_OUTSTANDING). */
export const MAX_MESSAGES_OUTSTANDING = 1024;
/** The server reports progress every this many written messages. */
export const CAPACITY_UPDATE_INTERVAL = 128;
export const HEARTBEAT_INTERVAL_MS = 2000;
export const CLIENT_TIMEOUT_MS = 10_000;
/**
 * Largest frame a client may send. Bottlerocket's client sends stdin in 4 KiB messages and berth's
 * in 64 KiB ones; an Initialize of MAX_ARGS arguments fits too.
 */
export const MAX_FRAME_BYTES = 1 << 20;
/** Longest command line accepted in Initialize. */
const MAX_ARGS = 4096;

/** serde encodes an OsString as {"Unix":[bytes]}; plain strings are accepted too. */
function decodeArg(v: unknown, i: number): string {
  if (typeof v === 'string') return v;
  const unix = (v as { Unix?: unknown } | null)?.Unix;
  if (Array.isArray(unix) && unix.every((b) => Number.isInteger(b) && b >= 0 && b < 256)) return Buffer.from(unix as number[]).toString('utf8');
  throw new BerthError('INVALID_ARGUMENT', `Invalid Initialize: command[${i}] must be a string`);
}

function decodeSize(v: unknown, where: string): TtySize {
  const s = v as { rows?: unknown; cols?: unknown } | null;
  const ok = (n: unknown): n is number => Number.isInteger(n) && (n as number) > 0 && (n as number) <= 0xffff;
  if (!s || !ok(s.rows) || !ok(s.cols)) throw new BerthError('INVALID_ARGUMENT', `Invalid ${where}: rows and cols must be integers from 1 to 65535`);
  return { rows: s.rows, cols: s.cols };
}

export function parseClientMessage(text: string): ClientMessage {
  let msg: unknown;
  try {
    msg = JSON.parse(text);
  } catch {
    throw new BerthError('INVALID_ARGUMENT', 'Invalid control message: not JSON');
  }
  if (msg === 'ContentComplete') return { type: 'content-complete' };
  if (msg && typeof msg === 'object' && !Array.isArray(msg)) {
    const m = msg as Record<string, unknown>;
    if ('Winch' in m) return { type: 'winch', size: decodeSize(m['Winch'], 'Winch') };
    if ('Initialize' in m) {
      const i = m['Initialize'] as Record<string, unknown> | null;
      if (!i || typeof i !== 'object') throw new BerthError('INVALID_ARGUMENT', 'Invalid Initialize: expected an object');
      if (!Array.isArray(i['command']) || i['command'].length === 0 || i['command'].length > MAX_ARGS) {
        throw new BerthError('INVALID_ARGUMENT', 'Invalid Initialize: command must be a non-empty list');
      }
      if (typeof i['target'] !== 'string' || i['target'] === '') throw new BerthError('INVALID_ARGUMENT', 'Invalid Initialize: target must be a container name');
      const init: Initialize = { command: i['command'].map(decodeArg), target: i['target'] };
      const tty = i['tty'];
      if (tty !== undefined && tty !== null) {
        const size = (tty as { size?: unknown }).size;
        init.tty = size === undefined || size === null ? {} : { size: decodeSize(size, 'Initialize tty size') };
      }
      return { type: 'initialize', init };
    }
  }
  throw new BerthError('INVALID_ARGUMENT', 'Unknown control message');
}

export function initializeMessage(init: Initialize): string {
  return JSON.stringify({ Initialize: { command: init.command, target: init.target, tty: init.tty ? { size: init.tty.size ?? null } : null } });
}

export function winchMessage(size: TtySize): string {
  return JSON.stringify({ Winch: size });
}

export const CONTENT_COMPLETE = JSON.stringify('ContentComplete');

export function capacityMessage(written: number): string {
  return JSON.stringify({ Capacity: { max_messages_outstanding: MAX_MESSAGES_OUTSTANDING, messages_written: written } });
}

/** berth's addition: why an exec could not run, sent before the close. */
export function errorMessage(code: string, message: string, exitCode?: number): string {
  return JSON.stringify({ Error: { code, message, ...(exitCode !== undefined ? { exit_code: exitCode } : {}) } });
}

export type ServerMessage =
  | { type: 'capacity'; maxOutstanding: number; written: number }
  | { type: 'error'; code: string; message: string; exitCode?: number }
  | { type: 'unknown' };

export function parseServerMessage(text: string): ServerMessage {
  try {
    const m = JSON.parse(text) as Record<string, Record<string, unknown>>;
    if (m['Capacity']) {
      return { type: 'capacity', maxOutstanding: Number(m['Capacity']['max_messages_outstanding']), written: Number(m['Capacity']['messages_written']) };
    }
    if (m['Error']) {
      const e = m['Error'];
      const exit = typeof e['exit_code'] === 'number' ? { exitCode: e['exit_code'] } : {};
      return { type: 'error', code: String(e['code']), message: String(e['message']), ...exit };
    }
  } catch {
    /* fall through */
  }
  return { type: 'unknown' };
}

/** WebSocket close codes used by the exec endpoint. */
export const CLOSE = {
  normal: 1000,
  /** A frame that breaks RFC 6455 (sent by ws itself). */
  protocolError: 1002,
  /** Text that is not UTF-8 (sent by ws itself). */
  badData: 1007,
  /** A message that breaks the exec protocol, or a session refused by policy. */
  policy: 1008,
  /** A frame too large, or input past the capacity the client was given. */
  tooBig: 1009,
  internal: 1011,
} as const;
