import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StatusStore } from './status-store.js';
import type { ContainerState, ContainerStatus } from './status.js';

const status = (name: string, state: ContainerState): ContainerStatus => ({
  name,
  kind: 'host',
  desired: { enabled: state !== 'disabled', superpowered: false, source: 'oci-archive:/a.tar' },
  state,
  restarts: 0,
  since: '2026-01-01T00:00:00.000Z',
});

test('StatusStore.list() returns every status sorted by name', () => {
  const store = new StatusStore();
  store.set(status('control', 'running'));
  store.set(status('admin', 'disabled'));
  assert.deepEqual(store.list().map((s) => s.name), ['admin', 'control']);
  assert.equal(store.get('control')?.state, 'running');
  assert.equal(store.get('nosuch'), undefined);
});

test('StatusStore.subscribe() tells of changes and deletions, not of a status written again', () => {
  const store = new StatusStore();
  const heard: [string, ContainerState | undefined][] = [];
  store.subscribe((name, s) => heard.push([name, s?.state]));
  store.set(status('admin', 'pending'));
  store.set(status('admin', 'pending'));
  store.set(status('admin', 'running'));
  store.delete('admin');
  store.delete('admin');
  assert.deepEqual(heard, [['admin', 'pending'], ['admin', 'running'], ['admin', undefined]]);
});

test('StatusStore.subscribe() returns a function that stops the listener', () => {
  const store = new StatusStore();
  let calls = 0;
  const unsubscribe = store.subscribe(() => calls++);
  store.set(status('admin', 'pending'));
  unsubscribe();
  store.set(status('admin', 'running'));
  assert.equal(calls, 1);
  assert.equal(store.get('admin')?.state, 'running');
});
