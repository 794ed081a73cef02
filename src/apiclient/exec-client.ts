import type { Readable, Writable } from 'node:stream';
import WebSocket from 'ws';
import { BerthError } from '../errors/index.js';
import { errorFromResponse } from './api-error.js';
import { statusLine } from './api-client.js';
import {
  CONTENT_COMPLETE,
  HEARTBEAT_INTERVAL_MS,
  initializeMessage,
  MAX_MESSAGES_OUTSTANDING,
  parseServerMessage,
  winchMessage,
  type TtySize,
} from '../exec/protocol.js';

export interface ExecClientOptions {
  socketPath: string;
  target: string;
  command: string[];
  /** A terminal session with this initial size; undefined for plain pipes. */
  tty?: TtySize;
  stdin: Readable;
  stdout: Writable;
  /** Called with a function that sends a new window size (wire it to SIGWINCH / 'resize'). */
  onResize?: (send: (size: TtySize) => void) => void;
  /** Server silence after which the session is given up. Default 10 s. */
  serverTimeoutMs?: number;
  /** Called with the status line of the server's answer to the upgrade (101, or its refusal), for -v. */
  onStatus?: (line: string) => void;
}

export interface ExecOutcome {
  /** The remote command's exit status; for a session that could not run, the server's if it gave one. */
  exitCode?: number;
  /** Why the session could not run, from the server. */
  error?: { code: string; message: string };
}

/** Input is sent in messages of at most this many bytes (what a pipe read gives at once). */
const FRAME_BYTES = 64 << 10;

/**
 * The client side of `GET /exec` (Bottlerocket's protocol): stdin as binary frames within the
 * server's capacity, output to stdout, ContentComplete at stdin EOF, window sizes as Winch, and the
 * exit status from the close reason.
 */
export function runExec(o: ExecClientOptions): Promise<ExecOutcome> {
  return new Promise((resolve, reject) => {
    // A zero masking key: masking protects HTTP intermediaries from crafted bytes, and a Unix socket
    // has none. With it both ends skip the XOR pass over every byte of input.
    const ws = new WebSocket(`ws+unix://${o.socketPath}:/exec`, { generateMask: (mask) => void mask.fill(0) });
    let sent = 0;
    let written = 0;
    let stdinPaused = false;
    let error: ExecOutcome['error'];
    let exitFromError: number | undefined;
    let lastSeen = Date.now();
    const timeout = o.serverTimeoutMs ?? 10_000;
    const heartbeat = setInterval(() => {
      if (Date.now() - lastSeen > timeout) ws.terminate();
      else if (ws.readyState === ws.OPEN) ws.ping();
    }, HEARTBEAT_INTERVAL_MS);
    heartbeat.unref();
    ws.on('pong', () => (lastSeen = Date.now()));
    ws.on('ping', () => (lastSeen = Date.now()));

    const onData = (data: Buffer) => {
      // One message per FRAME_BYTES at most: the server refuses frames past its limit.
      for (let at = 0; at < data.length; at += FRAME_BYTES) {
        ws.send(data.subarray(at, at + FRAME_BYTES), { binary: true });
        sent++;
      }
      // Keep below the server's limit of unwritten messages; resume on its next Capacity update.
      if (sent - written >= MAX_MESSAGES_OUTSTANDING - 8) {
        stdinPaused = true;
        o.stdin.pause();
      }
    };
    const onEnd = () => {
      if (ws.readyState !== ws.OPEN) return;
      // On a terminal, end of input is the EOF character, as typing ^D would be: closing the
      // terminal's input instead hangs up the session (SIGHUP) while its process may still work.
      if (o.tty) ws.send(Buffer.from([0x04]), { binary: true });
      else ws.send(CONTENT_COMPLETE);
    };

    ws.on('open', () => {
      ws.send(initializeMessage({ command: o.command, target: o.target, ...(o.tty ? { tty: { size: o.tty } } : {}) }));
      o.onResize?.((size) => {
        if (ws.readyState === ws.OPEN) ws.send(winchMessage(size));
      });
      o.stdin.on('data', onData);
      o.stdin.on('end', onEnd);
      o.stdin.resume();
    });
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      lastSeen = Date.now();
      if (isBinary) {
        o.stdout.write(data);
        return;
      }
      const msg = parseServerMessage(data.toString());
      if (msg.type === 'capacity') {
        written = msg.written;
        if (stdinPaused && sent - written < MAX_MESSAGES_OUTSTANDING / 2) {
          stdinPaused = false;
          o.stdin.resume();
        }
      } else if (msg.type === 'error') {
        error = { code: msg.code, message: msg.message };
        exitFromError = msg.exitCode;
      }
    });
    // The server refused the upgrade (403 for a caller without exec access, 404, …): its error, as for any request.
    ws.on('upgrade', (res) => o.onStatus?.(statusLine(res)));
    ws.on('unexpected-response', (req, res) => {
      o.onStatus?.(statusLine(res));
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        clearInterval(heartbeat);
        reject(errorFromResponse(res.statusCode ?? 500, Buffer.concat(chunks).toString('utf8')));
        req.destroy();
      });
    });
    ws.on('error', (err) => {
      clearInterval(heartbeat);
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ECONNREFUSED') {
        reject(new BerthError('UNAVAILABLE', `Cannot reach berth's API at ${o.socketPath}: ${code}`));
      } else {
        reject(new BerthError('UNAVAILABLE', `Exec connection failed: ${err.message}`));
      }
    });
    ws.on('close', (code: number, reason: Buffer) => {
      clearInterval(heartbeat);
      o.stdin.off('data', onData);
      o.stdin.off('end', onEnd);
      o.stdin.pause();
      const text = reason.toString();
      if (error) return resolve({ ...(exitFromError === undefined ? {} : { exitCode: exitFromError }), error });
      if (code === 1000 && /^\d+$/.test(text)) return resolve({ exitCode: Number(text) });
      resolve({ error: { code: 'UNAVAILABLE', message: `Exec session ended unexpectedly (${code}${text ? `: ${text}` : ''})` } });
    });
  });
}
