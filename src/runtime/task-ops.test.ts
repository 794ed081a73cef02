import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withMountContext } from './task-ops.js';

test('withMountContext() adds the mount label as a context= option, and nothing without one', () => {
  const mounts = [{ type: 'overlay', source: 'overlay', options: ['workdir=/w', 'upperdir=/u', 'lowerdir=/l'] }];
  assert.deepEqual(withMountContext(mounts, 'system_u:object_r:secret_t:s0')[0]?.options, [
    'workdir=/w',
    'upperdir=/u',
    'lowerdir=/l',
    'context="system_u:object_r:secret_t:s0"',
  ]);
  assert.equal(withMountContext(mounts, undefined), mounts);
  assert.equal(mounts[0]?.options.length, 3, 'the input is not changed');
});
