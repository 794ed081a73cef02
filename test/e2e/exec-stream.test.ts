import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { startBerthd, until, type BerthdProcess } from '../helpers/berthd-process.js';
import { makeTempRoot } from '../helpers/temp-root.js';
import { testImagesDir } from '../helpers/test-images-dir.js';
import { APICLIENT } from '../helpers/repo.js';

const root = await makeTempRoot('bexec');
let berthd: BerthdProcess;
after(async () => {
  await berthd?.cleanup();
});

function execWithInput(args: string[], input: Buffer): Promise<{ code: number | null; out: Buffer; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(APICLIENT, ['-s', berthd.paths.apiSocket, 'exec', ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let err = '';
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('close', (code) => resolve({ code, out: Buffer.concat(out), err }));
    child.stdin.end(input);
  });
}

test('exec streams stdin and stdout intact: 24 MiB of random bytes through cat, sent before the process even starts', async () => {
  berthd = await startBerthd({ root, args: ['--images-dir', await testImagesDir(root)] });
  await until('control running', async () => (await berthd.get<{ state: string }>('/host-containers/control')).state === 'running');
  const data = randomBytes(24 << 20);
  const r = await execWithInput(['-T', 'control', 'cat'], data);
  assert.equal(r.code, 0, r.err);
  assert.equal(r.out.length, data.length);
  assert.equal(createHash('sha256').update(r.out).digest('hex'), createHash('sha256').update(data).digest('hex'));
});

test('exec: stdin EOF reaches the process; exit status and stderr come back', async () => {
  const r = await execWithInput(['-T', 'control', 'sh', '-c', 'wc -c; echo oops >&2; exit 42'], Buffer.from('12345'));
  assert.equal(r.code, 42);
  assert.match(r.out.toString(), /^5\noops\n$|^oops\n5\n$/);
});
