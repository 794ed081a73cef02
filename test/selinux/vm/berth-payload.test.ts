import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { BERTH_GUEST_DIR, berthPayload, runtimePackages } from './berth-payload.js';

test('runtimePackages() keeps the top-level packages that are not dev-only', () => {
  const lock = {
    packages: {
      '': {},
      'node_modules/ws': {},
      'node_modules/@grpc/grpc-js': {},
      'node_modules/typescript': { dev: true },
      'node_modules/protobufjs/node_modules/long': {},
    },
  };
  assert.deepEqual(runtimePackages(lock), ['node_modules/@grpc/grpc-js', 'node_modules/ws']);
});

test('berthPayload() names the missing piece and what builds it', async (t) => {
  const repo = await mkdtemp(path.join(tmpdir(), 'berth-payload-'));
  t.after(() => rm(repo, { recursive: true, force: true }));
  await assert.rejects(berthPayload(repo), {
    code: 'FAILED_PRECONDITION',
    message: "Cannot put berth in the guest: 'dist/src/cli/berthd.js' is missing (run npm run build)",
  });
  for (const rel of ['dist/src/cli/berthd.js', 'dist/native/berth-logger', 'dist/native/berth-peercred', 'dist/native/sheltie']) {
    await mkdir(path.dirname(path.join(repo, rel)), { recursive: true });
    await writeFile(path.join(repo, rel), '');
  }
  await assert.rejects(berthPayload(repo), { message: /'build\/images\/control\.tar' is missing \(run npm run images\)/ });
});

test('berthPayload() puts berth under /usr/lib/berth without the dev packages or the single-file apiclient', async (t) => {
  const repo = await mkdtemp(path.join(tmpdir(), 'berth-payload-'));
  t.after(() => rm(repo, { recursive: true, force: true }));
  for (const rel of ['dist/src/cli/berthd.js', 'dist/native/berth-logger', 'dist/native/berth-peercred', 'dist/native/sheltie', 'build/images/control.tar', 'build/images/admin.tar']) {
    await mkdir(path.dirname(path.join(repo, rel)), { recursive: true });
    await writeFile(path.join(repo, rel), '');
  }
  const lock = { packages: { 'node_modules/pino': {}, 'node_modules/esbuild': { dev: true } } };
  await writeFile(path.join(repo, 'package-lock.json'), JSON.stringify(lock));
  const files = await berthPayload(repo);
  const guests = files.map((f) => f.guest);
  assert.ok(files.every((f) => f.host === path.join(repo, path.relative(BERTH_GUEST_DIR, f.guest ?? ''))));
  assert.deepEqual(guests, [
    '/usr/lib/berth/package.json',
    '/usr/lib/berth/proto',
    '/usr/lib/berth/dist/src',
    '/usr/lib/berth/dist/native',
    '/usr/lib/berth/build/images/control.tar',
    '/usr/lib/berth/build/images/admin.tar',
    '/usr/lib/berth/node_modules/pino',
  ]);
});
