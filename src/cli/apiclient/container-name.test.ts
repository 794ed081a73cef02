import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bootstrapFailures, containerPath } from './container-name.js';

test('containerPath() maps boot.NAME to a bootstrap container and anything else to a host container', () => {
  assert.equal(containerPath('admin'), '/host-containers/admin');
  assert.equal(containerPath('boot.setup'), '/bootstrap-containers/setup');
  assert.equal(containerPath('a/b'), '/host-containers/a%2Fb');
});

test('bootstrapFailures() lists failed bootstrap containers by their command-line names', () => {
  assert.equal(bootstrapFailures([{ name: 'a', error: 'exited with status 1' }, { name: 'b', error: 'no source set' }]), 'boot.a (exited with status 1), boot.b (no source set)');
});
