import { test } from 'node:test';
import assert from 'node:assert/strict';
import { distributionSourceKey, withRepository } from './distribution-source.js';

test('withRepository() adds a repository to the sorted list once', () => {
  assert.equal(withRepository(undefined, 'library/alpine'), 'library/alpine');
  assert.equal(withRepository('team/b', 'team/a'), 'team/a,team/b');
  assert.equal(withRepository('team/a,team/b', 'team/b'), undefined);
  assert.equal(distributionSourceKey('docker.io'), 'containerd.io/distribution.source.docker.io');
});
