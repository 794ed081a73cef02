import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startBerthd, until, type BerthdProcess } from '../helpers/berthd-process.js';
import { makeTempRoot } from '../helpers/temp-root.js';
import { testImagesDir } from '../helpers/test-images-dir.js';
import { pidsRunning } from '../helpers/process-scan.js';
import { binary, connectRaw, frame, OPCODE, text } from '../helpers/raw-websocket.js';
import { initializeMessage } from '../../src/exec/protocol.js';
import type { AuditRecord } from '../../src/audit/audit-log.js';

let berthd: BerthdProcess;
before(async () => {
  const root = await makeTempRoot('bwsf');
  berthd = await startBerthd({ root, args: ['--images-dir', await testImagesDir(root)] });
  await until('control running', async () => (await berthd.get<{ state: string }>('/host-containers/control')).state === 'running');
});
after(async () => {
  await berthd?.cleanup();
});

const closeFrame = (code: number) => {
  const p = Buffer.alloc(2);
  p.writeUInt16BE(code);
  return frame({ opcode: OPCODE.close, payload: p });
};

/** Each malformed frame, sent raw, and the close code RFC 6455 asks for. */
const CASES: Array<{ name: string; bytes: () => Buffer; code: number; beforeInitialize?: boolean }> = [
  { name: 'an oversized text frame before Initialize', bytes: () => text(Buffer.alloc(2 << 20, 0x61)), code: 1009, beforeInitialize: true },
  { name: 'a 16 MiB binary frame', bytes: () => frame({ opcode: OPCODE.binary, payload: Buffer.alloc(64 << 10), declaredLength: 16n << 20n }), code: 1009 },
  { name: 'an absurd 64-bit length', bytes: () => frame({ opcode: OPCODE.binary, payload: Buffer.alloc(16), declaredLength: 1n << 62n }), code: 1009 },
  { name: 'an unmasked client frame', bytes: () => frame({ opcode: OPCODE.binary, payload: Buffer.from('x'), mask: false }), code: 1002 },
  { name: 'a reserved opcode', bytes: () => frame({ opcode: 0x3, payload: Buffer.from('x') }), code: 1002 },
  { name: 'RSV1 without an extension', bytes: () => frame({ opcode: OPCODE.binary, payload: Buffer.from('x'), rsv1: true }), code: 1002 },
  { name: 'a fragmented ping', bytes: () => frame({ opcode: OPCODE.ping, payload: Buffer.from('x'), fin: false }), code: 1002 },
  { name: 'invalid UTF-8 in a text frame', bytes: () => text(Buffer.from([0x22, 0xc3, 0x28, 0x22])), code: 1007 },
  { name: 'a continuation without a start', bytes: () => frame({ opcode: OPCODE.continuation, payload: Buffer.from('x') }), code: 1002 },
  { name: 'close code 999', bytes: () => closeFrame(999), code: 1002 },
  { name: 'a 200-byte control frame', bytes: () => frame({ opcode: OPCODE.ping, payload: Buffer.alloc(200) }), code: 1002 },
];

test('a malformed WebSocket frame closes only its own session, with the right code; berthd lives on and no process is left', async () => {
  const pid = berthd.child.pid;
  for (const [i, c] of CASES.entries()) {
    const marker = `sleep ${7100 + i}`;
    const ws = await connectRaw(berthd.paths.apiSocket);
    if (!c.beforeInitialize) {
      ws.write(text(initializeMessage({ command: marker.split(' '), target: 'control' })));
      await until(`'${marker}' running in control (${c.name})`, () => pidsRunning(marker).length === 1, 10_000);
    }
    ws.write(c.bytes());
    const closed = await Promise.race([ws.closed, new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 10_000))]);
    assert.notEqual(closed, 'timeout', `${c.name}: no close frame within 10 s`);
    assert.equal(closed === 'timeout' ? closed : closed?.code, c.code, `${c.name}: close code`);
    ws.socket.destroy();
    await until(`'${marker}' gone after ${c.name}`, () => pidsRunning(marker).length === 0, 10_000);
    assert.equal(berthd.child.exitCode, null, `berthd still running after ${c.name}`);
    assert.equal(berthd.child.pid, pid);
  }
  // Still the same daemon, answering.
  assert.equal((await berthd.apiclient('get', 'host-containers.control.enabled')).code, 0);
  const audit = JSON.parse((await berthd.apiclient('audit', '--json')).stdout) as AuditRecord[];
  const ends = audit.filter((r) => r.event === 'exec-end');
  assert.equal(ends.length, CASES.length - 1, 'every started session has its end audited');
  for (const end of ends) {
    assert.equal(end.disconnected, true);
    assert.match(end.reason ?? '', /\(closed with 100[279]\)$/, JSON.stringify(end));
  }
});

test('frames that arrive in one packet with Initialize all reach the process: input and EOF before it starts', async () => {
  const ws = await connectRaw(berthd.paths.apiSocket);
  const input = Buffer.alloc(180, 0x7a);
  ws.write(Buffer.concat([text(initializeMessage({ command: ['cat'], target: 'control' })), binary(input), text('"ContentComplete"')]));
  const closed = await Promise.race([ws.closed, new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 10_000))]);
  assert.deepEqual(closed, { code: 1000, reason: '0' });
  assert.deepEqual(ws.output(), input);
});
