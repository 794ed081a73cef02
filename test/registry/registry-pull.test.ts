import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import path from 'node:path';
import { pullImage } from '../../src/images/registry/index.js';
import { hostPlatform } from '../../src/images/platform.js';
import type { ProgressEvent } from '../../src/images/progress-events.js';
import { BerthError, isNotFound } from '../../src/errors/index.js';
import { TestRegistry } from './registry-process.js';
import { RecordingProxy } from './recording-proxy.js';
import { freePort } from './free-port.js';
import { multiPlatformLayout, pushLayout, testLayout } from './registry-images.js';
import { recordingLogger } from './recording-logger.js';
import type { RegistryPuller } from '../../src/runtime/image-source.js';
import { registryRef, usePullFixture } from './pull-fixture.js';
import { ctrRunStatus, FILE_MATCHES, fileCheck } from '../helpers/ctr-run.js';

// pullImage is what the daemon's ImageSource expects of a registry puller.
const puller: RegistryPuller = pullImage;
void puller;
const platform = hostPlatform(process.arch);
const retry = { attempts: 3, baseMs: 50, maxMs: 200 };
const f = usePullFixture({ withRegistry: true });

function ctr(...args: string[]): string {
  return execFileSync('ctr', ['-a', f.ctrd.paths.hostContainerd.socket, '-n', 'default', ...args], { encoding: 'utf8' });
}

async function missing(digest: string): Promise<boolean> {
  return f.ctrd.client.content.info(digest).then(() => false, (err) => isNotFound(err));
}

test('pullImage() pulls anonymously from a loopback registry into containerd, ready to run', async () => {
  const layout = await testLayout({ extraFiles: { '/etc/pulled': 'pulled anonymously\n' }, cmd: fileCheck('/etc/pulled', 'pulled anonymously') });
  const name = `${f.registry.host}/test/anon:v1`;
  pushLayout(layout, 'latest', name);
  const pushed = execFileSync('skopeo', ['inspect', '--tls-verify=false', '--format', '{{.Digest}}', `docker://${name}`], { encoding: 'utf8' }).trim();
  const events: ProgressEvent[] = [];

  const res = await pullImage(f.ctrd.client, registryRef(name), { name, platform, retry, onProgress: (e) => events.push(e) });

  assert.equal(res.fromCache, false);
  assert.equal(res.target.digest, pushed, 'the record points at the digest the registry serves');
  assert.equal(res.endpoint, `http://${f.registry.host}/v2`, 'a loopback registry without TLS is reached over plain http');
  assert.equal(res.layersApplied, 2);
  assert.equal((await f.ctrd.client.images.get(name)).target.digest, pushed);
  const top = res.image.manifest.layers[1]!;
  const info = await f.ctrd.client.content.info(top.digest);
  assert.equal(info.labels[`containerd.io/distribution.source.${f.registry.host}`], 'test/anon');
  assert.equal(info.labels['containerd.io/uncompressed'], res.image.config.rootfs.diff_ids[1]);
  const done = events.filter((e) => e.kind === 'blob' && e.digest === top.digest && e.bytes === top.size);
  assert.ok(done.length > 0, 'progress reports the layer complete');
  assert.ok(events.some((e) => e.kind === 'done' && e.name === name));
  assert.equal(ctrRunStatus(f.ctrd.paths.hostContainerd.socket, 'default', name, `anon-${process.pid}`), FILE_MATCHES, 'the pulled image runs and holds its file');

  // By digest: the same image, nothing to unpack again.
  const byDigestName = `${f.registry.host}/test/anon@${pushed}`;
  const again = await pullImage(f.ctrd.client, registryRef(byDigestName), { name: byDigestName, platform, retry });
  assert.equal(again.target.digest, pushed);
  assert.equal(again.layersApplied, 0);
});

test('pullImage() picks the host platform from a multi-platform index and fetches only its blobs', async () => {
  const proxy = await RecordingProxy.start(f.registry.port);
  try {
    const layout = await testLayout({ extraFiles: { '/multi': 'host platform\n' } });
    const multi = await multiPlatformLayout(layout, await mkdtemp(path.join(f.work, 'multi-')), platform.architecture);
    pushLayout(multi.dir, multi.tag, `${f.registry.host}/test/multi:v1`, { all: true });
    const name = `${proxy.host}/test/multi:v1`;

    const res = await pullImage(f.ctrd.client, registryRef(name), { name, platform, retry });

    assert.equal(res.target.mediaType, 'application/vnd.oci.image.index.v1+json', 'the record points at the index');
    assert.equal(res.manifestDigest, multi.ownManifest);
    assert.equal((await f.ctrd.client.content.info(res.target.digest)).labels['containerd.io/gc.ref.content.m.1'], multi.ownManifest);
    for (const digest of Object.values(multi.foreign)) {
      assert.ok(await missing(digest), `foreign blob ${digest} is not stored`);
      assert.ok(!proxy.requests.some((r) => r.path.includes(digest.slice(7))), `foreign blob ${digest} was not requested`);
    }
    assert.ok(proxy.requests.some((r) => r.path.includes(res.image.manifest.layers[1]!.digest.slice(7))));
  } finally {
    await proxy.close();
  }
});

test('pullImage() pulls through a mirror when the registry itself is unreachable, trying mirrors in order', async () => {
  const layout = await testLayout({ extraFiles: { '/mirrored': 'from the mirror\n' } });
  pushLayout(layout, 'latest', `${f.registry.host}/test/mirrored:v1`);
  const upstream = `127.0.0.1:${await freePort()}`;
  const deadMirror = `http://127.0.0.1:${await freePort()}`;
  const name = `${upstream}/test/mirrored:v1`;

  const res = await pullImage(f.ctrd.client, registryRef(name), {
    name,
    platform,
    retry,
    registry: { mirrors: [{ registry: upstream, endpoint: [deadMirror, `http://${f.registry.host}`] }] },
  });
  assert.equal(res.endpoint, `http://${f.registry.host}/v2`);
  assert.equal(res.fromCache, false);
  const label = (await f.ctrd.client.content.info(res.configDigest)).labels[`containerd.io/distribution.source.${upstream}`];
  assert.equal(label, 'test/mirrored', 'blobs are labelled with the upstream registry, not the mirror');

  // The `*` entry serves registries without an entry of their own.
  const other = `127.0.0.1:${await freePort()}/test/mirrored:v1`;
  const wild = await pullImage(f.ctrd.client, registryRef(other), {
    name: other,
    platform,
    retry,
    registry: { mirrors: [{ registry: 'unrelated.example', endpoint: [deadMirror] }, { registry: '*', endpoint: [`http://${f.registry.host}`] }] },
  });
  assert.equal(wild.manifestDigest, res.manifestDigest);
});

test('pullImage() refuses an http:// mirror for a host that is not loopback, before contacting anything', async () => {
  const name = `${f.registry.host}/test/anon:v1`;
  await assert.rejects(
    pullImage(f.ctrd.client, registryRef(name), { name: 'test/refused', platform, retry, registry: { mirrors: [{ registry: '*', endpoint: ['http://mirror.example.com'] }] } }),
    (e: unknown) => BerthError.is(e) && e.code === 'INVALID_ARGUMENT' && /http:\/\/mirror\.example\.com/.test(e.message) && /loopback/.test(e.message),
  );
  await assert.rejects(f.ctrd.client.images.get('test/refused'), (e: unknown) => isNotFound(e));
});

test('pullImage() uses the stored image when the registry is unreachable, and says clearly when there is none', async () => {
  const own = await TestRegistry.start(path.join(f.work, 'registry-down'));
  const layout = await testLayout({ extraFiles: { '/cached': 'served from the cache\n' }, cmd: fileCheck('/cached', 'served from the cache') });
  const name = `${own.host}/test/cached:v1`;
  pushLayout(layout, 'latest', name);
  const first = await pullImage(f.ctrd.client, registryRef(name), { name, platform, retry });
  await own.kill();
  // Drop the top snapshot: the cached image must be unpacked again before it can run.
  ctr('snapshots', 'rm', first.chainId);

  const log = recordingLogger();
  const events: ProgressEvent[] = [];
  const cached = await pullImage(f.ctrd.client, registryRef(name), { name, platform, retry, logger: log, onProgress: (e) => events.push(e) });
  assert.equal(cached.fromCache, true);
  assert.equal(cached.target.digest, first.target.digest);
  assert.equal(cached.layersApplied, 1);
  assert.ok(events.some((e) => e.kind === 'retry'), 'the registry was retried before giving up');
  const warning = log.entries.find((e) => e.level === 'warn' && /using the image already stored/.test(e.msg));
  assert.ok(warning, 'the fallback is logged');
  assert.deepEqual(warning.fields.hosts, [own.host]);
  assert.equal(ctrRunStatus(f.ctrd.paths.hostContainerd.socket, 'default', name, `cached-${process.pid}`), FILE_MATCHES, 'the cached image runs and holds its file');

  const never = `${own.host}/test/never:v1`;
  await assert.rejects(pullImage(f.ctrd.client, registryRef(never), { name: never, platform, retry }), (e: unknown) => {
    assert.ok(BerthError.is(e));
    assert.equal(e.code, 'UNAVAILABLE');
    assert.ok(e.message.includes(own.host), e.message);
    assert.ok(e.message.includes(`${own.host}/test/never:v1`), e.message);
    return true;
  });
  await assert.rejects(f.ctrd.client.images.get(never), (e: unknown) => isNotFound(e));
});
