import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { readFile, readlink, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { berthCgroupDirs, removeBerthCgroups } from '../../src/daemon/cgroup-dirs.js';
import { berthPaths } from '../../src/daemon/paths.js';
import { processArgv, procStat, processRunning } from '../../src/daemon/process-identity.js';
import { isAtOrBelow, parseMountinfo } from '../../src/lib/mountinfo.js';
import { removeNetworkLeftovers } from './network-leftovers.js';
import { mentionsPath } from './path-mention.js';
import { removeStaleSockets, socketFilesHeldBy } from './unix-sockets.js';

const exec = promisify(execFile);

export interface ReapedProcess {
  pid: number;
  /** Its argv, joined (cut at 200 characters). */
  command: string;
  /** What tied it to the target: a path in its argv, its cwd, its cgroup, … */
  why: string;
}

/** What the reaper found and cleaned up; everything empty means nothing was left. */
export interface ReapReport {
  /** Processes killed with SIGKILL. */
  processes: ReapedProcess[];
  /** Mount points unmounted (lazily), deepest first. */
  mounts: string[];
  /** cgroup directories removed. */
  cgroups: string[];
  /** Stale Unix socket files of killed processes, outside the target (containerd's shim sockets). */
  sockets: string[];
  /** Host network state that names the target: interfaces (by alias) and CNI's cached results. */
  network: string[];
  /** What could not be cleaned up. */
  failures: string[];
}

export interface ReapTarget {
  /**
   * A test root or the directory holding test roots: every process with a path at or below it (in
   * its argv, cwd, root or exe) is killed, every mount below it unmounted, then it is removed.
   */
  under: string;
  /** Roots whose berth cgroups (see berthPaths) are emptied and removed. Default: `[under]`. */
  cgroupsOf?: string[];
  /** An environment entry (KEY=VALUE): processes that carry it are killed too. */
  environ?: string;
}

/**
 * Kills everything a test root left running, unmounts it, removes its cgroups, the network state
 * that names it (a pod network's bridge, CNI's cached results) and the root.
 */
export function reapRoot(root: string): Promise<ReapReport> {
  return reap({ under: root });
}

/**
 * Processes inside containers do not name the root anywhere (`sleep 3600` in a container has cwd "/"
 * in its own mount namespace), so the root's cgroups are searched as well as every process's paths.
 * Host network state holds no path either: it is found by what it names (removeNetworkLeftovers).
 */
export async function reap(target: ReapTarget): Promise<ReapReport> {
  const under = checkedDir(target.under);
  const cgroupRoots = (target.cgroupsOf ?? [under]).map(checkedDir);
  const report: ReapReport = { processes: [], mounts: [], cgroups: [], sockets: [], network: [], failures: [] };
  await killProcesses({ ...target, under, cgroupsOf: cgroupRoots }, report);
  const { unmounted, left } = await unmountBelow(under);
  report.mounts.push(...unmounted);
  // After the unmounts: a pod's network namespace, and the veth in it, is gone once nothing pins it.
  const network = await removeNetworkLeftovers(under);
  report.network.push(...network.removed);
  report.failures.push(...network.failures);
  for (const root of cgroupRoots) {
    const { removed, kept } = await removeCgroupsWhenEmpty(root);
    report.cgroups.push(...removed);
    report.failures.push(...kept.map((k) => `cgroup ${k.dir} not removed: ${k.reason}`));
  }
  if (left.length > 0) {
    // rm would go on into the mounted filesystems (a superpowered container mounts the host's /).
    report.failures.push(...left.map((m) => `still mounted, so ${under} was not removed: ${m}`));
  } else {
    await rm(under, { recursive: true, force: true, maxRetries: 3 }).catch((err: Error) =>
      report.failures.push(`Cannot remove ${under}: ${err.message}`),
    );
  }
  return report;
}

async function killProcesses(target: ReapTarget & { cgroupsOf: string[] }, report: ReapReport): Promise<void> {
  // berthd restarts a containerd that dies and a shim may fork: look again until nothing is found.
  for (let round = 0; round < 5; round++) {
    const found = await findProcesses(target);
    if (found.length === 0) return;
    report.processes.push(...found);
    await thawCgroups(target.cgroupsOf);
    const sockets = await socketFilesHeldBy(found.map((p) => p.pid));
    for (const p of found) kill(p.pid);
    for (const pid of await stillRunning(found.map((p) => p.pid), 10_000)) report.failures.push(`process ${pid} survived SIGKILL`);
    report.sockets.push(...(await removeStaleSockets(sockets, target.under)));
  }
}

/** Kills (SIGKILL) every descendant of PID and waits until they are gone; returns them. */
export async function killDescendants(pid: number): Promise<ReapedProcess[]> {
  const found: ReapedProcess[] = [];
  for (const child of descendantsOf(pid, allProcesses())) {
    found.push({ pid: child, command: commandLine((await processArgv(child)) ?? []), why: `descendant of ${pid}` });
    kill(child);
  }
  await stillRunning(found.map((p) => p.pid), 10_000);
  return found;
}

/** Whether the report shows anything that was still there. */
export function leftBehind(report: ReapReport): boolean {
  const { processes, mounts, cgroups, sockets, network, failures } = report;
  return processes.length + mounts.length + cgroups.length + sockets.length + network.length + failures.length > 0;
}

/** One line per thing found, for a person to read. */
export function describeReport(report: ReapReport): string[] {
  return [
    ...report.processes.map((p) => `process ${p.pid} (${p.why}): ${p.command}`),
    ...report.mounts.map((m) => `mount ${m}`),
    ...report.cgroups.map((c) => `cgroup ${c}`),
    ...report.sockets.map((s) => `socket ${s}`),
    ...report.network,
    ...report.failures.map((f) => `NOT CLEANED UP: ${f}`),
  ];
}

/** A target must be an absolute directory at least two levels deep: never "/" or "/tmp". */
function checkedDir(dir: string): string {
  const normal = path.resolve(dir);
  if (!path.isAbsolute(dir) || normal.split('/').filter(Boolean).length < 2) {
    throw new RangeError(`Cannot reap '${dir}': it must be an absolute path at least two levels deep`);
  }
  return normal;
}

async function findProcesses(target: ReapTarget & { cgroupsOf: string[] }): Promise<ReapedProcess[]> {
  const stats = allProcesses();
  const spared = selfAndAncestors();
  const members = await cgroupMembers(target.cgroupsOf);
  const found: ReapedProcess[] = [];
  for (const [pid, stat] of stats) {
    // Kernel threads (children of kthreadd) and zombies cannot be killed and hold nothing.
    if (spared.has(pid) || stat.state === 'Z' || pid === 2 || stat.ppid === 2) continue;
    const argv = await processArgv(pid);
    if (argv === undefined) continue; // gone meanwhile
    const why =
      members.get(pid) ??
      (argv.some((a) => mentionsPath(a, target.under)) ? `argv names ${target.under}` : undefined) ??
      (await pathsBelow(pid, target.under)) ??
      (target.environ && (await carries(pid, target.environ)) ? `environment has ${target.environ}` : undefined);
    if (why) found.push({ pid, command: commandLine(argv), why });
  }
  return found;
}

function commandLine(argv: string[]): string {
  return argv.join(' ').replace(/\s+/g, ' ').slice(0, 200);
}

function allProcesses(): Map<number, { state: string; ppid: number }> {
  const out = new Map<number, { state: string; ppid: number }>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const stat = procStat(Number(name));
    if (stat) out.set(stat.pid, stat);
  }
  return out;
}

/** This process and the ones that started it (the test runner, scripts/test.sh) are never killed. */
function selfAndAncestors(): Set<number> {
  const out = new Set<number>([1]);
  for (let pid: number | undefined = process.pid; pid !== undefined && pid > 1 && !out.has(pid); pid = procStat(pid)?.ppid) out.add(pid);
  return out;
}

function descendantsOf(ancestor: number, stats: Map<number, { ppid: number }>): Set<number> {
  const out = new Set<number>();
  let grew = true;
  while (grew) {
    grew = false;
    for (const [pid, stat] of stats) {
      if (!out.has(pid) && (stat.ppid === ancestor || out.has(stat.ppid))) {
        out.add(pid);
        grew = true;
      }
    }
  }
  return out;
}

async function pathsBelow(pid: number, dir: string): Promise<string | undefined> {
  for (const link of ['cwd', 'root', 'exe']) {
    const target = await readlink(`/proc/${pid}/${link}`).catch(() => undefined);
    if (target !== undefined && isAtOrBelow(target, dir)) return `${link} ${target}`;
  }
  return undefined;
}

async function carries(pid: number, entry: string): Promise<boolean> {
  const environ = await readFile(`/proc/${pid}/environ`, 'utf8').catch(() => '');
  return environ.split('\0').includes(entry);
}

/** pid → "cgroup DIR" for every process in the berth cgroups of ROOTS. */
async function cgroupMembers(roots: string[]): Promise<Map<number, string>> {
  const out = new Map<number, string>();
  for (const root of roots) {
    for (const dir of await berthCgroupDirs(berthPaths(root))) {
      const procs = await readFile(path.join(dir, 'cgroup.procs'), 'utf8').catch(() => '');
      for (const pid of procs.split('\n').filter(Boolean).map(Number)) if (!out.has(pid)) out.set(pid, `cgroup ${dir}`);
    }
  }
  return out;
}

/** A frozen process does not act on SIGKILL until thawed (runc pause freezes a container). */
async function thawCgroups(roots: string[]): Promise<void> {
  for (const root of roots) {
    for (const dir of await berthCgroupDirs(berthPaths(root))) {
      await writeFile(path.join(dir, 'freezer.state'), 'THAWED').catch(() => undefined); // v1
      await writeFile(path.join(dir, 'cgroup.freeze'), '0').catch(() => undefined); // v2
    }
  }
}

function kill(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    /* already gone */
  }
}

/** The pids still running (not gone, not a zombie) after waiting up to TIMEOUT_MS. */
async function stillRunning(pids: number[], timeoutMs: number): Promise<number[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const running = pids.filter(processRunning);
    if (running.length === 0 || Date.now() > deadline) return running;
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function mountsBelow(dir: string): Promise<string[]> {
  const mounts = parseMountinfo(await readFile('/proc/self/mountinfo', 'utf8'));
  const below = mounts.map((m) => m.mountPoint).filter((m) => isAtOrBelow(m, dir));
  return [...new Set(below)].sort((a, b) => b.split('/').length - a.split('/').length);
}

/** Lazily unmounts every mount at or below DIR, deepest first, again while mounts were stacked. */
async function unmountBelow(dir: string): Promise<{ unmounted: string[]; left: string[] }> {
  const unmounted: string[] = [];
  for (let round = 0; round < 5; round++) {
    const mounts = await mountsBelow(dir);
    if (mounts.length === 0) break;
    for (const m of mounts) {
      if (await exec('umount', ['-l', m]).then(() => true, () => false)) unmounted.push(m);
    }
  }
  return { unmounted, left: await mountsBelow(dir) };
}

/** A cgroup whose last process was just killed may refuse rmdir for a moment. */
async function removeCgroupsWhenEmpty(root: string): ReturnType<typeof removeBerthCgroups> {
  const removed: string[] = [];
  const deadline = Date.now() + 5000;
  for (;;) {
    const result = await removeBerthCgroups(berthPaths(root));
    removed.push(...result.removed);
    if (result.kept.length === 0 || Date.now() > deadline) return { removed, kept: result.kept };
    await new Promise((r) => setTimeout(r, 100));
  }
}
