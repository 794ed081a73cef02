import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loggerUri } from './log-uri.js';

test('loggerUri() builds a binary:// URI the shim can parse back', () => {
  const uri = loggerUri('/usr/libexec/berth/berth-logger', { file: '/var/log/berth/containers/a b.log', maxBytes: 4096, keep: 2 });
  const u = new URL(uri);
  assert.equal(u.protocol, 'binary:');
  assert.equal(u.pathname, '/usr/libexec/berth/berth-logger');
  assert.equal(u.searchParams.get('file'), '/var/log/berth/containers/a b.log');
  assert.equal(u.searchParams.get('max'), '4096');
  assert.equal(u.searchParams.get('keep'), '2');
});
