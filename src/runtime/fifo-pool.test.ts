import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FifoPool } from './fifo-pool.js';

test('FifoPool.take() hands out a directory of three FIFOs under the name asked for, refilling as it goes', async (t) => {
  const dir = await mkdtemp(path.join(tmpdir(), 'berth-fifo-pool-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const pool = new FifoPool(dir, { batch: 4 });
  const taken = await Promise.all(Array.from({ length: 10 }, (_, i) => pool.take(`exec-${i}`)));
  assert.deepEqual(taken, Array.from({ length: 10 }, (_, i) => path.join(dir, `exec-${i}`)));
  for (const d of taken) {
    assert.deepEqual((await readdir(d)).sort(), ['stderr', 'stdin', 'stdout']);
    for (const f of ['stdin', 'stdout', 'stderr']) assert.ok((await stat(path.join(d, f))).isFIFO(), `${d}/${f} is a FIFO`);
  }
  await pool.drain();
  const left = (await readdir(dir)).filter((n) => n.startsWith('pool-'));
  assert.deepEqual(left, [], 'drain() removes the sets not handed out');
});
