import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { chainIds } from './chain-id.js';

test('chainIds() keeps the first diff ID and hashes "<prev> <diff>" for the rest', () => {
  const a = 'sha256:' + 'a'.repeat(64);
  const b = 'sha256:' + 'b'.repeat(64);
  const expected = 'sha256:' + createHash('sha256').update(`${a} ${b}`).digest('hex');
  assert.deepEqual(chainIds([a, b]), [a, expected]);
  assert.deepEqual(chainIds([]), []);
});
