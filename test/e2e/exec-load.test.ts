import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { startBerthd, until, type BerthdProcess } from '../helpers/berthd-process.js';
import { makeTempRoot } from '../helpers/temp-root.js';
import { testImagesDir } from '../helpers/test-images-dir.js';
import { pidsRunning } from '../helpers/process-scan.js';
import { cpuLoad } from '../helpers/cpu-load.js';
import { binary, connectRaw, text, type RawWebSocket } from '../helpers/raw-websocket.js';
import { CONTENT_COMPLETE, initializeMessage } from '../../src/exec/protocol.js';

/**
 * Exec can never starve the daemon: a hundred sessions opened at once, half of them dropped
 * abruptly, while settings are written. Each session runs or is refused with a clear message,
 * every settings write is answered, and nothing is left in the container afterwards.
 */
const SESSIONS = 100;
const COMMAND = ['sh', '-c', 'read x; sleep 1; echo "got $x"'];

let berthd: BerthdProcess;
before(async () => {
  const root = await makeTempRoot('bld');
  berthd = await startBerthd({ root, args: ['--images-dir', await testImagesDir(root)] });
  await until('control running', async () => (await berthd.get<{ state: string }>('/host-containers/control')).state === 'running');
});
after(async () => {
  await berthd?.cleanup();
});

function rssKiB(pid: number): number {
  return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);
}

type Outcome = 'ran' | 'refused' | 'dropped';

async function kept(ws: RawWebSocket, i: number): Promise<Outcome> {
  ws.write(Buffer.concat([text(initializeMessage({ command: COMMAND, target: 'control' })), binary(`hi${i}\n`), text(CONTENT_COMPLETE)]));
  const closed = await ws.closed;
  ws.socket.destroy();
  if (closed?.code === 1000) {
    assert.equal(closed.reason, '0', `session ${i}: exit status`);
    assert.equal(ws.output().toString(), `got hi${i}\n`, `session ${i}: output`);
    return 'ran';
  }
  assert.equal(closed?.code, 1008, `session ${i}: neither ran nor was refused (${JSON.stringify(closed)})`);
  assert.match(ws.texts()[0] ?? '', /"code":"UNAVAILABLE","message":"Too many exec sessions open/, `session ${i}: refusal message`);
  return 'refused';
}

async function dropped(ws: RawWebSocket, i: number): Promise<Outcome> {
  ws.write(text(initializeMessage({ command: COMMAND, target: 'control' })));
  await new Promise((r) => setTimeout(r, i % 50));
  ws.socket.destroy();
  return 'dropped';
}

test(`${SESSIONS} exec sessions at once, half dropped: each runs or is refused, settings writes are answered, nothing is left`, async (t) => {
  const load = cpuLoad(2);
  const pid = berthd.child.pid as number;
  const rssBefore = rssKiB(pid);
  try {
    const sockets = await Promise.all(Array.from({ length: SESSIONS }, () => connectRaw(berthd.paths.apiSocket)));
    const sessions = Promise.all(sockets.map((ws, i) => (i % 2 === 0 ? kept(ws, i) : dropped(ws, i))));
    let writing = true;
    const latencies: number[] = [];
    const writes = (async () => {
      for (let n = 0; writing || n < 3; n++) {
        const started = Date.now();
        const r = await Promise.race([
          berthd.apiclient('set', `host-containers.admin.user-data=${Buffer.from(`write ${n}`).toString('base64')}`),
          new Promise<'timeout'>((res) => setTimeout(() => res('timeout'), 10_000)),
        ]);
        assert.notEqual(r, 'timeout', `settings write ${n} unanswered after 10 s during the exec load`);
        assert.equal(r !== 'timeout' && r.code, 0, `settings write ${n}`);
        latencies.push(Date.now() - started);
      }
    })();
    const outcomes = await sessions;
    writing = false;
    await writes;
    const count = (o: Outcome) => outcomes.filter((x) => x === o).length;
    assert.equal(count('ran') + count('refused'), SESSIONS / 2);
    assert.ok(count('ran') > 0, 'some sessions ran');
    await until('every exec process gone from the container', () => pidsRunning(COMMAND.join(' ')).length === 0, 15_000);
    assert.equal(berthd.child.exitCode, null, 'berthd still running');
    // The places are given back: one more session runs.
    const again = await connectRaw(berthd.paths.apiSocket);
    assert.equal(await kept(again, SESSIONS), 'ran');
    const rssAfter = rssKiB(pid);
    await new Promise((r) => setTimeout(r, 5000));
    t.diagnostic(
      `ran ${count('ran')}, refused ${count('refused')}, dropped ${count('dropped')}; ` +
        `${latencies.length} settings writes, slowest ${Math.max(...latencies)} ms (apiclient process included); ` +
        `berthd RSS ${Math.round(rssBefore / 1024)} MiB before, ${Math.round(rssAfter / 1024)} MiB after, ${Math.round(rssKiB(pid) / 1024)} MiB 5 s later`,
    );
  } finally {
    load.stop();
  }
});
