import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:net';
import { mkdir, readdir } from 'node:fs/promises';
import { finished } from 'node:stream';
import { startTestContainerd, type TestContainerd } from '../helpers/containerd.js';
import { testImageArchive } from '../helpers/test-image.js';
import { hostRuntimeFor } from '../helpers/host-runtime.js';
import { startExec, type ExecProcess } from '../../src/runtime/exec-process.js';
import { FifoPool } from '../../src/runtime/fifo-pool.js';
import { BerthError } from '../../src/errors/index.js';
import type { Spec } from '../../src/oci/spec.js';

let ctrd: TestContainerd;
let api: Server;
let spec: Spec;
before(async () => {
  ctrd = await startTestContainerd();
  await mkdir(ctrd.paths.run, { recursive: true });
  api = createServer().listen(ctrd.paths.apiSocket);
  const archive = await testImageArchive({ cmd: ['/bin/sleep', '3600'] });
  const rt = hostRuntimeFor(ctrd);
  await rt.create({ name: 'box', kind: 'host', source: `oci-archive:${archive}`, superpowered: false, userData: undefined, resources: {}, command: [], environment: {}, apiAccess: 'admin', registry: {}, hash: 'h' });
  await rt.start('box', 'host');
  spec = (await rt.execTarget('box', 'host'))!.spec;
  await mkdir(ctrd.paths.fifoDir, { recursive: true });
  fifos = new FifoPool(ctrd.paths.fifoDir);
});
after(async () => {
  api?.close();
  await ctrd?.cleanup();
});

async function collect(p: ExecProcess): Promise<{ out: string; code: number }> {
  let out = '';
  p.output.on('data', (d) => (out += d.toString()));
  const code = await p.exited;
  // The output may have ended before the exit status arrived: finished() settles either way.
  await new Promise((r) => finished(p.output, r));
  await p.release();
  return { out, code };
}

let fifos: FifoPool;

/** The exec directories left under the FIFO dir (the pool's own sets are not sessions'). */
async function sessionDirs(): Promise<string[]> {
  return (await readdir(ctrd.paths.fifoDir)).filter((n) => !n.startsWith('pool-'));
}

/** Session directories are removed after release() returns, in the background. */
async function noSessionDirs(): Promise<void> {
  for (let i = 0; i < 100 && (await sessionDirs()).length > 0; i++) await new Promise((r) => setTimeout(r, 20));
  assert.deepEqual(await sessionDirs(), [], 'FIFOs removed');
}

test('startExec() runs a command and returns its output and exit code', async () => {
  const p = await startExec(ctrd.client, { containerId: 'box', spec, args: ['sh', '-c', 'echo out; echo err >&2; exit 7'], fifos });
  const { out, code } = await collect(p);
  assert.equal(code, 7);
  assert.equal(out.split('\n').filter(Boolean).sort().join(','), 'err,out');
  await noSessionDirs();
});

test('startExec() feeds stdin and delivers EOF', async () => {
  const p = await startExec(ctrd.client, { containerId: 'box', spec, args: ['sh', '-c', 'cat; echo done'], fifos });
  p.stdin.write('ping\n');
  await p.closeStdin();
  const { out, code } = await collect(p);
  assert.equal(code, 0);
  assert.equal(out, 'ping\ndone\n');
});

test('startExec() with a terminal: initial size, resize, a tty', async () => {
  const p = await startExec(ctrd.client, { containerId: 'box', spec, args: ['sh'], tty: { rows: 40, cols: 100 }, fifos });
  let out = '';
  p.output.on('data', (d) => (out += d.toString()));
  p.stdin.write('stty size; tty\n');
  const deadline = Date.now() + 10_000;
  while (!out.includes('40 100') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  await p.resize({ rows: 30, cols: 90 });
  p.stdin.write('stty size; exit 3\n');
  assert.equal(await p.exited, 3);
  await p.release();
  assert.match(out, /40 100/);
  assert.match(out, /30 90/);
  assert.match(out, /\/dev\/pts\/\d+/);
});

test('startExec() names a missing command', async () => {
  await assert.rejects(startExec(ctrd.client, { containerId: 'box', spec, args: ['no-such-cmd'], fifos }), (e: unknown) => {
    assert.ok(BerthError.is(e));
    assert.equal(e.code, 'NOT_FOUND');
    assert.match(e.message, /no-such-cmd: command not found/);
    return true;
  });
  await noSessionDirs();
});

test('startExec() output ends even when the process exits before its FIFOs are read', async () => {
  for (let i = 0; i < 8; i++) {
    const p = await startExec(ctrd.client, { containerId: 'box', spec, args: ['true'], fifos });
    p.output.resume();
    assert.equal(await p.exited, 0);
    await p.release();
    assert.equal(p.output.readableEnded, true, `run ${i}: the output reached its end, it was not cut off`);
  }
});
