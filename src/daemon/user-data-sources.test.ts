import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readUserData } from './user-data-sources.js';

async function dir(t: { after(fn: () => Promise<void>): void }): Promise<string> {
  const d = await mkdtemp(path.join(tmpdir(), 'berth-ud-sources-'));
  t.after(() => rm(d, { recursive: true, force: true }));
  return d;
}

test('readUserData() reads a file, and a missing file is no user data', async (t) => {
  const d = await dir(t);
  const file = path.join(d, 'user-data.toml');
  const mount = path.join(d, 'mnt');
  assert.deepEqual(await readUserData({ file }, { nocloudMount: mount }), []);
  await writeFile(file, '[settings]\n');
  assert.deepEqual(await readUserData({ file }, { nocloudMount: mount }), [{ name: `'${file}'`, text: '[settings]\n' }]);
  await assert.rejects(readUserData({ file: d }, { nocloudMount: mount }), { code: 'INVALID_ARGUMENT', message: new RegExp(`^Cannot read user data '${d}'`) });
});

test('readUserData() reads user-data from a NoCloud seed image, and an absent seed is no user data', async (t) => {
  const d = await dir(t);
  const content = path.join(d, 'seed');
  await mkdir(content);
  await writeFile(path.join(content, 'user-data'), '[settings.host-containers.admin]\nenabled = true\n');
  const image = path.join(d, 'seed.img');
  execFileSync('mke2fs', ['-q', '-t', 'ext4', '-L', 'CIDATA', '-d', content, image, '4M'], { stdio: 'ignore' });
  const mount = path.join(d, 'mnt');
  assert.deepEqual(await readUserData({ nocloud: image }, { nocloudMount: mount }), [
    { name: `the NoCloud seed (${image})`, text: '[settings.host-containers.admin]\nenabled = true\n' },
  ]);
  assert.deepEqual(await readUserData({ nocloud: 'LABEL=BERTH-NO-SUCH-SEED' }, { nocloudMount: mount }), []);
});
