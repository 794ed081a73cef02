import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomTransactionName } from './transaction-name.js';

test('randomTransactionName() makes distinct, valid Bottlerocket-style names', () => {
  const names = new Set(Array.from({ length: 100 }, () => randomTransactionName('apiclient-set')));
  assert.equal(names.size, 100);
  for (const n of names) {
    assert.match(n, /^apiclient-set-[A-Za-z0-9]{16}$/);
  }
  assert.match(randomTransactionName('apiclient-apply'), /^apiclient-apply-[A-Za-z0-9]{16}$/);
});
