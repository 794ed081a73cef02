import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { berthCgroupDirs, berthCgroups, cgroupHierarchies } from '../../src/daemon/cgroup-dirs.js';
import { berthPaths } from '../../src/daemon/paths.js';
import { processRunning } from '../../src/daemon/process-identity.js';
import { parseMountinfo } from '../../src/lib/mountinfo.js';
import { leftBehind, reap, reapRoot } from './reap.js';
import { makeTempRoot, removeTempRoot, testRootsParent } from './temp-root.js';

const IDLE = 'setInterval(() => {}, 1 << 30)';
const started: ChildProcess[] = [];
after(() => started.forEach((c) => c.kill('SIGKILL')));

function idle(options: { args?: string[]; cwd?: string; script?: string } = {}): ChildProcess {
  const child = spawn(process.execPath, ['-e', options.script ?? IDLE, ...(options.args ?? [])], { cwd: options.cwd ?? '/', stdio: 'ignore' });
  started.push(child);
  return child;
}

/** Puts PID into the host cgroup parent of ROOT in every hierarchy that takes it, as runc would. */
async function intoHostCgroup(root: string, pid: number): Promise<number> {
  const mounts = parseMountinfo(await readFile('/proc/self/mountinfo', 'utf8'));
  let joined = 0;
  for (const hierarchy of cgroupHierarchies(mounts)) {
    const dir = path.join(hierarchy, berthPaths(root).hostContainerd.cgroupParent, 'box');
    await mkdir(dir, { recursive: true });
    // cpuset refuses a process until cpus and mems are set; the other hierarchies are enough.
    if (await writeFile(path.join(dir, 'cgroup.procs'), String(pid)).then(() => true, () => false)) joined++;
  }
  return joined;
}

async function until(what: string, check: () => boolean): Promise<void> {
  for (const deadline = Date.now() + 10_000; !check(); await new Promise((r) => setTimeout(r, 50))) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
  }
}

test('reapRoot() kills what names the root, works in it or runs in its cgroups; unmounts it; removes its cgroups, stale sockets and the root', async () => {
  const root = await makeTempRoot('reap');
  const socket = path.join(testRootsParent(), `reap-test-${process.pid}.sock`);
  await mkdir(path.join(root, 'work'));
  const byArgv = idle({ script: 'require("net").createServer().listen(process.argv[1])', args: [socket, `--root=${root}`] });
  const byCwd = idle({ cwd: path.join(root, 'work') });
  const byCgroup = idle();
  const sibling = idle({ args: [`${root}-sibling/x`] });
  await until('the listening socket', () => existsSync(socket));
  assert.ok((await intoHostCgroup(root, byCgroup.pid!)) > 0, 'joined at least one hierarchy');
  await mkdir(path.join(root, 'mnt'));
  execFileSync('mount', ['-t', 'tmpfs', 'tmpfs', path.join(root, 'mnt')]);
  await mkdir(path.join(root, 'mnt/inner'));
  execFileSync('mount', ['-t', 'tmpfs', 'tmpfs', path.join(root, 'mnt/inner')]);

  const report = await reapRoot(root);

  const why = new Map(report.processes.map((p) => [p.pid, p.why]));
  assert.match(why.get(byArgv.pid!) ?? '', /^argv names /);
  assert.match(why.get(byCwd.pid!) ?? '', /^cwd /);
  assert.match(why.get(byCgroup.pid!) ?? '', /^cgroup .*\/host\/box$/);
  assert.ok(!why.has(sibling.pid!), 'a path that only shares the prefix is not the root');
  for (const child of [byArgv, byCwd, byCgroup]) assert.ok(!processRunning(child.pid!), `pid ${child.pid} is dead`);
  assert.ok(processRunning(sibling.pid!));
  assert.deepEqual(report.mounts, [path.join(root, 'mnt/inner'), path.join(root, 'mnt')]);
  const [cgroup] = berthCgroups(berthPaths(root));
  assert.ok(report.cgroups.some((d) => d.endsWith(`${cgroup}/host/box`)) && report.cgroups.some((d) => d.endsWith(cgroup ?? '')));
  assert.deepEqual(await berthCgroupDirs(berthPaths(root)), []);
  assert.deepEqual(report.sockets, [socket]);
  assert.ok(!existsSync(socket));
  assert.deepEqual(report.failures, []);
  assert.ok(!existsSync(root));
  assert.ok(leftBehind(report));
});

test('removeTempRoot() of a root nothing uses reports nothing left behind', async () => {
  const root = await makeTempRoot('reap');
  await writeFile(path.join(root, 'file'), 'x');
  const report = await removeTempRoot(root);
  assert.ok(!leftBehind(report), JSON.stringify(report));
  assert.ok(!existsSync(root));
});

test('reap() refuses /, a top-level directory and a relative path', async () => {
  for (const under of ['/', '/tmp', 'tmp/x']) await assert.rejects(reap({ under }), RangeError, under);
});
