import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough, Writable } from 'node:stream';
import { InputPump, type InputTarget } from './input-pump.js';
import { MemoryChannel } from './memory-channel.js';
import { CAPACITY_UPDATE_INTERVAL, CONTENT_COMPLETE, MAX_MESSAGES_OUTSTANDING, initializeMessage, winchMessage } from './protocol.js';

function target(stdin: Writable = new PassThrough()) {
  const calls: string[] = [];
  const t: InputTarget = {
    stdin,
    closeStdin: async () => {
      calls.push('closeStdin');
    },
    resize: async (s) => {
      calls.push(`resize ${s.rows}x${s.cols}`);
    },
  };
  return { t, calls };
}

/** A stdin that takes writes only when the test lets it (a process that does not read). */
function heldStdin(): Writable & { release(): void } {
  const held: Array<() => void> = [];
  const w = new Writable({
    highWaterMark: 16,
    write(_chunk, _enc, cb) {
      held.push(cb);
    },
  });
  return Object.assign(w, { release: () => held.splice(0).forEach((cb) => cb()) });
}

const tick = () => new Promise((r) => setImmediate(r));

test('InputPump sends a Capacity update every CAPACITY_UPDATE_INTERVAL written messages', async () => {
  const ch = new MemoryChannel();
  const stdin = new PassThrough();
  stdin.resume();
  const pump = new InputPump(target(stdin).t, ch, { tty: false, highWater: 1 << 20, violation: () => assert.fail('no violation') });
  for (let i = 0; i < CAPACITY_UPDATE_INTERVAL * 2; i++) pump.message(Buffer.from('x'), true);
  await tick();
  assert.deepEqual(ch.texts().map((t) => JSON.parse(t)), [
    { Capacity: { max_messages_outstanding: MAX_MESSAGES_OUTSTANDING, messages_written: CAPACITY_UPDATE_INTERVAL } },
    { Capacity: { max_messages_outstanding: MAX_MESSAGES_OUTSTANDING, messages_written: CAPACITY_UPDATE_INTERVAL * 2 } },
  ]);
});

test('InputPump closes with 1009 when the client runs past MAX_MESSAGES_OUTSTANDING unwritten messages', () => {
  const ch = new MemoryChannel();
  const violations: Array<[string, number]> = [];
  const pump = new InputPump(target(heldStdin()).t, ch, { tty: false, highWater: 1 << 30, violation: (e, c) => violations.push([e.message, c]) });
  for (let i = 0; i < MAX_MESSAGES_OUTSTANDING; i++) pump.message(Buffer.from('x'), true);
  assert.deepEqual(violations, []);
  pump.message(Buffer.from('x'), true);
  assert.deepEqual(violations, [['write buffer full; obey capacity updates', 1009]]);
});

test('InputPump stops reading the client while stdin holds more than highWater bytes, and resumes when it drains', async () => {
  const ch = new MemoryChannel();
  const stdin = heldStdin();
  const pump = new InputPump(target(stdin).t, ch, { tty: false, highWater: 100, violation: () => assert.fail('no violation') });
  pump.message(Buffer.alloc(60), true);
  assert.equal(ch.paused, false);
  pump.message(Buffer.alloc(60), true);
  assert.equal(ch.paused, true, 'paused past 100 unwritten bytes');
  stdin.release();
  await tick();
  stdin.release();
  await tick();
  assert.equal(ch.paused, false, 'resumed on drain');
});

test('InputPump resumes the client when stdin is gone, so a dead process never holds the connection paused', async () => {
  const ch = new MemoryChannel();
  const stdin = heldStdin();
  const pump = new InputPump(target(stdin).t, ch, { tty: false, highWater: 10, violation: () => undefined });
  pump.message(Buffer.alloc(60), true);
  assert.equal(ch.paused, true);
  stdin.destroy();
  await tick();
  assert.equal(ch.paused, false);
});

test('InputPump: ContentComplete closes stdin once and later input is dropped; Winch resizes only a terminal', async () => {
  const ch = new MemoryChannel();
  const stdin = new PassThrough();
  const { t, calls } = target(stdin);
  const pump = new InputPump(t, ch, { tty: false, highWater: 1 << 20, violation: () => assert.fail('no violation') });
  pump.message(Buffer.from('abc'), true);
  pump.message(Buffer.from(winchMessage({ rows: 5, cols: 6 })), false);
  pump.message(Buffer.from(CONTENT_COMPLETE), false);
  pump.message(Buffer.from('late'), true);
  await tick();
  assert.deepEqual(calls, ['closeStdin']);
  assert.equal(stdin.read()?.toString(), 'abc');

  const tty = target();
  const withTty = new InputPump(tty.t, new MemoryChannel(), { tty: true, highWater: 1 << 20, violation: () => assert.fail('no violation') });
  withTty.message(Buffer.from(winchMessage({ rows: 5, cols: 6 })), false);
  await tick();
  assert.deepEqual(tty.calls, ['resize 5x6']);
});

test('InputPump reports a second Initialize, bad JSON and unknown messages as policy violations (1008)', () => {
  const violations: Array<[string, number]> = [];
  const pump = new InputPump(target().t, new MemoryChannel(), { tty: false, highWater: 1 << 20, violation: (e, c) => violations.push([e.message, c]) });
  pump.message(Buffer.from(initializeMessage({ command: ['sh'], target: 'admin' })), false);
  pump.message(Buffer.from('{nope'), false);
  pump.message(Buffer.from('{"Resize":1}'), false);
  assert.deepEqual(violations, [
    ['Initialize was already sent', 1008],
    ['Invalid control message: not JSON', 1008],
    ['Unknown control message', 1008],
  ]);
});
