import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseAuthChallenges } from './auth-challenge.js';

test('parseAuthChallenges() reads a registry bearer challenge', () => {
  assert.deepEqual(parseAuthChallenges('Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/alpine:pull"'), [
    { scheme: 'bearer', params: { realm: 'https://auth.docker.io/token', service: 'registry.docker.io', scope: 'repository:library/alpine:pull' } },
  ]);
});

test('parseAuthChallenges() reads several challenges, tokens, escapes and odd spacing', () => {
  assert.deepEqual(parseAuthChallenges('Basic realm="a \\"quoted\\" realm", Bearer realm=https://t.example/token , error="insufficient_scope"'), [
    { scheme: 'basic', params: { realm: 'a "quoted" realm' } },
    { scheme: 'bearer', params: { realm: 'https://t.example/token', error: 'insufficient_scope' } },
  ]);
  assert.deepEqual(parseAuthChallenges(['Basic realm="r"', 'Negotiate abc==']), [
    { scheme: 'basic', params: { realm: 'r' } },
    { scheme: 'negotiate', params: { '': 'abc==' } },
  ]);
  assert.deepEqual(parseAuthChallenges('BASIC'), [{ scheme: 'basic', params: {} }]);
});

test('parseAuthChallenges() returns nothing for a missing header and skips junk', () => {
  assert.deepEqual(parseAuthChallenges(undefined), []);
  assert.deepEqual(parseAuthChallenges(''), []);
  assert.deepEqual(parseAuthChallenges('=oops, "x", Bearer realm="r"'), [{ scheme: 'bearer', params: { realm: 'r' } }]);
});
