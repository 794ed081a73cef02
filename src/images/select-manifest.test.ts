import { test } from 'node:test';
import assert from 'node:assert/strict';
import { selectLayoutEntry, selectManifest } from './select-manifest.js';
import { MEDIA_TYPES } from './media-types.js';
import { BerthError } from '../errors/index.js';

const d = (hex: string, extra: object = {}) => ({
  mediaType: MEDIA_TYPES.ociManifest,
  digest: 'sha256:' + hex.repeat(64),
  size: 100,
  ...extra,
});
const amd64 = { os: 'linux', architecture: 'amd64' };

test('selectManifest() picks the child for the platform', () => {
  const index = {
    schemaVersion: 2,
    manifests: [d('a', { platform: { os: 'linux', architecture: 'arm64' } }), d('b', { platform: amd64 })],
  };
  const { desc, position } = selectManifest(index, { platform: amd64, where: 'test' });
  assert.equal(desc.digest, 'sha256:' + 'b'.repeat(64));
  assert.equal(position, 1);
});

test('selectManifest() names the platforms on offer when none fits', () => {
  const index = { schemaVersion: 2, manifests: [d('a', { platform: { os: 'linux', architecture: 'arm64' } })] };
  assert.throws(
    () => selectManifest(index, { platform: amd64, where: 'reg/x:1' }),
    (e: unknown) => BerthError.is(e) && e.code === 'NOT_FOUND' && /linux\/arm64/.test(e.message) && /reg\/x:1/.test(e.message),
  );
});

test('selectManifest() rejects a descriptor with a malformed digest', () => {
  const index = { schemaVersion: 2, manifests: [{ mediaType: MEDIA_TYPES.ociManifest, digest: 'sha256:../../etc', size: 1 }] };
  assert.throws(() => selectManifest(index, { platform: amd64, where: 'x' }), /unsupported digest/);
});

test('selectLayoutEntry() selects by ref name, the only entry, or fails naming the choices', () => {
  const named = {
    schemaVersion: 2,
    manifests: [
      d('a', { annotations: { 'org.opencontainers.image.ref.name': 'one' } }),
      d('b', { annotations: { 'io.containerd.image.name': 'berth.local/two:latest' } }),
    ],
  };
  assert.equal(selectLayoutEntry(named, { ref: 'one', platform: amd64, where: 'a.tar' }).digest, 'sha256:' + 'a'.repeat(64));
  assert.equal(
    selectLayoutEntry(named, { ref: 'berth.local/two:latest', platform: amd64, where: 'a.tar' }).digest,
    'sha256:' + 'b'.repeat(64),
  );
  assert.throws(() => selectLayoutEntry(named, { platform: amd64, where: 'a.tar' }), /several images \(one, berth\.local\/two:latest\)/);
  assert.throws(() => selectLayoutEntry(named, { ref: 'three', platform: amd64, where: 'a.tar' }), /No image named 'three'/);
  assert.equal(selectLayoutEntry({ schemaVersion: 2, manifests: [d('c')] }, { platform: amd64, where: 'a.tar' }).digest, 'sha256:' + 'c'.repeat(64));
  assert.throws(() => selectLayoutEntry({ schemaVersion: 2, manifests: [] }, { platform: amd64, where: 'a.tar' }), /lists no images/);
});
