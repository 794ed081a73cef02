import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isAtOrBelow, parseMountinfo } from './mountinfo.js';

const SAMPLE = [
  '22 1 0:21 / / rw,relatime shared:1 - ext4 /dev/vda rw',
  '30 22 0:26 / /sys/fs/cgroup/pids rw,nosuid shared:9 - cgroup cgroup rw,pids',
  '31 22 0:27 / /sys/fs/cgroup/unified rw,nosuid - cgroup2 cgroup2 rw',
  '40 22 0:50 /sub /tmp/a\\040dir/merged rw shared:20 master:3 - overlay overlay rw,lowerdir=/x',
  'garbage',
  '',
].join('\n');

test('parseMountinfo() reads mount point, root and type, with or without optional fields', () => {
  assert.deepEqual(parseMountinfo(SAMPLE), [
    { mountPoint: '/', root: '/', fsType: 'ext4' },
    { mountPoint: '/sys/fs/cgroup/pids', root: '/', fsType: 'cgroup' },
    { mountPoint: '/sys/fs/cgroup/unified', root: '/', fsType: 'cgroup2' },
    { mountPoint: '/tmp/a dir/merged', root: '/sub', fsType: 'overlay' },
  ]);
});

test('isAtOrBelow() matches the directory and what is below it, not a sibling sharing its prefix', () => {
  assert.ok(isAtOrBelow('/tmp/bt-1', '/tmp/bt-1'));
  assert.ok(isAtOrBelow('/tmp/bt-1/run/x', '/tmp/bt-1'));
  assert.ok(!isAtOrBelow('/tmp/bt-12', '/tmp/bt-1'));
  assert.ok(isAtOrBelow('/anything', '/'));
});
