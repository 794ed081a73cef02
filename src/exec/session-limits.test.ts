import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SessionLimits } from './session-limits.js';
import { BerthError } from '../errors/index.js';

test('SessionLimits.acquire() refuses past the per-target bound with a message naming the target', () => {
  const limits = new SessionLimits({ perTarget: 2, total: 10 });
  limits.acquire('admin');
  limits.acquire('admin');
  assert.throws(
    () => limits.acquire('admin'),
    (e: unknown) => BerthError.is(e) && e.code === 'UNAVAILABLE' && /into 'admin' \(limit 2\)/.test(e.message),
  );
  limits.acquire('control');
  assert.equal(limits.open, 3);
});

test('SessionLimits.acquire() refuses past the total bound, and a release makes room once', () => {
  const limits = new SessionLimits({ perTarget: 5, total: 2 });
  const a = limits.acquire('a');
  limits.acquire('b');
  assert.throws(() => limits.acquire('c'), /Too many exec sessions open \(limit 2\)/);
  a();
  a();
  assert.equal(limits.open, 1);
  limits.acquire('c');
  assert.throws(() => limits.acquire('c'), /limit 2/);
});
