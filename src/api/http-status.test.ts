import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BerthError } from '../errors/index.js';
import { errorResponse, httpStatusOf } from './http-status.js';

test('httpStatusOf() maps codes to the statuses the API documents', () => {
  assert.equal(httpStatusOf('INVALID_ARGUMENT'), 400);
  assert.equal(httpStatusOf('NOT_FOUND'), 404);
  assert.equal(httpStatusOf('CONFLICT'), 409);
  assert.equal(httpStatusOf('ALREADY_EXISTS'), 409);
  assert.equal(httpStatusOf('PAYLOAD_TOO_LARGE'), 413);
  assert.equal(httpStatusOf('FAILED_PRECONDITION'), 422);
  assert.equal(httpStatusOf('UNAVAILABLE'), 503);
  assert.equal(httpStatusOf('INTERNAL'), 500);
});

test('errorResponse() turns unexpected errors into 500 INTERNAL with one line of text', () => {
  assert.deepEqual(errorResponse(new TypeError('x is not a function')), {
    status: 500,
    body: { code: 'INTERNAL', message: 'Internal error: x is not a function' },
  });
  assert.deepEqual(errorResponse('thrown string'), { status: 500, body: { code: 'INTERNAL', message: 'Internal error: thrown string' } });
  assert.deepEqual(errorResponse(new BerthError('NOT_FOUND', 'No such thing')), { status: 404, body: { code: 'NOT_FOUND', message: 'No such thing' } });
  assert.equal(errorResponse(new Error('a\n  b')).body.message, 'Internal error: a b');
});
