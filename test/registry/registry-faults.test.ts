import { test } from 'node:test';
import assert from 'node:assert/strict';
import { open, readFile } from 'node:fs/promises';
import path from 'node:path';
import { pullImage } from '../../src/images/registry/index.js';
import { hostPlatform } from '../../src/images/platform.js';
import type { ProgressEvent } from '../../src/images/progress-events.js';
import { BerthError, isNotFound } from '../../src/errors/index.js';
import { until } from '../helpers/berthd-process.js';
import { RecordingProxy } from './recording-proxy.js';
import { registryRef, usePullFixture } from './pull-fixture.js';
import { bigLayout, pushLayout, registryBlobFile, testLayout } from './registry-images.js';

const platform = hostPlatform(process.arch);
const f = usePullFixture({ withRegistry: true });

/** The layers of the `latest` image of an OCI layout, from its own files. */
async function layoutLayers(layout: string): Promise<Array<{ digest: string; size: number }>> {
  const blob = async (digest: string) => JSON.parse(await readFile(path.join(layout, 'blobs', 'sha256', digest.slice(7)), 'utf8'));
  const index = JSON.parse(await readFile(path.join(layout, 'index.json'), 'utf8'));
  const entry = index.manifests.find((m: { annotations?: Record<string, string> }) => m.annotations?.['org.opencontainers.image.ref.name'] === 'latest');
  return (await blob(entry.digest)).layers;
}

test('pullImage() survives a registry stopped mid-download: it retries and resumes the blob at the offset containerd holds', async () => {
  const layout = await bigLayout(24);
  const big = (await layoutLayers(layout)).at(-1)!;
  assert.ok(big.size > 20 << 20, `the big layer is ${big.size} bytes`);
  pushLayout(layout, 'latest', `${f.registry.host}/test/big:v1`);
  const proxy = await RecordingProxy.start(f.registry.port);
  try {
    const name = `${proxy.host}/test/big:v1`;
    const held = proxy.holdAfter(big.digest.slice(7), 8 << 20);
    const events: ProgressEvent[] = [];
    const pulling = pullImage(f.ctrd.client, registryRef(name), {
      name,
      platform,
      retry: { attempts: 10, baseMs: 100, maxMs: 800 },
      onProgress: (e) => events.push(e),
    });
    pulling.catch(() => undefined);
    await held;
    await f.registry.kill();
    proxy.release();
    // While the registry is down, the pull keeps failing and retrying.
    const tries = () => proxy.requests.filter((r) => r.status === undefined || r.path.includes(big.digest.slice(7))).length;
    await until('3 tries of the big layer while the registry is down', () => tries() >= 3);
    await f.registry.resume();
    const res = await pulling;

    assert.equal(res.layersApplied, 2, 'both layers unpacked; the diff ID check proves the bytes are right');
    const transfers = proxy.requests.filter((r) => r.path.includes(big.digest.slice(7)) && r.method === 'GET');
    const first = transfers[0]!;
    assert.equal(first.range, undefined);
    assert.ok(first.bytes >= 8 << 20 && first.bytes < big.size, `first transfer broke off after ${first.bytes} bytes`);
    const resumed = transfers.find((r) => r.status === 206);
    assert.ok(resumed, `a ranged request completed: ${JSON.stringify(transfers)}`);
    const from = Number(/^bytes=(\d+)-$/.exec(resumed.range ?? '')?.[1]);
    assert.ok(from > 0 && from <= first.bytes, `resumed from byte ${from}`);
    assert.equal(resumed.bytes, big.size - from, 'only the missing bytes were sent again');
    assert.ok(events.some((e) => e.kind === 'retry' && e.what === big.digest));
  } finally {
    await proxy.close();
  }
});

test('pullImage() rejects a tampered blob with a digest error and stores nothing under the image name', async () => {
  const layout = await testLayout({ extraFiles: { '/tampered': 'original content\n'.repeat(4096) } });
  const name = `${f.registry.host}/test/tampered:v1`;
  pushLayout(layout, 'latest', name);
  const top = (await layoutLayers(layout)).at(-1)!;
  const file = await open(registryBlobFile(f.registry.storage, top.digest), 'r+');
  const at = Math.floor(top.size / 2);
  const original = Buffer.alloc(1);
  await file.read(original, 0, 1, at);
  await file.write(Buffer.from([original[0]! ^ 0xff]), 0, 1, at);

  await assert.rejects(pullImage(f.ctrd.client, registryRef(name), { name, platform, retry: { attempts: 3, baseMs: 50 } }), (e: unknown) => {
    assert.ok(BerthError.is(e));
    assert.equal(e.code, 'FAILED_PRECONDITION');
    assert.match(e.message, /digest/);
    return true;
  });
  const partial = (await f.ctrd.client.content.listStatuses()).filter((st) => st.ref.includes(top.digest));
  assert.deepEqual(partial, [], 'the bad download is not kept for a later resume');
  await assert.rejects(f.ctrd.client.images.get(name), (e: unknown) => isNotFound(e));
  await assert.rejects(f.ctrd.client.content.info(top.digest), (e: unknown) => isNotFound(e));

  // Once the registry serves the right bytes again, the pull succeeds: no bad partial download stays in the way.
  await file.write(original, 0, 1, at);
  await file.close();
  const res = await pullImage(f.ctrd.client, registryRef(name), { name, platform, retry: { attempts: 3, baseMs: 50 } });
  assert.equal(res.image.manifest.layers.at(-1)!.digest, top.digest);
});
