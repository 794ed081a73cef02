import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connectionError, errorFromResponse } from './api-error.js';

test('errorFromResponse() keeps the server code and message', () => {
  const err = errorFromResponse(422, '{"code":"FAILED_PRECONDITION","message":"Transaction \'x\' has no pending changes to commit"}');
  assert.equal(err.code, 'FAILED_PRECONDITION');
  assert.equal(err.message, "Transaction 'x' has no pending changes to commit");
  assert.deepEqual(err.details, { status: 422 });
});

test('errorFromResponse() falls back to the status and first line of text', () => {
  assert.equal(errorFromResponse(404, 'not here\nmore').code, 'NOT_FOUND');
  assert.equal(errorFromResponse(404, 'not here\nmore').message, 'not here');
  assert.equal(errorFromResponse(418, '').code, 'INTERNAL');
  assert.equal(errorFromResponse(418, '').message, 'HTTP status 418');
  assert.equal(errorFromResponse(400, '{"code":"WHATEVER","message":"m"}').code, 'INVALID_ARGUMENT');
});

test('connectionError() says what to check', () => {
  const enoent = Object.assign(new Error('x'), { code: 'ENOENT' });
  assert.equal(connectionError(enoent, '/s').code, 'UNAVAILABLE');
  assert.match(connectionError(enoent, '/s').message, /^Cannot reach the berth API at '\/s': no such socket/);
  assert.equal(connectionError(Object.assign(new Error('x'), { code: 'EACCES' }), '/s').code, 'PERMISSION_DENIED');
});
