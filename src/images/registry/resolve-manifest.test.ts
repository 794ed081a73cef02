import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { manifestDescriptor } from './resolve-manifest.js';
import { BerthError } from '../../errors/index.js';

const where = 'r.example/app:v1';
const manifest = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', config: {}, layers: [] }));
const digestOf = (b: Buffer) => 'sha256:' + createHash('sha256').update(b).digest('hex');

test('manifestDescriptor() takes the media type from Content-Type and the digest from the bytes', () => {
  assert.deepEqual(manifestDescriptor(manifest, { contentType: 'application/vnd.oci.image.manifest.v1+json; charset=utf-8', where }), {
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    digest: digestOf(manifest),
    size: manifest.length,
  });
});

test('manifestDescriptor() falls back to the document for the media type', () => {
  assert.equal(manifestDescriptor(manifest, { contentType: 'application/json', where }).mediaType, 'application/vnd.oci.image.manifest.v1+json');
  const index = Buffer.from(JSON.stringify({ schemaVersion: 2, manifests: [] }));
  assert.equal(manifestDescriptor(index, { where }).mediaType, 'application/vnd.oci.image.index.v1+json');
  const bare = Buffer.from(JSON.stringify({ schemaVersion: 2, config: {}, layers: [] }));
  assert.equal(manifestDescriptor(bare, { contentType: 'text/plain', where }).mediaType, 'application/vnd.oci.image.manifest.v1+json');
});

test('manifestDescriptor() checks the digest asked for and Docker-Content-Digest', () => {
  const other = 'sha256:' + 'a'.repeat(64);
  const failed = (e: unknown) => BerthError.is(e) && e.code === 'FAILED_PRECONDITION' && e.message.includes(where);
  assert.throws(() => manifestDescriptor(manifest, { expectedDigest: other, where }), failed);
  assert.throws(() => manifestDescriptor(manifest, { headerDigest: other, where }), failed);
  assert.equal(manifestDescriptor(manifest, { expectedDigest: digestOf(manifest), headerDigest: digestOf(manifest), where }).digest, digestOf(manifest));
});

test('manifestDescriptor() refuses schema 1, unknown types and type confusion', () => {
  const schema1 = Buffer.from(JSON.stringify({ schemaVersion: 1, name: 'x', fsLayers: [] }));
  assert.throws(() => manifestDescriptor(schema1, { contentType: 'application/vnd.docker.distribution.manifest.v1+prettyjws', where }), /schema 1/);
  assert.throws(() => manifestDescriptor(schema1, { contentType: 'application/json', where }), /schema 1/);
  assert.throws(() => manifestDescriptor(Buffer.from('{"schemaVersion":2}'), { where }), /Unsupported manifest media type/);
  assert.throws(() => manifestDescriptor(Buffer.from('not json'), { where }), /not JSON/);
  assert.throws(() => manifestDescriptor(manifest, { contentType: 'application/vnd.oci.image.index.v1+json', where }), /says it is/);
});
