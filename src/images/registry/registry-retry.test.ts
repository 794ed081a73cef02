import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isTransient, withRetries } from './registry-retry.js';
import { BerthError } from '../../errors/index.js';

const noWait = async () => undefined;

test('withRetries() retries transient failures with growing delays, then succeeds', async () => {
  const delays: number[] = [];
  let calls = 0;
  const result = await withRetries(
    async () => {
      calls++;
      if (calls < 4) throw new BerthError('UNAVAILABLE', 'connection refused');
      return 'ok';
    },
    { attempts: 6, baseMs: 100, maxMs: 1000, jitter: 0 },
    { sleep: noWait, onRetry: ({ delayMs }) => delays.push(delayMs) },
  );
  assert.equal(result, 'ok');
  assert.deepEqual(delays, [100, 200, 400]);
});

test('withRetries() gives up after the attempts allowed and rethrows the last error', async () => {
  let calls = 0;
  await assert.rejects(
    withRetries(async () => {
      calls++;
      throw new BerthError('UNAVAILABLE', `down ${calls}`);
    }, { attempts: 3, baseMs: 1 }, { sleep: noWait }),
    /down 3/,
  );
  assert.equal(calls, 3);
});

test('withRetries() does not retry what asking again cannot fix', async () => {
  for (const code of ['NOT_FOUND', 'PERMISSION_DENIED', 'FAILED_PRECONDITION', 'INVALID_ARGUMENT'] as const) {
    let calls = 0;
    await assert.rejects(
      withRetries(async () => {
        calls++;
        throw new BerthError(code, 'no');
      }, { attempts: 5 }, { sleep: noWait }),
    );
    assert.equal(calls, 1, code);
  }
  assert.ok(isTransient(new BerthError('DEADLINE_EXCEEDED', 'slow')));
  assert.ok(!isTransient(new Error('plain')));
});

test('withRetries() stops waiting when the signal aborts', async () => {
  const controller = new AbortController();
  const running = withRetries(async () => {
    throw new BerthError('UNAVAILABLE', 'down');
  }, { attempts: 5, baseMs: 60_000 }, { signal: controller.signal });
  setImmediate(() => controller.abort());
  await assert.rejects(running, (e: unknown) => BerthError.is(e) && e.code === 'CANCELED');
});
