import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runLimited } from './fetch-tree.js';

test('runLimited() keeps at most `limit` in flight', async () => {
  let running = 0;
  let max = 0;
  await runLimited([1, 2, 3, 4, 5, 6], 2, async () => {
    running++;
    max = Math.max(max, running);
    await new Promise((r) => setTimeout(r, 5));
    running--;
  });
  assert.equal(max, 2);
});

test('runLimited() starts nothing after a failure and rejects once the running items settled', async () => {
  const started: number[] = [];
  let settled = 0;
  await assert.rejects(
    runLimited([1, 2, 3, 4, 5], 2, async (n) => {
      started.push(n);
      await new Promise((r) => setTimeout(r, n === 1 ? 1 : 20));
      settled++;
      if (n === 1) throw new Error('boom');
    }),
    /boom/,
  );
  assert.deepEqual(started, [1, 2], 'nothing new after item 1 failed');
  assert.equal(settled, 2, 'item 2 finished before the rejection');
});
