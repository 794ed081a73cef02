import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Socket } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { messageOf } from '../errors/index.js';
import type { Logger } from '../lib/logger.js';
import type { AuditActor, AuditRecord } from '../audit/audit-log.js';
import { ExecSession, type SessionProcess } from './exec-session.js';
import { CLIENT_TIMEOUT_MS, HEARTBEAT_INTERVAL_MS, MAX_FRAME_BYTES, type Initialize } from './protocol.js';
import { SessionLimits } from './session-limits.js';
import { wsChannel } from './ws-channel.js';

export interface ExecServerOptions {
  /** Starts `init.command` in the container named `init.target` (BerthError when it cannot). */
  start(init: Initialize): Promise<SessionProcess>;
  /** Who is on the other end of the API socket. */
  peer(socket: Socket): Promise<AuditActor>;
  audit(record: Omit<AuditRecord, 'time'>): Promise<void>;
  logger: Logger;
  /** Bounds on open sessions. Default: DEFAULT_SESSION_LIMITS. */
  limits?: SessionLimits;
  heartbeatMs?: number;
  clientTimeoutMs?: number;
}

/** Input bytes waiting for stdin, and output bytes waiting for the client, per session. */
const INPUT_HIGH_WATER = 1 << 20;
const OUTPUT_HIGH_WATER = 1 << 20;

/** An upgrade request the API server has already checked: a valid path, and its method. */
export interface UpgradeRequest {
  req: IncomingMessage;
  socket: Duplex;
  head: Buffer;
}

/**
 * The `GET /exec` WebSocket endpoint (Bottlerocket's protocol, ./protocol.ts). Returns the handler
 * the API server calls for an upgrade of `/exec`. ws checks every frame (masking, opcodes, lengths
 * up to MAX_FRAME_BYTES, UTF-8, close codes) and closes a session that breaks the rules with the
 * matching close code; the session reports it and kills what it started.
 */
export function createExecUpgrade(options: ExecServerOptions): (upgrade: UpgradeRequest) => void {
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES, perMessageDeflate: false, clientTracking: false });
  const limits = options.limits ?? new SessionLimits();
  const log = options.logger;
  return ({ req, socket, head }) => {
    // Between the HTTP server letting go of the socket and ws taking it, an error must not be unhandled.
    socket.on('error', () => socket.destroy());
    const peer = options.peer(socket as Socket).catch(() => ({}));
    wss.handleUpgrade(req, socket, head, (ws: WebSocket) => {
      const session = new ExecSession(wsChannel(ws), {
        start: options.start,
        peer,
        audit: options.audit,
        limits,
        logger: log,
        heartbeatMs: options.heartbeatMs ?? HEARTBEAT_INTERVAL_MS,
        clientTimeoutMs: options.clientTimeoutMs ?? CLIENT_TIMEOUT_MS,
        inputHighWater: INPUT_HIGH_WATER,
        outputHighWater: OUTPUT_HIGH_WATER,
      });
      session.run().catch((err: unknown) => log.error({ err: messageOf(err) }, 'exec session failed'));
    });
  };
}
