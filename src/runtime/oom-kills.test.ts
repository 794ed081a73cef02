import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { oomKills, parseOomKills } from './oom-kills.js';

test('parseOomKills() reads the oom_kill count of cgroup v1 memory.oom_control and v2 memory.events', () => {
  assert.equal(parseOomKills('oom_kill_disable 0\nunder_oom 0\noom_kill 3\n'), 3);
  assert.equal(parseOomKills('low 0\nhigh 0\nmax 12\noom 1\noom_kill 1\noom_group_kill 0\n'), 1);
  assert.equal(parseOomKills('oom_kill_disable 0\nunder_oom 0\n'), undefined, 'kernels before 4.13');
});

test('oomKills() reads the file below the hierarchy at the cgroups path; a removed cgroup has none', async (t) => {
  const root = await mkdtemp(path.join(tmpdir(), 'oom-'));
  t.after(() => rm(root, { recursive: true, force: true }));
  await mkdir(path.join(root, 'berth/host/c1'), { recursive: true });
  await writeFile(path.join(root, 'berth/host/c1/memory.oom_control'), 'oom_kill_disable 0\nunder_oom 0\noom_kill 2\n');
  const counter = { root, file: 'memory.oom_control' as const };
  assert.equal(await oomKills(counter, '/berth/host/c1'), 2);
  assert.equal(await oomKills(counter, '/berth/host/gone'), undefined);
});
