import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { startBerthd, until, type BerthdProcess } from '../helpers/berthd-process.js';
import { makeTempRoot } from '../helpers/temp-root.js';
import { cgroupFile, cgroupOf, hostContainerStatus, runningPid } from '../helpers/container-probe.js';
import { testImagesDir } from '../helpers/test-images-dir.js';
import { testImageArchive } from '../helpers/test-image.js';

/**
 * `resources` end to end on cgroup v1: boot user data sets limits, runc writes them into each
 * container's own cgroup under host-containerd's cgroup parent; a memory hog is killed by the OOM
 * killer in its cgroup, restarted with backoff, and status says so, while every other container and
 * berthd go on; `apiclient set` of one limit replaces only that container; bad limits are refused.
 */
const root = await makeTempRoot('bres');
let berthd: BerthdProcess | undefined;
after(async () => {
  await berthd?.cleanup();
});

const MI = 1024 * 1024;
const LOOP = ['/bin/sh', '-c', 'trap "exit 0" TERM; while :; do sleep 1; done'];
/** Doubles a shell variable until the 16 MiB limit is hit (busybox sh keeps it all in its heap). */
const HOG = ['/bin/sh', '-c', 'x=0123456789abcdef; while :; do x=$x$x; done'];

const statusOf = (name: string) => hostContainerStatus(berthd!, name);

function userData(source: string): string {
  return [
    '[settings.host-containers.limited]',
    'enabled = true',
    `source = "${source}"`,
    `command = ${JSON.stringify(LOOP)}`,
    '[settings.host-containers.limited.resources]',
    'memory = "32Mi"',
    'cpu-shares = 512',
    'cpu-quota = "250m"',
    'pids-max = 64',
    '[settings.host-containers.hog]',
    'enabled = true',
    `source = "${source}"`,
    `command = ${JSON.stringify(HOG)}`,
    'resources = { memory = "16Mi" }',
    '[settings.host-containers.peer]',
    'enabled = true',
    `source = "${source}"`,
    `command = ${JSON.stringify(LOOP)}`,
    '',
  ].join('\n');
}

test('resources from boot user data are the cgroup limits of the container; a memory hog is OOM-killed and restarted; set replaces one container; bad limits are refused', { skip: !existsSync('/sys/fs/cgroup/memory/memory.oom_control') && 'needs cgroup v1' }, async () => {
  const imagesDir = await testImagesDir(root);
  const archive = await testImageArchive({ entrypoint: ['/bin/sh'] });
  const file = path.join(root, 'user-data.toml');
  await writeFile(file, userData(`oci-archive:${archive}`));
  berthd = await startBerthd({ root, args: ['--images-dir', imagesDir, '--user-data', file] });
  const b = berthd;
  const berthdPid = await readFile(b.paths.berthdPidfile, 'utf8');

  // limited: its limits are in the cgroup files of its own process, under host-containerd's cgroup parent.
  const limited = await until('limited running', runningPid(b, 'limited'));
  const cgroup = await cgroupOf(limited, 'memory');
  assert.ok(cgroup.startsWith(`${b.paths.hostContainerd.cgroupParent}/`), `${cgroup} under ${b.paths.hostContainerd.cgroupParent}`);
  assert.equal(await cgroupFile(limited, 'memory', 'memory.limit_in_bytes'), String(32 * MI));
  assert.equal(await cgroupFile(limited, 'cpu', 'cpu.shares'), '512');
  assert.equal(await cgroupFile(limited, 'cpu', 'cpu.cfs_quota_us'), '25000');
  assert.equal(await cgroupFile(limited, 'cpu', 'cpu.cfs_period_us'), '100000');
  assert.equal(await cgroupFile(limited, 'pids', 'pids.max'), '64');
  // peer has none: the kernel's defaults.
  const peer = await until('peer running', runningPid(b, 'peer'));
  assert.equal(await cgroupFile(peer, 'pids', 'pids.max'), 'max');
  assert.equal(await cgroupFile(peer, 'cpu', 'cpu.cfs_quota_us'), '-1');
  assert.equal(await cgroupFile(peer, 'cpu', 'cpu.shares'), '1024');
  const control = await until('control running', runningPid(b, 'control'));

  // hog: killed by the OOM killer in its cgroup, restarted with backoff, and status says so.
  const killed = await until('hog OOM-killed and restarted', async () => {
    const s = await statusOf('hog');
    return s.restarts >= 2 && s.lastExit?.reason === 'oom-killed' ? s : undefined;
  });
  assert.equal(killed.lastExit?.code, 137, 'SIGKILL');
  const table = await b.apiclient('status', 'hog');
  assert.equal(table.code, 0, table.stderr);
  assert.match(table.stdout, /^hog\s+\S+.*\s137 \(oom-killed\)\s/m);
  assert.ok(b.lines.some((l) => l.includes('"container exited; restarting"') && l.includes('"oomKilled":true')), 'logged');
  // With backoff: each restart after a kill waits, and the second wait is longer than the first.
  const waits = b.lines
    .filter((l) => l.includes('"container exited; restarting"'))
    .map((l) => JSON.parse(l) as { container?: string; oomKilled?: boolean; restartInMs?: number })
    .filter((r) => r.container === 'hog');
  assert.ok(waits.length >= 2 && waits.slice(0, 2).every((r) => r.oomKilled === true), JSON.stringify(waits));
  assert.ok(waits[0]!.restartInMs! > 0 && waits[1]!.restartInMs! > waits[0]!.restartInMs!, `growing waits: ${JSON.stringify(waits.map((r) => r.restartInMs))}`);
  for (const [name, pid] of [['limited', limited], ['peer', peer], ['control', control]] as const) {
    assert.equal((await statusOf(name)).pid, pid, `${name} untouched by the hog`);
  }
  assert.equal(b.child.exitCode, null, 'berthd still runs');
  assert.equal(await readFile(b.paths.berthdPidfile, 'utf8'), berthdPid, 'the same berthd');

  // One limit through apiclient set: only limited is replaced, with the new limit.
  const set = await b.apiclient('set', 'host-containers.limited.resources.memory=48Mi');
  assert.equal(set.code, 0, set.stderr);
  const limited2 = await until('limited replaced', runningPid(b, 'limited', limited));
  assert.equal(await cgroupFile(limited2, 'memory', 'memory.limit_in_bytes'), String(48 * MI));
  assert.equal(await cgroupFile(limited2, 'pids', 'pids.max'), '64', 'the other limits stay');
  assert.equal((await statusOf('peer')).pid, peer, 'peer untouched');
  assert.equal((await statusOf('control')).pid, control, 'control untouched');

  // Bad limits: refused with the key named, and nothing changes.
  const before = (await b.apiclient('raw', '-u', '/settings')).stdout;
  const refused: Array<[string[], RegExp]> = [
    [['set', 'host-containers.limited.resources.memory=1Mi'], /Invalid setting 'host-containers\.limited\.resources\.memory': 1Mi is out of range: expected 6Mi to 1024Ti/],
    [['set', 'host-containers.limited.resources.memory=lots'], /Invalid setting 'host-containers\.limited\.resources\.memory': expected bytes/],
    [['set', 'host-containers.limited.resources.pids-max=-5'], /Invalid setting 'host-containers\.limited\.resources\.pids-max': -5 is out of range/],
    [['set', 'host-containers.limited.resources.cpu-quota=half'], /Invalid setting 'host-containers\.limited\.resources\.cpu-quota': expected CPUs/],
    [['set', 'host-containers.limited.resources.cpu-shares=999999999'], /'host-containers\.limited\.resources\.cpu-shares': 999999999 is out of range/],
    [['set', 'host-containers.limited.resources.swap=1Gi'], /Unknown setting 'host-containers\.limited\.resources\.swap' \(allowed here: memory, cpu-shares, cpu-quota, pids-max\)/],
    [['set', '--json', JSON.stringify({ 'host-containers': { limited: { resources: { memory: -1 } } } })], /'host-containers\.limited\.resources\.memory': -1 bytes is out of range/],
    [['set', '--json', JSON.stringify({ 'host-containers': { limited: { resources: 512 } } })], /'host-containers\.limited\.resources': expected a table, got 512/],
  ];
  for (const [args, message] of refused) {
    const r = await b.apiclient(...args);
    assert.notEqual(r.code, 0, args.join(' '));
    assert.match(r.stderr, message);
  }
  assert.equal((await b.apiclient('raw', '-u', '/settings')).stdout, before, 'settings byte-identical');
  assert.equal((await statusOf('limited')).pid, limited2, 'limited untouched by refused input');
});
