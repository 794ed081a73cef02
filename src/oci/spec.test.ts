import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compose, defaultSpec, generateSpec, DEFAULT_CAPABILITIES } from './spec.js';

test('defaultSpec() is containerd\'s default Linux spec with berth\'s cgroup parent', () => {
  const s = defaultSpec({ namespace: 'default', id: 'c1', cgroupParent: '/berth/host' });
  assert.equal(s.linux.cgroupsPath, '/berth/host/c1');
  assert.equal(defaultSpec({ namespace: 'ns', id: 'c1' }).linux.cgroupsPath, '/ns/c1');
  assert.deepEqual(s.process.capabilities.bounding, DEFAULT_CAPABILITIES);
  assert.equal(s.process.capabilities.bounding.length, 14);
  assert.deepEqual(s.linux.namespaces.map((n) => n.type), ['pid', 'ipc', 'uts', 'mount', 'network']);
  assert.equal(s.process.noNewPrivileges, true);
  assert.deepEqual(s.linux.resources.devices, [{ allow: false, access: 'rwm' }]);
  assert.ok(s.mounts.some((m) => m.destination === '/sys' && m.options?.includes('ro')));
});

test('compose() applies options in order and rejects non-functions', () => {
  const s = generateSpec({ namespace: 'n', id: 'x' }, compose((sp) => (sp.hostname = 'a'), (sp) => (sp.hostname = 'b')));
  assert.equal(s.hostname, 'b');
  assert.throws(() => compose((() => undefined), 42 as never), TypeError);
});

test('generateSpec() returns a fresh object each time', () => {
  const a = generateSpec({ namespace: 'n', id: 'x' });
  a.process.capabilities.bounding.push('CAP_SYS_ADMIN');
  assert.ok(!generateSpec({ namespace: 'n', id: 'x' }).process.capabilities.bounding.includes('CAP_SYS_ADMIN'));
});
