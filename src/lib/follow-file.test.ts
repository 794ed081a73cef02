import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFile, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { followFile } from './follow-file.js';

async function collect(s: NodeJS.ReadableStream): Promise<string> {
  let out = '';
  for await (const c of s) out += c.toString();
  return out;
}

test('followFile() reads rotated files first, then the file; lastBytes gives a tail', async (t) => {
  const dir = await mkdtemp(path.join(tmpdir(), 'ff-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const f = path.join(dir, 'c.log');
  await writeFile(`${f}.1`, 'old\n');
  await writeFile(f, 'new line 1\nnew line 2\n');
  assert.equal(await collect(followFile(f, { rotated: [`${f}.1`] })), 'old\nnew line 1\nnew line 2\n');
  assert.equal(await collect(followFile(f, { lastBytes: 11 })), 'new line 2\n');
  assert.equal(await collect(followFile(path.join(dir, 'missing.log'))), '');
});

test('followFile() follows appends and a rotation until destroyed', async (t) => {
  const dir = await mkdtemp(path.join(tmpdir(), 'ff-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const f = path.join(dir, 'c.log');
  await writeFile(f, 'a\n');
  const s = followFile(f, { follow: true, pollMs: 20 });
  let seen = '';
  s.on('data', (c) => (seen += c.toString()));
  const until = async (text: string) => {
    for (let i = 0; i < 200 && !seen.includes(text); i++) await new Promise((r) => setTimeout(r, 10));
    assert.ok(seen.includes(text), `saw ${JSON.stringify(seen)}`);
  };
  await until('a\n');
  await appendFile(f, 'b\n');
  await until('b\n');
  await rename(f, `${f}.1`);
  await writeFile(f, 'c\n');
  await until('c\n');
  s.destroy();
  assert.equal(seen, 'a\nb\nc\n');
});
