import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compare, median } from './harness.js';

test('median() of odd and even samples', () => {
  assert.equal(median([3, 1, 2]), 2);
  assert.equal(median([4, 1, 2, 3]), 2.5);
});

test('compare() alternates, discards warmup and resets after every call', async () => {
  const order: string[] = [];
  const r = await compare({
    name: 'x',
    reference: 'y',
    runs: 2,
    warmup: 1,
    berth: async () => void order.push('b'),
    ref: async () => void order.push('r'),
    reset: async () => void order.push('-'),
  });
  assert.equal(r.samples.length, 2);
  assert.deepEqual(order.join(''), 'b-r-r-b-b-r-');
});
