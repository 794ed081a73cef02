import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WorkQueue } from './work-queue.js';

const tick = () => new Promise((r) => setImmediate(r));

test('WorkQueue dedupes keys that are already queued', async () => {
  const seen: string[] = [];
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const q = new WorkQueue({
    concurrency: 1,
    handler: async (k) => {
      seen.push(k);
      if (k === 'a') await gate;
    },
  });
  q.add('a'); // runs, held at the gate
  q.add('b');
  q.add('b');
  q.add('c');
  q.add('b');
  assert.deepEqual(q.pending.queued, ['b', 'c']);
  release();
  await q.idle();
  assert.deepEqual(seen, ['a', 'b', 'c']);
});

test('WorkQueue never runs one key twice at once and re-runs a key added while it runs', async () => {
  let running = 0;
  let maxRunning = 0;
  let runs = 0;
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const q = new WorkQueue({
    concurrency: 4,
    handler: async () => {
      running++;
      maxRunning = Math.max(maxRunning, running);
      runs++;
      if (runs === 1) await gate;
      running--;
    },
  });
  q.add('k');
  await tick();
  q.add('k'); // while running: marked dirty
  q.add('k');
  release();
  await q.idle();
  await tick();
  await q.idle();
  assert.equal(maxRunning, 1);
  assert.equal(runs, 2, 'one re-run for any number of adds during the run');
});

test('WorkQueue retries a failing key with growing backoff and resets on success', async (t) => {
  t.mock.timers.enable({ apis: ['setTimeout', 'Date'] });
  const delays: number[] = [];
  let calls = 0;
  const q = new WorkQueue({
    retry: { baseMs: 100, maxMs: 1000, jitter: 0 },
    handler: async () => {
      calls++;
      if (calls <= 3) throw new Error('boom');
    },
    onError: (_k, _e, ms) => delays.push(ms),
  });
  q.add('x');
  for (let i = 0; i < 10; i++) {
    await tick();
    t.mock.timers.tick(1000);
  }
  await q.idle();
  assert.deepEqual(delays, [100, 200, 400]);
  assert.equal(calls, 4);
});

test('WorkQueue honours requeueAfterMs and add() pre-empts a planned run', async (t) => {
  t.mock.timers.enable({ apis: ['setTimeout', 'Date'] });
  let calls = 0;
  const q = new WorkQueue({
    handler: async () => {
      calls++;
      return calls === 1 ? { requeueAfterMs: 5000 } : {};
    },
  });
  q.add('x');
  await tick();
  await q.idle();
  assert.deepEqual(q.pending.delayed, ['x']);
  t.mock.timers.tick(4999);
  await tick();
  assert.equal(calls, 1);
  q.add('x'); // an event arrives: run now, not at 5 s
  await tick();
  await q.idle();
  assert.equal(calls, 2);
  assert.deepEqual(q.pending.delayed, []);
  await q.stop();
  q.add('y');
  assert.deepEqual(q.pending.queued, [], 'a stopped queue takes no work');
});
