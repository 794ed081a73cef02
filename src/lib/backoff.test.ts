import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Backoff, backoffDelay } from './backoff.js';

test('backoffDelay() doubles from the base and stops at the cap', () => {
  const noJitter = { baseMs: 100, maxMs: 1000, jitter: 0 };
  assert.deepEqual([0, 1, 2, 3, 4, 5].map((a) => backoffDelay(a, noJitter)), [100, 200, 400, 800, 1000, 1000]);
});

test('backoffDelay() spreads the delay by the jitter fraction', () => {
  assert.equal(backoffDelay(0, { baseMs: 1000, jitter: 0.5, random: () => 0 }), 750);
  assert.equal(backoffDelay(0, { baseMs: 1000, jitter: 0.5, random: () => 0.999999 }), 1250);
});

test('backoffDelay() rejects a negative attempt', () => {
  assert.throws(() => backoffDelay(-1), RangeError);
});

test('Backoff grows on repeated failures and resets after a stable run', () => {
  const b = new Backoff({ baseMs: 10, maxMs: 1000, jitter: 0, resetAfterMs: 5000 });
  b.started(0);
  assert.equal(b.failed(100), 10);
  b.started(200);
  assert.equal(b.failed(300), 20);
  b.started(400);
  assert.equal(b.failed(500), 40);
  b.started(1000);
  assert.equal(b.failed(7000), 10, 'ran 6 s > 5 s, so the count starts over');
  assert.equal(b.attempts, 1);
});
