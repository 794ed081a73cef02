import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bootstrapStatuses } from './bootstrap-status.js';
import type { BootstrapRun } from './bootstrap.js';

test('bootstrapStatuses() reports every bootstrap container in settings by its run in this boot', () => {
  const runs = new Map<string, BootstrapRun>([
    ['done', { startedAt: '2026-01-01T00:00:00.000Z', result: 'ok', exitCode: 0, exitedAt: '2026-01-01T00:00:02.000Z' }],
    ['broken', { startedAt: '2026-01-01T00:00:00.000Z', result: 'failed', exitCode: 3, exitedAt: '2026-01-01T00:00:01.000Z', reason: 'exited with status 3' }],
    ['slow', { startedAt: '2026-01-01T00:00:00.000Z', result: 'timeout', reason: 'did not finish within 600 s' }],
    ['busy', { startedAt: '2026-01-01T00:00:00.000Z' }],
  ]);
  const statuses = bootstrapStatuses(
    {
      'bootstrap-containers': {
        slow: { mode: 'always' },
        done: { mode: 'off', source: 'x' },
        broken: { mode: 'always', essential: true },
        busy: { mode: 'once' },
        idle: {},
        later: { mode: 'always' },
      },
    },
    runs,
  );
  assert.deepEqual(
    statuses.map((s) => [s.name, s.mode, s.state, s.lastExit?.code, s.error]),
    [
      ['broken', 'always', 'failed', 3, 'exited with status 3'],
      ['busy', 'once', 'running', undefined, undefined],
      ['done', 'off', 'succeeded', 0, undefined],
      ['idle', 'off', 'off', undefined, undefined],
      ['later', 'always', 'pending', undefined, undefined],
      ['slow', 'always', 'timed-out', undefined, 'did not finish within 600 s'],
    ],
  );
  assert.deepEqual(statuses[2], {
    name: 'done',
    kind: 'bootstrap',
    mode: 'off',
    essential: false,
    source: 'x',
    state: 'succeeded',
    startedAt: '2026-01-01T00:00:00.000Z',
    lastExit: { code: 0, at: '2026-01-01T00:00:02.000Z' },
  });
});
