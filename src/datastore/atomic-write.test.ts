import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { tempPathOf, writeFileAtomic } from './atomic-write.js';

test('writeFileAtomic() replaces the file, leaves no temporary file and sets the mode', async (t) => {
  const dir = await mkdtemp(path.join(tmpdir(), 'berth-atomic-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'state.json');
  await writeFileAtomic(file, 'one');
  await writeFile(tempPathOf(file), 'stale half-written junk');
  await writeFileAtomic(file, 'two', { mode: 0o640 });
  assert.equal(await readFile(file, 'utf8'), 'two');
  assert.equal((await stat(file)).mode & 0o777, 0o640);
  assert.deepEqual(await readdir(dir), ['state.json']);
});

test('writeFileAtomic() leaves the old content when the directory is gone', async (t) => {
  const dir = await mkdtemp(path.join(tmpdir(), 'berth-atomic-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  await assert.rejects(writeFileAtomic(path.join(dir, 'missing', 'f'), 'x'), { code: 'ENOENT' });
});
