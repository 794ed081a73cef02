import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeBase64 } from './base64.js';

test('decodeBase64() decodes padded and unpadded standard base64', () => {
  for (const [text, want] of [
    ['', ''],
    ['aGVsbG8=', 'hello'],
    ['aGVsbG8', 'hello'],
    ['eyJzc2giOnt9fQ==', '{"ssh":{}}'],
    ['+/+/', '\xfb\xff\xbf'],
  ]) {
    const r = decodeBase64(text!);
    assert.ok(r.ok, text);
    assert.equal(r.bytes.toString('latin1'), want);
  }
});

test('decodeBase64() rejects what a strict decoder rejects, with the reason', () => {
  for (const [text, reason] of [
    ['aGVs bG8=', /whitespace/],
    ['aGVsbG8=\n', /whitespace/],
    ['aGVsbG8-', /alphabet/],
    ['aGVs_bG8', /alphabet/],
    ['a=GVsbG8', /alphabet/],
    ['aGVsb', /length/],
    ['aGVsbG8==', /padding/],
    ['aGVsbG9=', /canonical/],
    ['QR==', /canonical/],
    ['===', /alphabet/],
  ] as const) {
    const r = decodeBase64(text);
    assert.equal(r.ok, false, text);
    if (!r.ok) assert.match(r.reason, reason, text);
  }
});
