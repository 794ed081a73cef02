import { test } from 'node:test';
import assert from 'node:assert/strict';
import { accessDenial, mayCall, type RequestLine } from './api-access.js';

const req = (method: string, pathname: string): RequestLine => ({ method, pathname });
const READS = [req('GET', '/settings'), req('GET', '/host-containers'), req('GET', '/host-containers/control/logs'), req('GET', '/audit'), req('GET', '/tx')];
const WRITES = [
  req('PATCH', '/settings'),
  req('POST', '/tx/commit'),
  req('POST', '/tx/commit_and_apply'),
  req('POST', '/tx/apply'),
  req('DELETE', '/tx'),
  req('POST', '/settings/keypair'),
  req('POST', '/boot/retry'),
  req('PUT', '/settings'),
  req('HEAD', '/settings'),
];

test('mayCall() lets admin send anything, read-only only GETs other than /exec, and none nothing', () => {
  for (const r of [...READS, ...WRITES, req('GET', '/exec')]) assert.equal(mayCall('admin', r), true, `admin ${r.method} ${r.pathname}`);
  for (const r of READS) assert.equal(mayCall('read-only', r), true, `read-only ${r.method} ${r.pathname}`);
  for (const r of [...WRITES, req('GET', '/exec')]) assert.equal(mayCall('read-only', r), false, `read-only ${r.method} ${r.pathname}`);
  for (const r of [...READS, ...WRITES]) assert.equal(mayCall('none', r), false, `none ${r.method} ${r.pathname}`);
});

test('accessDenial() lets host callers through and names the container, its level and the request otherwise', () => {
  assert.equal(accessDenial({ kind: 'host' }, req('PATCH', '/settings')), undefined);
  assert.equal(accessDenial({ kind: 'container', name: 'x', access: 'read-only' }, req('GET', '/settings')), undefined);
  const denied = accessDenial({ kind: 'container', name: 'x', access: 'read-only' }, req('PATCH', '/settings'));
  assert.equal(denied?.code, 'PERMISSION_DENIED');
  assert.equal(denied?.message, "Host container 'x' has api-access read-only: PATCH /settings is not allowed");
  assert.deepEqual(denied?.details, { container: 'x', access: 'read-only' });
  assert.equal(accessDenial({ kind: 'container', name: 'y', access: 'none' }, req('GET', '/settings'))?.message, "Host container 'y' has api-access none: GET /settings is not allowed");
  const unknown = accessDenial({ kind: 'unidentified', why: 'process 42 is gone' }, req('GET', '/settings'));
  assert.equal(unknown?.message, 'Cannot identify the caller (process 42 is gone): GET /settings is not allowed');
});
