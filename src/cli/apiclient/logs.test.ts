import { test } from 'node:test';
import assert from 'node:assert/strict';
import { notRunningNote } from './logs.js';
import type { ContainerStatus } from '../../reconciler/status.js';

const host = (state: ContainerStatus['state'], error?: string): ContainerStatus => ({
  name: 'box',
  kind: 'host',
  desired: { enabled: true, superpowered: false, source: 'x' },
  state,
  restarts: 0,
  since: '2026-01-01T00:00:00Z',
  ...(error ? { error } : {}),
});

test('notRunningNote() says why a container is not running, and nothing while it runs', () => {
  assert.equal(notRunningNote('box', host('running')), undefined);
  assert.equal(notRunningNote('box', host('pulling', 'Cannot pull x')), 'apiclient: box is not running: pulling (Cannot pull x)\n');
  assert.equal(notRunningNote('box', host('disabled')), 'apiclient: box is not running: disabled\n');
  const boot = { name: 'setup', kind: 'bootstrap', mode: 'always', essential: true, source: 'x' } as const;
  assert.equal(notRunningNote('boot.setup', { ...boot, state: 'succeeded' }), undefined);
  assert.equal(notRunningNote('boot.setup', { ...boot, state: 'failed', error: 'exited with status 1' }), 'apiclient: boot.setup is not running: failed (exited with status 1)\n');
});
