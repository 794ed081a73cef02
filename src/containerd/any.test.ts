import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TYPE_URLS, decodeJsonAny, decodeProtoAny, jsonAny, protoAny } from './any.js';

test('protoAny() encodes runc options under the bare type URL', () => {
  const any = protoAny(TYPE_URLS.runcOptions, { root: '/run/x/runc' });
  assert.equal(any.type_url, 'containerd.runc.v1.Options');
  // field 7 (root), wire type 2: tag 0x3a, then the length and the string.
  assert.equal(any.value[0], 0x3a);
  assert.equal(any.value.subarray(2).toString(), '/run/x/runc');
  assert.deepEqual(decodeProtoAny(any)?.root, '/run/x/runc');
});

test('decodeProtoAny() decodes a TaskExit event and ignores unknown types', () => {
  const any = protoAny('containerd.events.TaskExit', { container_id: 'c', id: 'c', pid: 42, exit_status: 3 });
  const ev = decodeProtoAny({ type_url: 'containerd.events.TaskExit', value: any.value });
  assert.equal(ev?.container_id, 'c');
  assert.equal(ev?.exit_status, 3);
  assert.equal(decodeProtoAny({ type_url: 'x.Unknown', value: Buffer.alloc(0) }), undefined);
});

test('jsonAny() round-trips a spec as JSON', () => {
  const any = jsonAny(TYPE_URLS.spec, { ociVersion: '1.0.2-dev' });
  assert.deepEqual(decodeJsonAny(any), { ociVersion: '1.0.2-dev' });
  assert.equal(decodeJsonAny(null), undefined);
});
