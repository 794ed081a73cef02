import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { startBerthd, until } from '../helpers/berthd-process.js';
import { makeTempRoot } from '../helpers/temp-root.js';
import { testImagesDir } from '../helpers/test-images-dir.js';
import type { ContainerStatus } from '../../src/reconciler/status.js';

/** A host container whose registry cannot be reached (a closed port): status and logs say so while berth retries. */
test('a host container on an unreachable registry shows as pulling, naming the registry and the reference, within 10 s of the first failed attempt', async (t) => {
  const root = await makeTempRoot('pullerr');
  const userData = path.join(root, 'user-data.toml');
  await writeFile(userData, '[settings.host-containers.far]\nsource = "127.0.0.1:1/team/far:v1"\nenabled = true\n');
  const b = await startBerthd({ root, args: ['--images-dir', await testImagesDir(root), '--user-data', userData] });
  t.after(async () => {
    await b.cleanup();
  });

  await until('the first failed pull attempt', () => b.lines.some((l) => l.includes('registry request failed, retrying')), 30_000, 20);
  const failedAt = Date.now();
  const status = await until(
    'far pulling with its error',
    async () => {
      const s = await b.get<ContainerStatus>('/host-containers/far');
      return s.state !== 'starting' && s.error ? s : undefined;
    },
    10_000,
    50,
  );
  assert.ok(Date.now() - failedAt < 10_000);
  assert.equal(status.state, 'pulling');
  assert.match(status.error ?? '', /^Cannot pull 127\.0\.0\.1:1\/team\/far:v1 from registry 127\.0\.0\.1:1: attempt \d failed \(.+\); next attempt at \d{4}-/);

  const table = await b.apiclient('status', 'far');
  assert.equal(table.code, 0, table.stderr);
  assert.match(table.stdout, /^far\s+pulling \(Cannot pull 127\.0\.0\.1:1\/team\/far:v1 from registry 127\.0\.0\.1:1: attempt \d failed/m);

  const logs = await b.apiclient('logs', 'far');
  assert.equal(logs.code, 0, logs.stderr);
  assert.equal(logs.stdout, '', 'it never ran');
  assert.match(logs.stderr, /^apiclient: far is not running: pulling \(Cannot pull 127\.0\.0\.1:1\/team\/far:v1 from registry 127\.0\.0\.1:1: /);

  // The other host containers are not held up by it.
  await until('control running', async () => (await b.get<ContainerStatus>('/host-containers/control')).state === 'running');
});
