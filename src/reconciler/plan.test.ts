import { test } from 'node:test';
import assert from 'node:assert/strict';
import { plan } from './plan.js';
import type { ActualContainer, DesiredContainer, TaskState } from './types.js';

const desired = (hash = 'h1'): DesiredContainer => ({
  name: 'admin',
  kind: 'host',
  source: 'oci-archive:/a.tar',
  superpowered: true,
  userData: undefined,
  resources: {},
  command: [],
  environment: {},
  apiAccess: 'admin',
  registry: {},
  hash,
});
const actual = (task: TaskState, hash = 'h1'): ActualContainer => ({ name: 'admin', kind: 'host', id: 'admin', hash, task });

test('plan() covers every combination of desired and actual state', () => {
  const cases: Array<[string, DesiredContainer | undefined, ActualContainer | undefined, string[]]> = [
    ['nothing to do', undefined, undefined, []],
    ['disabled while running', undefined, actual('running'), ['stop', 'remove']],
    ['disabled, already stopped', undefined, actual('stopped'), ['stop', 'remove']],
    ['enabled, absent', desired(), undefined, ['create', 'start']],
    ['settings changed', desired('h2'), actual('running'), ['stop', 'remove', 'create', 'start']],
    ['settings changed while stopped', desired('h2'), actual('stopped'), ['stop', 'remove', 'create', 'start']],
    ['running as wanted', desired(), actual('running'), []],
    ['paused is left alone', desired(), actual('paused'), []],
    ['created, not started', desired(), actual('created'), ['start']],
    ['exited', desired(), actual('stopped'), ['start']],
    ['task deleted behind our back', desired(), actual('none'), ['start']],
  ];
  for (const [name, d, a, steps] of cases) assert.deepEqual(plan(d, a).steps, steps, name);
});

test('plan() explains itself', () => {
  assert.match(plan(desired(), { ...actual('stopped'), exitCode: 3 }).reason, /exited with status 3/);
});
