import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BerthError, codeOf, isNotFound, messageOf } from './index.js';

test('BerthError carries its code, message, details and cause', () => {
  const cause = new Error('inner');
  const err = new BerthError('NOT_FOUND', "Container 'x' not found", { cause, details: { id: 'x' } });
  assert.equal(err.code, 'NOT_FOUND');
  assert.equal(err.message, "Container 'x' not found");
  assert.deepEqual(err.details, { id: 'x' });
  assert.equal(err.cause, cause);
  assert.ok(err instanceof Error);
});

test('codeOf() maps foreign errors to INTERNAL', () => {
  assert.equal(codeOf(new Error('x')), 'INTERNAL');
  assert.equal(codeOf('str'), 'INTERNAL');
  assert.equal(codeOf(new BerthError('CONFLICT', 'c')), 'CONFLICT');
});

test('BerthError.is() recognises branded errors only', () => {
  assert.ok(BerthError.is(new BerthError('INTERNAL', 'x')));
  assert.ok(!BerthError.is(new Error('x')));
  assert.ok(!BerthError.is({ code: 'NOT_FOUND' }));
  assert.ok(isNotFound(new BerthError('NOT_FOUND', 'x')));
  assert.equal(messageOf(42), '42');
});
