import { test } from 'node:test';
import assert from 'node:assert/strict';
import { containerIdOf } from '../runtime/container-id.js';
import { callerInContainer, containerIdInCgroups } from './caller-container.js';

const V1 = ['12:pids:/berth-1a2b3c4d/host/ro', '4:memory:/berth-1a2b3c4d/host/ro', '1:name=systemd:/berth-1a2b3c4d/host/ro', '0::/', ''].join('\n');

test('containerIdInCgroups() finds the container id under the parent, in cgroup v1 and v2, nested cgroups too', () => {
  assert.equal(containerIdInCgroups(V1, '/berth-1a2b3c4d/host'), 'ro');
  assert.equal(containerIdInCgroups('0::/berth/host/control\n', '/berth/host'), 'control');
  assert.equal(containerIdInCgroups('0::/berth/host/admin/system.slice/sshd.service\n', '/berth/host'), 'admin');
  assert.equal(containerIdInCgroups('0::/berth/host/boot.setup\n', '/berth/host'), 'boot.setup');
});

test('containerIdInCgroups() finds nothing for host processes, other parents and look-alike names', () => {
  assert.equal(containerIdInCgroups('0::/user.slice/user-0.slice/session-1.scope\n', '/berth/host'), undefined);
  assert.equal(containerIdInCgroups('4:memory:/process_api/c1\n0::/\n', '/berth/host'), undefined);
  assert.equal(containerIdInCgroups('0::/berth/orchestrator/pod1\n', '/berth/host'), undefined, "the orchestrator's containers");
  assert.equal(containerIdInCgroups('0::/berth/hostile/x\n', '/berth/host'), undefined);
  assert.equal(containerIdInCgroups('0::/berth/host\n', '/berth/host'), undefined, 'the parent itself');
  assert.equal(containerIdInCgroups('0::/other/berth/host/x\n', '/berth/host'), undefined);
  assert.equal(containerIdInCgroups('', '/berth/host'), undefined);
});

test('callerInContainer() names the host container and its api-access; admin when unset, for bootstrap containers and unknown ids', () => {
  const settings = {
    'host-containers': {
      ro: { 'api-access': 'read-only' as const },
      plain: {},
      'a--b': { 'api-access': 'none' as const },
    },
    'bootstrap-containers': { setup: {} },
  };
  assert.deepEqual(callerInContainer('ro', settings), { kind: 'container', name: 'ro', access: 'read-only' });
  assert.deepEqual(callerInContainer('plain', settings), { kind: 'container', name: 'plain', access: 'admin' });
  // A name containerd refuses runs under a hashed id, found through the settings.
  assert.deepEqual(callerInContainer(containerIdOf('a--b', 'host'), settings), { kind: 'container', name: 'a--b', access: 'none' });
  assert.deepEqual(callerInContainer('boot.setup', settings), { kind: 'container', name: 'boot.setup', access: 'admin' });
  assert.deepEqual(callerInContainer('gone', settings), { kind: 'container', name: 'gone', access: 'admin' });
});
