import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bootFailures, containerPath } from './container-name.js';

test('containerPath() maps boot.NAME to a bootstrap container and anything else to a host container', () => {
  assert.equal(containerPath('admin'), '/host-containers/admin');
  assert.equal(containerPath('boot.setup'), '/bootstrap-containers/setup');
  assert.equal(containerPath('a/b'), '/host-containers/a%2Fb');
});

test('bootFailures() lists failed bootstrap commands by name and bootstrap containers by their command-line names', () => {
  const container = (name: string, error: string) => ({ kind: 'container' as const, name, error });
  assert.equal(bootFailures([container('a', 'exited with status 1'), container('b', 'no source set')]), 'bootstrap container boot.a (exited with status 1), boot.b (no source set)');
  assert.equal(bootFailures([{ kind: 'command', name: '010-x', error: 'call 1 of 1 (apiclient get) exited with status 7' }]), 'bootstrap command 010-x (call 1 of 1 (apiclient get) exited with status 7)');
});
