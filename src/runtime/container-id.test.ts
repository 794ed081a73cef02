import { test } from 'node:test';
import assert from 'node:assert/strict';
import { containerIdOf } from './container-id.js';

test('containerIdOf() keeps Bottlerocket ids and hashes names containerd would refuse', () => {
  assert.equal(containerIdOf('admin', 'host'), 'admin');
  assert.equal(containerIdOf('my-tools', 'host'), 'my-tools');
  assert.equal(containerIdOf('setup', 'bootstrap'), 'boot.setup');
  const odd = containerIdOf('a--b', 'host');
  assert.match(odd, /^hc-[0-9a-f]{16}$/);
  assert.equal(containerIdOf('a--b', 'host'), odd, 'stable');
  assert.notEqual(containerIdOf('--------', 'host'), odd);
  assert.match(containerIdOf('-x', 'bootstrap'), /^boot-[0-9a-f]{16}$/);
  assert.match(containerIdOf('x'.repeat(76), 'bootstrap'), /^boot-/, 'boot. prefix would pass 76 characters');
});
