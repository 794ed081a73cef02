import { test } from 'node:test';
import assert from 'node:assert/strict';
import { berthCgroups, cgroupHierarchies } from './cgroup-dirs.js';
import { berthPaths } from './paths.js';

test('cgroupHierarchies() lists each v1 and v2 cgroup mount once, not binds of a subtree', () => {
  const mounts = [
    { mountPoint: '/', root: '/', fsType: 'ext4' },
    { mountPoint: '/sys/fs/cgroup/pids', root: '/', fsType: 'cgroup' },
    { mountPoint: '/sys/fs/cgroup/systemd', root: '/', fsType: 'cgroup' },
    { mountPoint: '/sys/fs/cgroup/unified', root: '/', fsType: 'cgroup2' },
    { mountPoint: '/sys/fs/cgroup/pids', root: '/', fsType: 'cgroup' },
    { mountPoint: '/container/cgroup', root: '/some/slice', fsType: 'cgroup2' },
  ];
  assert.deepEqual(cgroupHierarchies(mounts), ['/sys/fs/cgroup/pids', '/sys/fs/cgroup/systemd', '/sys/fs/cgroup/unified']);
});

test('berthCgroups() is the cgroup above both cgroup parents: /berth for root /, tagged for another root', () => {
  assert.deepEqual(berthCgroups(berthPaths('/')), ['/berth']);
  const p = berthPaths('/tmp/x');
  const [cgroup] = berthCgroups(p);
  assert.match(cgroup ?? '', /^\/berth-[0-9a-f]{8}$/);
  assert.equal(p.hostContainerd.cgroupParent, `${cgroup}/host`);
  assert.equal(p.orchestratorContainerd.cgroupParent, `${cgroup}/orchestrator`);
});
