import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pullRetryMessage } from './pull-retry-message.js';

test('pullRetryMessage() names the reference, the registry, the attempt and the next one', () => {
  const message = pullRetryMessage('127.0.0.1:1/team/box:v1', { attempt: 2, delayMs: 4000, reason: 'connect ECONNREFUSED 127.0.0.1:1' }, new Date('2026-01-01T00:00:00Z'));
  assert.equal(
    message,
    'Cannot pull 127.0.0.1:1/team/box:v1 from registry 127.0.0.1:1: attempt 2 failed (connect ECONNREFUSED 127.0.0.1:1); next attempt at 2026-01-01T00:00:04.000Z',
  );
});
