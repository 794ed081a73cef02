import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkQueryNames, commaList, parseRequestTarget } from './request-target.js';

test('parseRequestTarget() splits the path and decodes the query', () => {
  assert.deepEqual(parseRequestTarget('/settings?keys=a.b,c&prefix=x%2Ey'), { pathname: '/settings', query: { keys: 'a.b,c', prefix: 'x.y' } });
  assert.deepEqual(parseRequestTarget('/'), { pathname: '/', query: {} });
  assert.deepEqual(parseRequestTarget('/tx?tx='), { pathname: '/tx', query: { tx: '' } });
});

test('parseRequestTarget() refuses path tricks and repeated parameters', () => {
  for (const target of ['/settings/../tx', '/settings/%2e%2E/tx', '/./settings', '//settings', '/settings/', 'settings', 'http://x/settings', '/set tings', '/a?x=%zz', '/tx?tx=a&tx=b']) {
    assert.throws(() => parseRequestTarget(target), { code: 'INVALID_ARGUMENT' }, target);
  }
});

test('checkQueryNames() and commaList() reject what the endpoint does not take', () => {
  assert.throws(() => checkQueryNames({ tx: 'a', txx: 'b' }, ['tx']), { message: 'Unknown query parameter "txx" (allowed: tx)' });
  assert.throws(() => checkQueryNames({ a: '' }, []), { message: /takes no query parameters/ });
  assert.deepEqual(commaList('a,b', 'keys'), ['a', 'b']);
  assert.throws(() => commaList('', 'keys'), { message: "Query parameter 'keys' must not be empty" });
});
