import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { gunzipSync } from 'node:zlib';
import { archivePath, ensureImagesBuilt } from './build-images-run.js';
import { blobOf, layerEntries, readOciArchive, type OciArchive } from './oci-archive-reader.js';

// What `npm run images` writes, checked from the outside: the OCI layout of both archives, the shared
// base layer, the image configs, what the layers hold, and that skopeo (an independent OCI reader)
// accepts them. (The entrypoint tests unpack them with umoci.)

const exec = promisify(execFile);
const IMAGES = ['control', 'admin'] as const;
const archives = new Map<string, OciArchive>();
const sha256 = (data: Buffer): string => 'sha256:' + createHash('sha256').update(data).digest('hex');

function archive(image: string): OciArchive {
  const a = archives.get(image);
  if (!a) throw new Error(`${image}.tar was not read`);
  return a;
}

before(async () => {
  await ensureImagesBuilt();
  for (const image of IMAGES) archives.set(image, await readOciArchive(archivePath(image)));
});

test('each archive is an OCI image layout: index.json → manifest → config, every blob matching its digest and size', () => {
  for (const image of IMAGES) {
    const a = archive(image);
    assert.deepEqual(a.layout, { imageLayoutVersion: '1.0.0' });
    assert.equal(a.index.schemaVersion, 2);
    assert.equal(a.index.mediaType, 'application/vnd.oci.image.index.v1+json');
    assert.equal(a.index.manifests.length, 1);
    assert.deepEqual(a.manifestDescriptor.platform, { architecture: 'amd64', os: 'linux' });
    assert.deepEqual(a.manifestDescriptor.annotations, {
      'io.containerd.image.name': `berth.local/${image}:latest`,
      'org.opencontainers.image.ref.name': 'latest',
    });
    assert.equal(a.manifestDescriptor.mediaType, 'application/vnd.oci.image.manifest.v1+json');
    assert.equal(a.manifest.mediaType, 'application/vnd.oci.image.manifest.v1+json');
    assert.equal(a.manifest.config.mediaType, 'application/vnd.oci.image.config.v1+json');

    for (const [name, data] of a.files) {
      if (name === 'oci-layout' || name === 'index.json') continue;
      assert.match(name, /^blobs\/sha256\/[0-9a-f]{64}$/);
      assert.equal(sha256(data), `sha256:${name.slice('blobs/sha256/'.length)}`, `${image}: ${name}`);
    }
    const descriptors = [a.manifestDescriptor, a.manifest.config, ...a.manifest.layers];
    for (const d of descriptors) assert.equal(blobOf(a, d.digest).length, d.size, `${image}: size of ${d.digest}`);
    assert.equal(a.files.size, 2 + descriptors.length, `${image}: no stray files`);

    assert.equal(a.config.rootfs.type, 'layers');
    assert.equal(a.config.rootfs.diff_ids.length, a.manifest.layers.length);
    a.manifest.layers.forEach((layer, i) => {
      assert.equal(layer.mediaType, 'application/vnd.oci.image.layer.v1.tar+gzip');
      assert.equal(sha256(gunzipSync(blobOf(a, layer.digest))), a.config.rootfs.diff_ids[i], `${image}: diff_id ${i}`);
    });
  }
});

test('both images have the same base layer (one digest, stored once) and one layer of their own', () => {
  const control = archive('control');
  const admin = archive('admin');
  assert.equal(control.manifest.layers.length, 2);
  assert.equal(admin.manifest.layers.length, 2);
  assert.equal(control.manifest.layers[0]?.digest, admin.manifest.layers[0]?.digest);
  assert.equal(control.config.rootfs.diff_ids[0], admin.config.rootfs.diff_ids[0]);
  assert.notEqual(control.manifest.layers[1]?.digest, admin.manifest.layers[1]?.digest);
});

test('the image configs carry the entrypoints, environment and platform', () => {
  for (const image of IMAGES) {
    const { config } = archive(image);
    assert.equal(config.os, 'linux');
    assert.equal(config.architecture, 'amd64');
    assert.equal(config.created, '2025-01-01T00:00:00Z');
    assert.deepEqual(config.config.Entrypoint, [`/usr/sbin/start-${image}-container`]);
    assert.ok(config.config.Env?.includes('PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'));
    assert.equal(config.config.WorkingDir, '/');
    assert.equal(config.history?.length, 2);
  }
});

test('the layers hold what the images promise, owned by root, without docs, host keys or device nodes', async () => {
  const control = archive('control');
  const admin = archive('admin');
  const [baseDigest, controlDigest] = control.manifest.layers.map((l) => l.digest);
  const adminDigest = admin.manifest.layers[1]?.digest;
  const base = await layerEntries(blobOf(control, baseDigest ?? ''));
  const own = await layerEntries(blobOf(control, controlDigest ?? ''));
  const adminOwn = await layerEntries(blobOf(admin, adminDigest ?? ''));
  const byName = (entries: typeof base): Map<string, (typeof base)[number]> => new Map(entries.map((e) => [e.name.replace(/\/$/, ''), e]));
  const baseNames = byName(base);

  for (const path of ['usr/bin/bash', 'usr/bin/jq', 'usr/sbin/sshd', 'usr/bin/ssh-keygen', 'etc/ssl/certs/ca-certificates.crt',
    'usr/lib/berth/user-data.sh', 'usr/lib/berth/ssh-login.sh', 'usr/sbin/useradd']) {
    assert.ok(baseNames.has(path), `base layer has ${path}`);
  }
  assert.ok(base.some((e) => /^usr\/lib\/x86_64-linux-gnu\/libstdc\+\+\.so\.6/.test(e.name)), 'libstdc++6 for apiclient');
  assert.ok(base.some((e) => /^usr\/lib\/x86_64-linux-gnu\/libgcc_s\.so\.1/.test(e.name)), 'libgcc-s1 for apiclient');
  for (const e of base) {
    assert.doesNotMatch(e.name, /^(usr\/share\/(man|info|locale)\/.|etc\/ssh\/ssh_host_|dev\/.|var\/lib\/apt\/lists\/.+\.|var\/cache\/apt\/.+\.bin)/, e.name);
    assert.ok(!e.name.startsWith('usr/share/doc/') || e.type !== 'file' || e.name.endsWith('/copyright'), e.name);
    assert.notEqual(e.type, 'character-device', e.name);
  }

  const controlNames = byName(own);
  for (const script of ['usr/bin/enable-admin-container', 'usr/bin/disable-admin-container', 'usr/bin/enter-admin-container',
    'usr/sbin/start-control-container']) {
    const e = controlNames.get(script);
    assert.equal(e?.mode, 0o755, `${script} is executable`);
    assert.equal(e?.uid, 0);
    assert.equal(e?.gid, 0);
  }
  const adminNames = byName(adminOwn);
  assert.equal(adminNames.get('usr/sbin/start-admin-container')?.mode, 0o755);
  assert.equal(adminNames.get('usr/bin/sudo')?.mode, 0o4755, 'sudo keeps its setuid bit');
  for (const path of ['usr/bin/vim.tiny', 'usr/bin/less', 'usr/sbin/ip', 'etc/sudoers']) assert.ok(adminNames.has(path), `admin layer has ${path}`);
  assert.ok(!controlNames.has('usr/bin/sudo'), 'sudo is the admin image\'s');
  for (const e of [...base, ...own, ...adminOwn]) {
    assert.ok(e.mtime && e.mtime.getTime() <= Date.parse('2025-01-01T00:00:00Z'), `${e.name} is clamped to SOURCE_DATE_EPOCH`);
  }
});

test('skopeo reads both archives and sees the same manifest digest and layers', async () => {
  for (const image of IMAGES) {
    const { stdout } = await exec('skopeo', ['inspect', `oci-archive:${archivePath(image)}`]);
    const seen = JSON.parse(stdout) as { Digest: string; Layers: string[]; Architecture: string; Os: string };
    const a = archive(image);
    assert.equal(seen.Digest, a.manifestDescriptor.digest);
    assert.deepEqual(seen.Layers, a.manifest.layers.map((l) => l.digest));
    assert.equal(seen.Architecture, 'amd64');
    assert.equal(seen.Os, 'linux');
  }
});
