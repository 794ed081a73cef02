import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseRfc3339 } from './rfc3339.js';

test('parseRfc3339() reads UTC and offset times to the same instant', () => {
  const a = parseRfc3339('2025-01-31T12:00:00Z');
  const b = parseRfc3339('2025-01-31T14:00:00+02:00');
  const c = parseRfc3339('2025-01-31t11:30:00.000000001-00:30');
  assert.ok(a.ok && b.ok && c.ok);
  assert.equal(a.date.toISOString(), '2025-01-31T12:00:00.000Z');
  assert.equal(b.date.getTime(), a.date.getTime());
  assert.equal(c.date.getTime(), a.date.getTime());
  const leap = parseRfc3339('2024-02-29T23:59:60Z');
  assert.ok(leap.ok);
  assert.equal(leap.date.toISOString(), '2024-03-01T00:00:00.000Z');
});

test('parseRfc3339() rejects times without a timezone and impossible dates', () => {
  for (const [text, reason] of [
    ['2025-01-31T12:00:00', /timezone/],
    ['2025-01-31 12:00:00Z', /RFC 3339/],
    ['2025-01-31', /RFC 3339/],
    ['tomorrow', /RFC 3339/],
    ['2025-02-29T00:00:00Z', /day 29/],
    ['2025-04-31T00:00:00Z', /day 31/],
    ['2025-13-01T00:00:00Z', /month 13/],
    ['2025-01-01T24:00:00Z', /time 24/],
    ['2025-01-01T00:00:00+24:00', /offset/],
    ['2025-01-01T00:00:00+0200', /RFC 3339/],
  ] as const) {
    const r = parseRfc3339(text);
    assert.equal(r.ok, false, text);
    if (!r.ok) assert.match(r.reason, reason, text);
  }
});
