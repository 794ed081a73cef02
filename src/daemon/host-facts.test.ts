import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { oomKillCounter } from './host-facts.js';

test('oomKillCounter() finds the v1 memory hierarchy, else a v2 root with the memory controller, else none', async (t) => {
  const dir = await mkdtemp(path.join(tmpdir(), 'cg-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const v1 = path.join(dir, 'v1');
  await mkdir(path.join(v1, 'memory'), { recursive: true });
  await writeFile(path.join(v1, 'memory', 'memory.oom_control'), 'oom_kill_disable 0\n');
  await mkdir(path.join(v1, 'unified'));
  assert.deepEqual(oomKillCounter(v1), { root: path.join(v1, 'memory'), file: 'memory.oom_control' });
  const v2 = path.join(dir, 'v2');
  await mkdir(v2);
  await writeFile(path.join(v2, 'cgroup.controllers'), 'cpuset cpu io memory pids\n');
  assert.deepEqual(oomKillCounter(v2), { root: v2, file: 'memory.events' });
  await writeFile(path.join(v2, 'cgroup.controllers'), 'cpu pids\n');
  assert.equal(oomKillCounter(v2), undefined);
  assert.equal(oomKillCounter(path.join(dir, 'none')), undefined);
});
