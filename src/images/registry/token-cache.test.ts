import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TokenCache, tokenExpiry } from './token-cache.js';

test('tokenExpiry() uses expires_in less a margin, and 60 s when the server gives none', () => {
  assert.equal(tokenExpiry({ expires_in: 300 }, 1_000_000), 1_000_000 + 300_000 - 5_000);
  assert.equal(tokenExpiry({}, 0), 60_000 - 5_000);
  assert.equal(tokenExpiry({ expires_in: 'soon' }, 0), 55_000);
  assert.equal(tokenExpiry({ expires_in: 20 }, 0), 18_000, 'a short-lived token keeps most of its life');
});

test('TokenCache returns a token until it expires, then forgets it', () => {
  let now = 0;
  const cache = new TokenCache({ now: () => now });
  cache.set('realm|svc|repository:a:pull|anonymous', { token: 't1', expiresAt: 1000 });
  assert.equal(cache.get('realm|svc|repository:a:pull|anonymous'), 't1');
  assert.equal(cache.get('realm|svc|repository:b:pull|anonymous'), undefined, 'tokens are per scope');
  now = 999;
  assert.equal(cache.get('realm|svc|repository:a:pull|anonymous'), 't1');
  now = 1000;
  assert.equal(cache.get('realm|svc|repository:a:pull|anonymous'), undefined);
  assert.equal(cache.size, 0);
});
