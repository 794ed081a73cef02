import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { Readable, Writable } from 'node:stream';
import { startBerthd, until, type BerthdProcess } from '../helpers/berthd-process.js';
import { makeTempRoot } from '../helpers/temp-root.js';
import { testImagesDir } from '../helpers/test-images-dir.js';
import { pidsRunning } from '../helpers/process-scan.js';
import { cpuLoad } from '../helpers/cpu-load.js';
import { APICLIENT } from '../helpers/repo.js';
import { binary, connectRaw, text } from '../helpers/raw-websocket.js';
import { runExec } from '../../src/apiclient/exec-client.js';
import { CONTENT_COMPLETE, initializeMessage } from '../../src/exec/protocol.js';

/**
 * Every way an exec session can end, repeated in one berthd with two busy loops beside it. A session
 * that does not end within 10 s fails the test at once, naming the case and the iteration.
 * BERTH_STRESS=N runs N of each (default 50).
 */
const RUNS = Number(process.env['BERTH_STRESS'] ?? 50);
const LIMIT_MS = 10_000;

let berthd: BerthdProcess;
let load: { stop(): void };
before(async () => {
  const root = await makeTempRoot('bst');
  berthd = await startBerthd({ root, args: ['--images-dir', await testImagesDir(root)] });
  await until('control running', async () => (await berthd.get<{ state: string }>('/host-containers/control')).state === 'running');
  load = cpuLoad(2);
});
after(async () => {
  load?.stop();
  await berthd?.cleanup();
});

function collector(): { sink: Writable; bytes(): Buffer } {
  const chunks: Buffer[] = [];
  return {
    sink: new Writable({
      write(chunk: Buffer, _enc, cb) {
        chunks.push(chunk);
        cb();
      },
    }),
    bytes: () => Buffer.concat(chunks),
  };
}

async function exec(command: string[], input: Buffer, tty = false): Promise<{ exitCode: number; out: Buffer }> {
  const out = collector();
  const r = await runExec({
    socketPath: berthd.paths.apiSocket,
    target: 'control',
    command,
    stdin: Readable.from(input.length ? [input] : []),
    stdout: out.sink,
    ...(tty ? { tty: { rows: 24, cols: 80 } } : {}),
  });
  assert.equal(r.error, undefined, JSON.stringify(r.error));
  return { exitCode: r.exitCode ?? -1, out: out.bytes() };
}

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const large = randomBytes(8 << 20);

/** The apiclient executable itself, as a user runs it: `printf 12345 | apiclient exec -T control wc -c`. */
function apiclientExec(input: string, ...args: string[]): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(APICLIENT, ['-s', berthd.paths.apiSocket, 'exec', ...args], { stdio: ['pipe', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out }));
    child.stdin.end(input);
  });
}

const CASES: Record<string, (i: number) => Promise<void>> = {
  async 'the apiclient executable: printf 12345 | apiclient exec -T control wc -c'() {
    assert.deepEqual(await apiclientExec('12345', '-T', 'control', 'wc', '-c'), { code: 0, out: '5\n' });
  },
  async 'piped input, no terminal'() {
    const r = await exec(['wc', '-c'], Buffer.from('12345'));
    assert.deepEqual([r.exitCode, r.out.toString()], [0, '5\n']);
  },
  async 'a terminal'() {
    const r = await exec(['sh', '-c', 'read x; echo "got $x"'], Buffer.from('hello\n'), true);
    assert.equal(r.exitCode, 0);
    assert.match(r.out.toString(), /got hello/);
  },
  async 'input and EOF sent with Initialize, before the process starts'() {
    const ws = await connectRaw(berthd.paths.apiSocket);
    const input = randomBytes(180);
    ws.write(Buffer.concat([text(initializeMessage({ command: ['cat'], target: 'control' })), binary(input), text(CONTENT_COMPLETE)]));
    assert.deepEqual(await ws.closed, { code: 1000, reason: '0' });
    assert.equal(sha(ws.output()), sha(input));
    ws.socket.destroy();
  },
  async 'empty input'() {
    const r = await exec(['wc', '-c'], Buffer.alloc(0));
    assert.deepEqual([r.exitCode, r.out.toString()], [0, '0\n']);
  },
  async 'large input (8 MiB through cat)'() {
    const r = await exec(['cat'], large);
    assert.equal(r.exitCode, 0);
    assert.equal(r.out.length, large.length);
    assert.equal(sha(r.out), sha(large));
  },
  async 'a process that exits before reading its input'() {
    const r = await exec(['true'], randomBytes(1 << 20));
    assert.equal(r.exitCode, 0);
  },
  async 'a client that disconnects'(i) {
    const marker = `sleep ${200000 + i}`;
    const ws = await connectRaw(berthd.paths.apiSocket);
    ws.write(text(initializeMessage({ command: marker.split(' '), target: 'control' })));
    await until(`'${marker}' running`, () => pidsRunning(marker).length === 1, LIMIT_MS);
    ws.socket.destroy();
    await until(`'${marker}' killed after its client left`, () => pidsRunning(marker).length === 0, LIMIT_MS);
  },
};

for (const [name, run] of Object.entries(CASES)) {
  test(`exec stress: ${name}, ${RUNS} times under load`, async (t) => {
    const started = Date.now();
    for (let i = 0; i < RUNS; i++) {
      let timer: NodeJS.Timeout | undefined;
      const limit = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${name}: iteration ${i + 1} of ${RUNS} did not end within ${LIMIT_MS / 1000} s`)), LIMIT_MS);
      });
      try {
        await Promise.race([run(i), limit]);
      } catch (err) {
        throw new Error(`${name}: iteration ${i + 1} of ${RUNS} failed: ${(err as Error).message}`, { cause: err });
      } finally {
        clearTimeout(timer);
      }
    }
    t.diagnostic(`${name}: ${RUNS} runs, 0 hangs, ${((Date.now() - started) / 1000).toFixed(1)} s`);
  });
}
