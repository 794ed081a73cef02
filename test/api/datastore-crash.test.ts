import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { access, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Datastore, DATASTORE_FILE } from '../../src/datastore/index.js';
import { CRASH_DEFAULTS, CRASH_TX, crashState } from './crash-child.js';

const CHILD = fileURLToPath(new URL('./crash-child.js', import.meta.url));
const KILLS = 220;

/** Starts the committing child, lets it run a random moment after it is ready, SIGKILLs it. */
async function runAndKill(dir: string, { generation }: { generation: number }): Promise<{ lastReported: number }> {
  const child = spawn(process.execPath, [CHILD], { env: { ...process.env, BERTH_CRASH_DIR: dir }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('ready\n')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`child exited with ${code} before it was ready: ${err}`)));
  });
  await ready;
  await new Promise((r) => setTimeout(r, Math.random() * 40));
  const exited = once(child, 'close');
  child.kill('SIGKILL');
  await exited;
  assert.equal(err, '', 'the child reported no error');
  const reported = out.split('\n').filter((l) => /^[0-9]+$/.test(l)).map(Number);
  return { lastReported: reported.at(-1) ?? generation };
}

test('kill -9 at random moments of a commit loop always leaves the state of some complete commit', { timeout: 300_000 }, async (t) => {
  const dir = await mkdtemp(path.join(tmpdir(), 'berth-crash-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  let generation = 0;
  let killedMidWrite = 0;
  for (let i = 0; i < KILLS; i++) {
    const { lastReported } = await runAndKill(dir, { generation });
    const tempLeft = await access(path.join(dir, `${DATASTORE_FILE}.tmp`)).then(() => true, () => false);
    if (tempLeft) killedMidWrite++;
    const ds = await Datastore.open({ dir, defaults: CRASH_DEFAULTS });
    // Every commit the child saw return is on disk; at most one more (killed after the rename).
    assert.ok(ds.generation >= lastReported && ds.generation <= lastReported + 1, `kill ${i}: generation ${ds.generation}, last commit the child saw return ${lastReported}`);
    assert.ok(ds.generation >= generation, 'commits are never lost');
    generation = ds.generation;
    assert.deepEqual(ds.stored(), crashState(generation), `kill ${i}: stored settings are exactly those of commit ${generation}`);
    const pending = ds.transaction(CRASH_TX);
    if (Object.keys(pending).length > 0) assert.deepEqual(pending, crashState(generation + 1), `kill ${i}: pending is a whole patch`);
  }
  assert.ok(generation >= KILLS / 2, `the child made progress (${generation} commits)`);
  assert.ok(killedMidWrite > 0, 'some kills landed while a new file was being written');
  t.diagnostic(`${KILLS} kills, ${generation} commits, ${killedMidWrite} kills during a write`);
});
