import type { IncomingMessage } from 'node:http';
import type { Duplex, Readable, Writable } from 'node:stream';
import type { Socket } from 'node:net';
import { randomBytes } from 'node:crypto';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { BerthError, codeOf, messageOf } from '../errors/index.js';
import type { Logger } from '../lib/logger.js';
import type { AuditActor, AuditRecord } from '../audit/audit-log.js';
import {
  capacityMessage,
  CAPACITY_UPDATE_INTERVAL,
  CLIENT_TIMEOUT_MS,
  CLOSE,
  errorMessage,
  HEARTBEAT_INTERVAL_MS,
  MAX_MESSAGES_OUTSTANDING,
  parseClientMessage,
  type Initialize,
} from './protocol.js';

/** A running exec'd process, as the runtime provides it. */
export interface ExecSession {
  readonly pid: number;
  readonly output: Readable;
  readonly stdin: Writable;
  readonly exited: Promise<number>;
  resize(size: { rows: number; cols: number }): Promise<void>;
  closeStdin(): Promise<void>;
  release(): Promise<void>;
}

export interface ExecServerOptions {
  /** Starts `init.command` in the container named `init.target` (BerthError when it cannot). */
  start(init: Initialize): Promise<ExecSession>;
  /** Kills the process and everything it started (a client went away). */
  killTree(pid: number): void;
  /** Who is on the other end of the API socket. */
  peer(socket: Socket): Promise<AuditActor>;
  audit(record: Omit<AuditRecord, 'time'>): Promise<void>;
  logger: Logger;
  heartbeatMs?: number;
  clientTimeoutMs?: number;
}

/** Output is paused while this much is queued for a slow client. */
const SEND_HIGH_WATER = 4 << 20;

/**
 * The `GET /exec` WebSocket endpoint (Bottlerocket's protocol, src/exec/protocol.ts) on berth's API
 * socket. Returns the API server's upgrade handler.
 */
export function createExecUpgrade(options: ExecServerOptions): (req: IncomingMessage, socket: Duplex, head: Buffer) => void {
  const wss = new WebSocketServer({ noServer: true, maxPayload: 1 << 20 });
  return (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== '/exec' || req.method !== 'GET') {
      socket.end('HTTP/1.1 404 Not Found\r\ncontent-type: application/json\r\nconnection: close\r\n\r\n{"code":"NOT_FOUND","message":"No such endpoint"}');
      return;
    }
    const actor = options.peer(socket as Socket).catch(() => ({}) as AuditActor);
    wss.handleUpgrade(req, socket, head, (ws) => void serve(ws, actor, options));
  };
}

async function serve(ws: WebSocket, actorP: Promise<AuditActor>, o: ExecServerOptions): Promise<void> {
  const session = `exec-${randomBytes(6).toString('hex')}`;
  const log = o.logger.child({ component: 'exec', session });
  let lastSeen = Date.now();
  ws.on('pong', () => (lastSeen = Date.now()));
  const heartbeat = setInterval(() => {
    if (Date.now() - lastSeen > (o.clientTimeoutMs ?? CLIENT_TIMEOUT_MS)) ws.terminate();
    else ws.ping();
  }, o.heartbeatMs ?? HEARTBEAT_INTERVAL_MS);
  ws.on('close', () => clearInterval(heartbeat));

  const fail = (err: unknown, closeCode: number = CLOSE.internal) => {
    const code = codeOf(err);
    const exit = BerthError.is(err) && typeof err.details?.['exitCode'] === 'number' ? (err.details['exitCode'] as number) : undefined;
    if (ws.readyState === ws.OPEN) {
      ws.send(errorMessage(code, messageOf(err), exit));
      ws.close(closeCode, code);
    }
  };

  // The first message must be Initialize.
  const init = await new Promise<Initialize | undefined>((resolve) => {
    const timer = setTimeout(() => {
      fail(new BerthError('DEADLINE_EXCEEDED', 'No Initialize message received'), CLOSE.policy);
      resolve(undefined);
    }, o.clientTimeoutMs ?? CLIENT_TIMEOUT_MS);
    ws.once('message', (data: RawData, isBinary: boolean) => {
      clearTimeout(timer);
      lastSeen = Date.now();
      try {
        if (isBinary) throw new BerthError('INVALID_ARGUMENT', 'Initialize must come before any input');
        const msg = parseClientMessage(data.toString());
        if (msg.type !== 'initialize') throw new BerthError('INVALID_ARGUMENT', 'The first message must be Initialize');
        resolve(msg.init);
      } catch (err) {
        fail(err, CLOSE.policy);
        resolve(undefined);
      }
    });
    ws.once('close', () => resolve(undefined));
  });
  if (!init) return;

  // Input may arrive while the process is being started: hold it until there is a stdin.
  let proc: ExecSession | undefined;
  const early: Array<[RawData, boolean]> = [];
  let received = 0;
  let written = 0;
  const input = (data: RawData, isBinary: boolean): void => {
    if (!proc) {
      early.push([data, isBinary]);
      return;
    }
    const p = proc;
    if (isBinary) {
      // Bottlerocket's flow control: the client may be at most MAX_MESSAGES_OUTSTANDING ahead.
      if (++received - written > MAX_MESSAGES_OUTSTANDING) {
        ws.close(CLOSE.tooBig, 'write buffer full; obey capacity updates');
        return;
      }
      p.stdin.write(data as Buffer, () => {
        written++;
        if (written % CAPACITY_UPDATE_INTERVAL === 0 && ws.readyState === ws.OPEN) ws.send(capacityMessage(written));
      });
      return;
    }
    try {
      const msg = parseClientMessage(data.toString());
      if (msg.type === 'content-complete') void p.closeStdin().catch(() => undefined);
      else if (msg.type === 'winch' && init.tty) void p.resize(msg.size).catch(() => undefined);
      else if (msg.type === 'initialize') throw new BerthError('INVALID_ARGUMENT', 'Initialize was already sent');
    } catch (err) {
      fail(err, CLOSE.policy);
    }
  };
  ws.on('message', (data: RawData, isBinary: boolean) => {
    lastSeen = Date.now();
    input(data, isBinary);
  });

  const actor = await actorP;
  const base = { target: init.target, session, actor, command: init.command, tty: init.tty !== undefined };
  try {
    proc = await o.start(init);
  } catch (err) {
    log.warn({ target: init.target, err: messageOf(err) }, 'exec refused');
    await o.audit({ ...base, event: 'exec-refused', reason: messageOf(err) }).catch(() => undefined);
    fail(err);
    return;
  }
  const started = Date.now();
  log.info({ target: init.target, command: init.command, tty: base.tty, pid: proc.pid, actor }, 'exec started');
  for (const [data, isBinary] of early.splice(0)) input(data, isBinary);
  // Written alongside the session, not before it: the record is fsynced but the user does not wait.
  const startRecord = o.audit({ ...base, event: 'exec-start' }).catch((err) => log.error({ err: messageOf(err) }, 'audit write failed'));

  // Output → binary frames, pausing while the client lags behind.
  proc.output.on('data', (chunk: Buffer) => {
    if (ws.readyState !== ws.OPEN) return;
    ws.send(chunk, { binary: true });
    if (ws.bufferedAmount > SEND_HIGH_WATER) {
      proc.output.pause();
      const resume = setInterval(() => {
        if (ws.readyState !== ws.OPEN || ws.bufferedAmount < SEND_HIGH_WATER / 4) {
          clearInterval(resume);
          proc.output.resume();
        }
      }, 10);
    }
  });
  const outputDone = new Promise<void>((r) => {
    proc.output.once('end', r);
    proc.output.once('close', r);
  });

  // The client went away first (even while the process was starting): nothing it started may
  // outlive it.
  let exitCode: number | undefined;
  let disconnected = false;
  const running = proc;
  const onGone = () => {
    if (exitCode === undefined && !disconnected) {
      disconnected = true;
      o.killTree(running.pid);
    }
  };
  ws.on('close', onGone);
  if (ws.readyState === ws.CLOSING || ws.readyState === ws.CLOSED) onGone();

  exitCode = await proc.exited.catch(() => 255);
  // Everything the process wrote goes out before the exit code: release() ends the output.
  await proc.release().catch(() => undefined);
  await outputDone;
  const durationMs = Date.now() - started;
  if (ws.readyState === ws.OPEN) ws.close(CLOSE.normal, String(exitCode));
  log.info({ target: init.target, exitCode, durationMs, disconnected }, 'exec ended');
  await startRecord;
  await o.audit({ ...base, event: 'exec-end', exitCode, durationMs, ...(disconnected ? { disconnected } : {}) }).catch(() => undefined);
}
