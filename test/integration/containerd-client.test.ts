import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { startTestContainerd, type TestContainerd } from '../helpers/containerd.js';
import { BerthError } from '../../src/errors/index.js';

let ctrd: TestContainerd;
before(async () => {
  ctrd = await startTestContainerd({ namespace: 'client-test' });
});
after(async () => {
  await ctrd?.cleanup();
});

function digestOf(data: Buffer): string {
  return 'sha256:' + createHash('sha256').update(data).digest('hex');
}

async function* once(buf: Buffer): AsyncGenerator<Buffer> {
  yield buf;
}

test('ContainerdClient talks to a real containerd: version, namespaces', async () => {
  const v = await ctrd.client.version.version();
  assert.match(v.version, /^1\.6\./);
  await ctrd.client.namespaces.ensure('client-test');
  await ctrd.client.namespaces.ensure('client-test'); // idempotent
  assert.ok((await ctrd.client.namespaces.list()).includes('client-test'));
});

test('ContainerdClient maps NOT_FOUND to a BerthError naming the call', async () => {
  await assert.rejects(ctrd.client.containers.get('no-such-container'), (err: unknown) => {
    assert.ok(BerthError.is(err));
    assert.equal(err.code, 'NOT_FOUND');
    assert.match(err.message, /Containers\.Get/);
    return true;
  });
});

test('Content.Write stores a blob with labels, resumes a partial ingest, and treats existing blobs as success', async () => {
  const c = ctrd.client;
  const lease = await c.leases.create();
  const data = Buffer.alloc(3 * 1024 * 1024 + 17, 7);
  const digest = digestOf(data);
  const ref = `test-${Date.now()}`;

  // Interrupt a first write after 1 MiB: the source throws, the stream ends without commit.
  const broken = c.content.writer(ref, { lease: lease.id });
  await assert.rejects(
    broken.write({ digest, size: data.length }, async function* () {
      yield data.subarray(0, 1 << 20);
      throw new Error('connection dropped');
    }),
  );
  const status = (await c.content.listStatuses()).find((s) => s.ref === ref);
  assert.equal(status?.offset, 1 << 20, 'containerd kept the first MiB of the ingest');

  const offsets: number[] = [];
  const outcome = await c.content.writer(ref, { lease: lease.id }).write(
    { digest, size: data.length, labels: { 'berth.test/label': 'x' } },
    async function* (offset) {
      offsets.push(offset);
      yield data.subarray(offset);
    },
  );
  assert.equal(outcome, 'written');
  assert.deepEqual(offsets, [1 << 20], 'the retry resumed at the offset containerd reported');
  const info = await c.content.info(digest);
  assert.equal(info.size, data.length);
  assert.equal(info.labels['berth.test/label'], 'x');
  assert.deepEqual(await c.content.read(digest), data);

  const again = await c.content.writer(`again-${Date.now()}`, { lease: lease.id }).write({ digest, size: data.length }, () => once(data));
  assert.equal(again, 'exists');

  // A wrong digest is refused at commit and nothing is stored under it.
  const wrong = Buffer.from('tampered');
  await assert.rejects(
    c.content.writer(`bad-${Date.now()}`, { lease: lease.id }).write({ digest: digestOf(Buffer.from('original')), size: wrong.length }, () => once(wrong)),
    (err: unknown) => BerthError.is(err) && err.code === 'FAILED_PRECONDITION',
  );
  await c.leases.delete(lease.id, { sync: true });
  await assert.rejects(c.content.info(digest), (err: unknown) => BerthError.is(err) && err.code === 'NOT_FOUND');
});

test('waitUntilReady() fails with UNAVAILABLE naming a socket where nothing listens', async () => {
  const { ContainerdClient } = await import('../../src/containerd/index.js');
  const client = ContainerdClient.connect({ socket: `${ctrd.root}/nothing.sock`, namespace: 'x' });
  try {
    await assert.rejects(client.waitUntilReady({ timeoutMs: 500 }), (err: unknown) => {
      assert.ok(BerthError.is(err));
      assert.equal(err.code, 'UNAVAILABLE');
      assert.match(err.message, /nothing\.sock/);
      return true;
    });
  } finally {
    client.close();
  }
});
