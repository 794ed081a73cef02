import { randomBytes } from 'node:crypto';
import net from 'node:net';

/**
 * A WebSocket client that writes exactly the bytes a test asks for, malformed ones included (a
 * library client refuses to send them), and reads the server's frames.
 */
export interface FrameSpec {
  opcode: number;
  payload?: Buffer;
  fin?: boolean;
  rsv1?: boolean;
  /** Clients must mask; false sends an unmasked frame. Default true. */
  mask?: boolean;
  /** Declare this length instead of the payload's (a lie, for length checks). */
  declaredLength?: bigint;
}

export const OPCODE = { continuation: 0x0, text: 0x1, binary: 0x2, close: 0x8, ping: 0x9, pong: 0xa } as const;

export function frame(spec: FrameSpec): Buffer {
  const payload = spec.payload ?? Buffer.alloc(0);
  const length = spec.declaredLength ?? BigInt(payload.length);
  const mask = spec.mask !== false;
  const head = [((spec.fin === false ? 0 : 0x80) | (spec.rsv1 ? 0x40 : 0) | spec.opcode) & 0xff];
  let ext = Buffer.alloc(0);
  if (length < 126n) head.push((mask ? 0x80 : 0) | Number(length));
  else if (length < 65536n) {
    head.push((mask ? 0x80 : 0) | 126);
    ext = Buffer.alloc(2);
    ext.writeUInt16BE(Number(length));
  } else {
    head.push((mask ? 0x80 : 0) | 127);
    ext = Buffer.alloc(8);
    ext.writeBigUInt64BE(length);
  }
  if (!mask) return Buffer.concat([Buffer.from(head), ext, payload]);
  const key = randomBytes(4);
  const masked = Buffer.from(payload);
  for (let i = 0; i < masked.length; i++) masked[i]! ^= key[i % 4]!;
  return Buffer.concat([Buffer.from(head), ext, key, masked]);
}

export const text = (s: string | Buffer): Buffer => frame({ opcode: OPCODE.text, payload: Buffer.from(s) });
export const binary = (b: Buffer | string): Buffer => frame({ opcode: OPCODE.binary, payload: Buffer.from(b) });

export interface ServerFrame {
  opcode: number;
  payload: Buffer;
}

export interface RawWebSocket {
  socket: net.Socket;
  write(bytes: Buffer): void;
  /** Frames received so far. */
  frames: ServerFrame[];
  /** The server's close frame: its code and reason, once it arrived (or undefined at end of connection without one). */
  closed: Promise<{ code: number; reason: string } | undefined>;
  /** Binary payloads so far, concatenated. */
  output(): Buffer;
  texts(): string[];
}

/** Opens `GET path` on a Unix socket and completes the WebSocket handshake. */
export function connectRaw(socketPath: string, path = '/exec'): Promise<RawWebSocket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(socketPath);
    const key = randomBytes(16).toString('base64');
    let buf = Buffer.alloc(0);
    let upgraded = false;
    const frames: ServerFrame[] = [];
    let settleClosed!: (v: { code: number; reason: string } | undefined) => void;
    const closed = new Promise<{ code: number; reason: string } | undefined>((r) => (settleClosed = r));
    socket.on('error', (err) => (upgraded ? settleClosed(undefined) : reject(err)));
    socket.on('close', () => settleClosed(undefined));
    socket.on('connect', () => {
      socket.write(`GET ${path} HTTP/1.1\r\nhost: localhost\r\nconnection: Upgrade\r\nupgrade: websocket\r\nsec-websocket-version: 13\r\nsec-websocket-key: ${key}\r\n\r\n`);
    });
    socket.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      if (!upgraded) {
        const end = buf.indexOf('\r\n\r\n');
        if (end === -1) return;
        const head = buf.subarray(0, end).toString();
        buf = buf.subarray(end + 4);
        if (!/^HTTP\/1\.1 101 /.test(head)) {
          socket.destroy();
          reject(new Error(`upgrade refused: ${head.split('\r\n')[0]}`));
          return;
        }
        upgraded = true;
        resolve(ws);
      }
      for (;;) {
        const f = parseFrame(buf);
        if (!f) break;
        buf = buf.subarray(f.size);
        frames.push({ opcode: f.opcode, payload: f.payload });
        if (f.opcode === OPCODE.close) {
          const code = f.payload.length >= 2 ? f.payload.readUInt16BE(0) : 1005;
          settleClosed({ code, reason: f.payload.subarray(2).toString() });
        }
      }
    });
    const ws: RawWebSocket = {
      socket,
      write: (bytes) => {
        if (!socket.destroyed) socket.write(bytes);
      },
      frames,
      closed,
      output: () => Buffer.concat(frames.filter((f) => f.opcode === OPCODE.binary).map((f) => f.payload)),
      texts: () => frames.filter((f) => f.opcode === OPCODE.text).map((f) => f.payload.toString()),
    };
  });
}

/** One unmasked server frame at the start of `buf`, or undefined when more bytes are needed. */
function parseFrame(buf: Buffer): { opcode: number; payload: Buffer; size: number } | undefined {
  if (buf.length < 2) return undefined;
  const opcode = buf[0]! & 0x0f;
  let len = buf[1]! & 0x7f;
  let offset = 2;
  if (len === 126) {
    if (buf.length < 4) return undefined;
    len = buf.readUInt16BE(2);
    offset = 4;
  } else if (len === 127) {
    if (buf.length < 10) return undefined;
    len = Number(buf.readBigUInt64BE(2));
    offset = 10;
  }
  if (buf.length < offset + len) return undefined;
  return { opcode, payload: buf.subarray(offset, offset + len), size: offset + len };
}
