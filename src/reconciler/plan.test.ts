import { test } from 'node:test';
import assert from 'node:assert/strict';
import { plan } from './plan.js';
import { userDataDigest } from '../lib/user-data-digest.js';
import type { ActualContainer, ActualState, DesiredContainer, DesiredState, TaskState } from './types.js';

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
const want = (container: DesiredContainer | undefined, userData?: Buffer): DesiredState => ({ container, userData });
const have = (container: ActualContainer | undefined, userDataDigest?: string): ActualState => ({ container, userDataDigest });

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
  for (const [name, d, a, steps] of cases) assert.deepEqual(plan(want(d), have(a)).steps, steps, name);
});

test('plan() stores user data as the settings have it, enabled or not, between a stop and a start', () => {
  const keys = Buffer.from('{"ssh":{}}');
  const stored = userDataDigest(keys);
  const cases: Array<[string, DesiredState, ActualState, string[]]> = [
    ['new container', want(desired(), keys), have(undefined), ['write-user-data', 'create', 'start']],
    ['stored as set', want(desired(), keys), have(actual('running'), stored), []],
    ['changed behind our back: rewritten, not restarted', want(desired(), keys), have(actual('running'), 'other'), ['write-user-data']],
    ['changed in settings', want(desired('h2'), keys), have(actual('running'), 'other'), ['stop', 'remove', 'write-user-data', 'create', 'start']],
    ['removed from settings', want(desired('h2')), have(actual('running'), stored), ['stop', 'remove', 'remove-user-data', 'create', 'start']],
    ['exited, data missing', want(desired(), keys), have(actual('stopped')), ['write-user-data', 'start']],
    ['disabled: kept', want(undefined, keys), have(undefined), ['write-user-data']],
    ['disabled while running', want(undefined, keys), have(actual('running')), ['stop', 'remove', 'write-user-data']],
    ['gone from settings', want(undefined), have(undefined, stored), ['remove-user-data']],
  ];
  for (const [name, d, a, steps] of cases) assert.deepEqual(plan(d, a).steps, steps, name);
});

test('plan() yields no steps once its steps ran', () => {
  const keys = Buffer.from('k');
  const cases: Array<[DesiredState, ActualState]> = [
    [want(desired(), keys), have(actual('running'), 'old')],
    [want(undefined, keys), have(undefined)],
    [want(undefined), have(actual('stopped'), 'old')],
  ];
  for (const [d, a] of cases) {
    assert.notDeepEqual(plan(d, a).steps, []);
    const after = have(d.container && actual('running', d.container.hash), d.userData && userDataDigest(d.userData));
    assert.deepEqual(plan(d, after).steps, []);
  }
});

test('plan() explains itself', () => {
  assert.match(plan(want(desired()), have({ ...actual('stopped'), exitCode: 3 })).reason, /exited with status 3/);
  assert.match(plan(want(undefined, Buffer.from('k')), have(undefined)).reason, /user data/);
  assert.match(plan(want(undefined), have(undefined, 'old')).reason, /user data/);
});
