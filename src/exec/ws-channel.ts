import type { RawData, WebSocket } from 'ws';
import type { ExecChannel } from './channel.js';

/**
 * The close code ws sends for each protocol violation it detects in a client's frames (its
 * receiver picks the code; ws gives it to us only as the error's `code`).
 */
const CLOSE_CODE_OF_WS_ERROR: Record<string, number> = {
  WS_ERR_EXPECTED_FIN: 1002,
  WS_ERR_EXPECTED_MASK: 1002,
  WS_ERR_INVALID_CLOSE_CODE: 1002,
  WS_ERR_INVALID_CONTROL_PAYLOAD_LENGTH: 1002,
  WS_ERR_INVALID_OPCODE: 1002,
  WS_ERR_UNEXPECTED_MASK: 1002,
  WS_ERR_UNEXPECTED_RSV_1: 1002,
  WS_ERR_UNEXPECTED_RSV_2_3: 1002,
  WS_ERR_INVALID_UTF8: 1007,
  WS_ERR_TOO_MANY_BUFFERED_PARTS: 1008,
  WS_ERR_UNSUPPORTED_DATA_PAYLOAD_LENGTH: 1009,
  WS_ERR_UNSUPPORTED_MESSAGE_LENGTH: 1009,
};

/** A close reason fits in a control frame: at most 123 bytes of UTF-8. */
function closeReason(reason: string): string {
  let r = reason;
  while (Buffer.byteLength(r) > 123) r = r.slice(0, -1);
  return r;
}

function toBuffer(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}

/** An ExecChannel over a server-side ws WebSocket. */
export function wsChannel(ws: WebSocket): ExecChannel {
  return {
    send(data, sent) {
      ws.send(data, { binary: typeof data !== 'string' }, sent);
    },
    close(code, reason) {
      if (ws.readyState === ws.OPEN) ws.close(code, closeReason(reason));
    },
    terminate: () => ws.terminate(),
    pause: () => ws.pause(),
    resume: () => ws.resume(),
    ping() {
      if (ws.readyState === ws.OPEN) ws.ping();
    },
    get isOpen() {
      return ws.readyState === ws.OPEN;
    },
    onMessage(listener) {
      ws.on('message', (data: RawData, isBinary: boolean) => listener(toBuffer(data), isBinary));
    },
    onActivity(listener) {
      ws.on('message', () => listener());
      ws.on('pong', () => listener());
    },
    onClose(listener) {
      ws.on('close', (code: number) => listener(code));
    },
    onError(listener) {
      ws.on('error', (err: Error & { code?: string }) => listener(err, err.code === undefined ? undefined : CLOSE_CODE_OF_WS_ERROR[err.code]));
    },
  };
}
