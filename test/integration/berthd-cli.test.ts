import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { berthCgroupDirs } from '../../src/daemon/cgroup-dirs.js';
import { berthPaths } from '../../src/daemon/paths.js';
import { processArgv, processExists } from '../../src/daemon/process-identity.js';
import { makeTempRoot, removeTempRoot } from '../helpers/temp-root.js';
import { testImagesDir } from '../helpers/test-images-dir.js';
import { BERTHD } from '../helpers/repo.js';

const run = promisify(execFile);
const root = await makeTempRoot('bcli');
const paths = berthPaths(root);
const imagesDir = await testImagesDir(root);
after(() => removeTempRoot(root));

function startBerthd(): { lines: string[]; exited: Promise<number | null>; pid: number } {
  const child = spawn(BERTHD, ['run', '--root', root, '--images-dir', imagesDir], { stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  child.stdout.setEncoding('utf8').on('data', (d: string) => lines.push(...d.split('\n').filter(Boolean)));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return { lines, exited, pid: child.pid as number };
}

async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

test('berthd run starts both daemons with JSON logs; a second run refuses; a restart adopts; berthd stop stops everything and removes its cgroups', async () => {
  const first = startBerthd();
  await until(() => first.lines.some((l) => l.includes('berthd ready')), 'berthd ready');
  for (const line of first.lines) JSON.parse(line); // structured logs: one JSON object per line
  const hostPid = Number(await readFile(paths.hostContainerd.pidfile, 'utf8'));
  const orchPid = Number(await readFile(paths.orchestratorContainerd.pidfile, 'utf8'));
  assert.ok(processExists(hostPid) && processExists(orchPid));

  await assert.rejects(run(BERTHD, ['run', '--root', root]), (err: { code: number; stderr: string }) => {
    assert.equal(err.code, 4);
    assert.match(err.stderr, /already running for root/);
    return true;
  });

  // SIGTERM: berthd exits, the daemons stay for the next berthd.
  process.kill(first.pid, 'SIGTERM');
  assert.equal(await first.exited, 0);
  assert.ok(processExists(hostPid) && processExists(orchPid));

  const second = startBerthd();
  await until(() => second.lines.some((l) => l.includes('berthd ready')), 'second berthd ready');
  const adopted = second.lines.map((l) => JSON.parse(l)).filter((o) => o.adopted === true);
  assert.deepEqual(adopted.map((o) => o.pid).sort(), [hostPid, orchPid].sort());
  const inHostParent = async () => (await berthCgroupDirs(paths)).some((d) => d.endsWith(paths.hostContainerd.cgroupParent));
  await until(inHostParent, `the control container's cgroup under ${paths.hostContainerd.cgroupParent}`);

  await run(BERTHD, ['stop', '--root', root]);
  assert.equal(await second.exited, 0);
  assert.deepEqual(await berthCgroupDirs(paths), [], 'no cgroup of this root is left in any hierarchy');
  // Gone, or a zombie left for PID 1 to reap (no argv): either way no longer running.
  assert.equal(await processArgv(hostPid), undefined);
  assert.equal(await processArgv(orchPid), undefined);
  assert.ok(!existsSync(paths.berthdState));
});

test('berthd rejects bad arguments with a one-line error and exit status 2', async () => {
  await assert.rejects(run(BERTHD, ['run', '--root', 'relative/dir']), (err: { code: number; stderr: string }) => {
    assert.equal(err.code, 2);
    assert.match(err.stderr, /must be an absolute path/);
    return true;
  });
  await assert.rejects(run(BERTHD, ['run', '--containerd', 'sideways']), (err: { code: number; stderr: string }) => {
    assert.equal(err.code, 2);
    assert.match(err.stderr, /sideways/);
    return true;
  });
});
