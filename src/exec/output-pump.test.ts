import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { OutputPump } from './output-pump.js';
import { MemoryChannel } from './memory-channel.js';

const tick = () => new Promise((r) => setImmediate(r));

test('OutputPump sends each chunk as a binary frame and is done when the output ends', async () => {
  const ch = new MemoryChannel();
  const out = new PassThrough();
  const pump = new OutputPump(out, ch, { highWater: 1 << 20 });
  out.write('hello ');
  out.end('world');
  await pump.done;
  assert.equal(ch.binary().toString(), 'hello world');
});

test('OutputPump pauses the output while the client lags past highWater and resumes at a quarter of it', async () => {
  const ch = new MemoryChannel();
  ch.autoComplete = false;
  const out = new PassThrough();
  new OutputPump(out, ch, { highWater: 100 });
  out.write(Buffer.alloc(80));
  await tick();
  assert.equal(out.isPaused(), false);
  out.write(Buffer.alloc(80));
  await tick();
  assert.equal(out.isPaused(), true, 'paused with 160 bytes unsent');
  ch.completeSends();
  assert.equal(out.isPaused(), false, 'resumed once the socket took them');
});

test('OutputPump drains and drops the output once the client is gone, so the process never blocks on it', async () => {
  const ch = new MemoryChannel();
  ch.autoComplete = false;
  const out = new PassThrough();
  const pump = new OutputPump(out, ch, { highWater: 10 });
  out.write(Buffer.alloc(50));
  await tick();
  assert.equal(out.isPaused(), true);
  ch.clientGone();
  assert.equal(out.isPaused(), false);
  out.end(Buffer.alloc(1 << 20));
  await pump.done;
  assert.equal(ch.binary().length, 50, 'nothing sent after the client left');
});
