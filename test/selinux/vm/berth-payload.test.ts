import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { BERTH_GUEST_DIR, berthPayload } from './berth-payload.js';

const BUILT = ['dist/berth', 'dist/bin/berthd', 'dist/bin/apiclient', 'dist/native/berth-logger', 'dist/native/berth-peercred', 'dist/native/sheltie'];
const IMAGES = ['build/images/control.tar', 'build/images/admin.tar'];

async function repoWith(t: { after(fn: () => Promise<void>): void }, files: readonly string[]): Promise<string> {
  const repo = await mkdtemp(path.join(tmpdir(), 'berth-payload-'));
  t.after(() => rm(repo, { recursive: true, force: true }));
  for (const rel of files) {
    await mkdir(path.dirname(path.join(repo, rel)), { recursive: true });
    await writeFile(path.join(repo, rel), '');
  }
  return repo;
}

test('berthPayload() names the missing piece and what builds it', async (t) => {
  await assert.rejects(berthPayload(await repoWith(t, [])), {
    code: 'FAILED_PRECONDITION',
    message: "Cannot put berth in the guest: 'dist/berth' is missing (run npm run build)",
  });
  await assert.rejects(berthPayload(await repoWith(t, BUILT)), { message: /'build\/images\/control\.tar' is missing \(run npm run images\)/ });
});

test('berthPayload() puts the executable, its helpers and the images under /usr/lib/berth, and no Node', async (t) => {
  const repo = await repoWith(t, [...BUILT, ...IMAGES]);
  const files = await berthPayload(repo);
  assert.ok(files.every((f) => f.host === path.join(repo, path.relative(BERTH_GUEST_DIR, f.guest ?? ''))));
  assert.deepEqual(
    files.map((f) => f.guest),
    [...BUILT, ...IMAGES].map((rel) => `/usr/lib/berth/${rel}`),
  );
});
