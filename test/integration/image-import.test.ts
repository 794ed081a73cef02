import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { startTestContainerd, type TestContainerd } from '../helpers/containerd.js';
import { testImageArchive, layoutDirOf } from '../helpers/test-image.js';
import { ctrRunStatus, FILE_MATCHES, fileCheck } from '../helpers/ctr-run.js';
import { importImage } from '../../src/images/import.js';
import { hostPlatform } from '../../src/images/platform.js';
import { BerthError } from '../../src/errors/index.js';

let ctrd: TestContainerd;
before(async () => {
  ctrd = await startTestContainerd({ namespace: 'import-test' });
});
after(async () => {
  await ctrd?.cleanup();
});

const platform = hostPlatform(process.arch);

function ctr(...args: string[]): string {
  return execFileSync('ctr', ['-a', ctrd.paths.hostContainerd.socket, '-n', 'import-test', ...args], { encoding: 'utf8' });
}

test('importImage() imports an OCI archive: content, image record, unpacked snapshots, GC labels', async () => {
  const archive = await testImageArchive({ extraFiles: { '/etc/hello': 'hi\n' }, cmd: fileCheck('/etc/hello', 'hi') });
  const res = await importImage(ctrd.client, { path: archive, name: 'test/one:1', platform });
  assert.equal(res.name, 'test/one:1');
  assert.equal(res.layersApplied, 2);

  // What ctr sees: the image, its content, the committed snapshot chain.
  assert.match(ctr('images', 'ls', '-q'), /^test\/one:1$/m);
  const snapshots = ctr('snapshots', 'ls');
  assert.ok(snapshots.includes(res.chainId), 'top snapshot committed under its chain ID');
  const config = await ctrd.client.content.info(res.configDigest);
  assert.equal(config.labels['containerd.io/gc.ref.snapshot.overlayfs'], res.chainId);
  const manifest = await ctrd.client.content.info(res.manifestDigest);
  assert.equal(manifest.labels['containerd.io/gc.ref.content.config'], res.configDigest);
  assert.ok(manifest.labels['containerd.io/gc.ref.content.l.1']);
  const layer = await ctrd.client.content.info(res.image.manifest.layers[1]!.digest);
  assert.equal(layer.labels['containerd.io/uncompressed'], res.image.config.rootfs.diff_ids[1]);

  // Run it with ctr to prove the unpacked rootfs is usable by containerd.
  assert.equal(ctrRunStatus(ctrd.paths.hostContainerd.socket, 'import-test', 'test/one:1', `imp-${process.pid}`), FILE_MATCHES, 'the imported image runs and holds its file');

  // After GC (no lease left), everything the image needs is still there.
  await ctrd.client.leases.list().then((ls) => Promise.all(ls.map((l) => ctrd.client.leases.delete(l.id, { sync: true }))));
  assert.ok(ctr('snapshots', 'ls').includes(res.chainId));
});

test('importImage() reuses a shared base layer and blobs already stored', async () => {
  const a = await testImageArchive({ extraFiles: { '/a': 'a' } });
  const b = await testImageArchive({ extraFiles: { '/b': 'b' } });
  const first = await importImage(ctrd.client, { path: a, name: 'test/a:1', platform });
  const second = await importImage(ctrd.client, { path: b, name: 'test/b:1', platform });
  assert.equal(first.image.manifest.layers[0]!.digest, second.image.manifest.layers[0]!.digest, 'fixtures share the base');
  assert.ok(second.layersApplied <= 1, 'only the top layer of the second image is unpacked');
  const again = await importImage(ctrd.client, { path: a, name: 'test/a:1', platform });
  assert.equal(again.layersApplied, 0, 're-import unpacks nothing');
  assert.equal(again.manifestDigest, first.manifestDigest);
});

test('importImage() imports an OCI layout directory and names the image from its annotation', async () => {
  const archive = await testImageArchive({ extraFiles: { '/layout': 'x' }, imageName: 'berth.local/layout:latest' });
  const res = await importImage(ctrd.client, { path: layoutDirOf(archive), platform });
  assert.equal(res.name, 'berth.local/layout:latest');
  assert.match(ctr('images', 'ls', '-q'), /^berth\.local\/layout:latest$/m);
});

test('importImage() picks the host platform from a multi-platform index', async () => {
  const archive = await testImageArchive({ extraFiles: { '/multi': 'm' } });
  const dir = path.join(path.dirname(archive), `multi-${process.pid}`);
  execFileSync('cp', ['-a', layoutDirOf(archive), dir]);
  // Wrap the single manifest in an index next to a foreign-platform entry that does not exist.
  const index = JSON.parse(execFileSync('cat', [path.join(dir, 'index.json')], { encoding: 'utf8' }));
  const own = { ...index.manifests[0], platform: { os: 'linux', architecture: platform.architecture } };
  delete own.annotations;
  const foreign = { ...own, digest: 'sha256:' + 'f'.repeat(64), platform: { os: 'linux', architecture: 's390x' } };
  const inner = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests: [foreign, own] }));
  const { createHash } = await import('node:crypto');
  const hex = createHash('sha256').update(inner).digest('hex');
  await writeFile(path.join(dir, 'blobs', 'sha256', hex), inner);
  await writeFile(
    path.join(dir, 'index.json'),
    JSON.stringify({ schemaVersion: 2, manifests: [{ mediaType: 'application/vnd.oci.image.index.v1+json', digest: `sha256:${hex}`, size: inner.length }] }),
  );
  const res = await importImage(ctrd.client, { path: dir, name: 'test/multi:1', platform });
  assert.equal(res.target.digest, `sha256:${hex}`, 'the record points at the index');
  assert.equal(res.manifestDigest, own.digest);
  const idx = await ctrd.client.content.info(`sha256:${hex}`);
  assert.equal(idx.labels['containerd.io/gc.ref.content.m.1'], own.digest);
  execFileSync('rm', ['-rf', dir]);
});

test('importImage() rejects bad input with clear errors and stores no image', async () => {
  await assert.rejects(importImage(ctrd.client, { path: 'relative.tar', platform }), /must be absolute/);
  await assert.rejects(importImage(ctrd.client, { path: '/nonexistent/x.tar', platform }), (e: unknown) =>
    BerthError.is(e) && e.code === 'NOT_FOUND' && /nonexistent/.test(e.message),
  );
  const junk = path.join(ctrd.root, 'junk.tar');
  await writeFile(junk, 'this is not a tar archive at all'.repeat(40));
  await assert.rejects(importImage(ctrd.client, { path: junk, name: 'test/junk:1', platform }), (e: unknown) => BerthError.is(e) && e.code === 'INVALID_ARGUMENT');
  const archive = await testImageArchive({ extraFiles: { '/r': 'r' } });
  await assert.rejects(importImage(ctrd.client, { path: archive, ref: 'nope', name: 'test/ref:1', platform }), /No image named 'nope'/);
  const names = ctr('images', 'ls', '-q');
  assert.ok(!names.includes('test/junk:1') && !names.includes('test/ref:1'));
});

test('importImage() copes with concurrent imports of the same blobs (a locked ingest ref waits)', async () => {
  const archive = await testImageArchive({ extraFiles: { '/concurrent': 'c'.repeat(3 << 20) } });
  const results = await Promise.all([1, 2, 3].map((i) => importImage(ctrd.client, { path: archive, name: `test/concurrent:${i}`, platform })));
  assert.equal(new Set(results.map((r) => r.chainId)).size, 1);
  for (const i of [1, 2, 3]) assert.match(ctr('images', 'ls', '-q'), new RegExp(`^test/concurrent:${i}$`, 'm'));
});
