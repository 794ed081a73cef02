/**
 * Host-container benchmarks for `npm run bench`, on a running berthd and the same image for both
 * sides: `apiclient set host-containers.X.enabled=true` until the task is RUNNING (polled every
 * 5 ms) against `ctr run -d`; 50 host containers enabled in one transaction until all run, against
 * 50 sequential `ctr run -d`; and berthd's RSS with control only and with the 50 more. Loading this
 * file runs nothing.
 */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { ContainerdClient } from '../../src/containerd/index.js';
import type { BerthdProcess } from '../helpers/berthd-process.js';
import { compare, type Result } from './harness.js';

const exec = promisify(execFile);
const FLEET = 50;

export interface HostContainerBench {
  comparisons: Result[];
  rssControlOnlyMiB: number;
  rssWithFleetMiB: number;
}

/** A process's resident set size, as /proc reports it. */
export async function rssMiB(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1]) / 1024;
}

async function pollUntil(what: string, done: () => Promise<boolean>, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`bench: timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

export async function benchHostContainers(o: { berthd: BerthdProcess; archive: string; runs: number }): Promise<HostContainerBench> {
  const b = o.berthd;
  const source = `oci-archive:${o.archive}`;
  const client = ContainerdClient.connect({ socket: b.paths.hostContainerd.socket, namespace: 'default' });
  // A namespace of this run's own: ctr's containers keep runc state under /run/containerd/runc/<namespace>.
  const ctr = (...args: string[]) => exec('ctr', ['-a', b.paths.hostContainerd.socket, '-n', `bench-${process.pid}`, ...args]);
  const set = async (...kv: string[]) => {
    const r = await b.apiclient('set', ...kv);
    if (r.code !== 0) throw new Error(`bench: apiclient set ${kv.join(' ')}: ${r.stderr}`);
  };
  const running = async (id: string) => (await client.tasks.get(id).catch(() => undefined))?.status === 'RUNNING';
  try {
    await ctr('images', 'import', '--index-name', 'bench/img:1', o.archive);
    // The image is imported for berth too before anything is timed: both sides start from a stored image.
    await set(`host-containers.bench.source=${source}`, 'host-containers.bench.enabled=true');
    await pollUntil('the first bench container', () => running('bench'));
    await set('host-containers.bench.enabled=false');
    await pollUntil('bench gone', async () => !(await running('bench')));
    let n = 0;
    const enable = await compare({
      name: 'enable a host container → RUNNING',
      reference: 'ctr run -d',
      runs: o.runs,
      berth: async () => {
        await set('host-containers.bench.enabled=true');
        await pollUntil('bench running', () => running('bench'));
      },
      ref: async () => void (await ctr('run', '-d', '--net-host', 'bench/img:1', `c${n}`)),
      reset: async () => {
        await set('host-containers.bench.enabled=false');
        await pollUntil('bench gone', async () => !(await running('bench')));
        // `task rm -f` kills the task and waits for it before deleting it.
        await ctr('task', 'rm', '-f', `c${n}`).catch(() => undefined);
        await ctr('containers', 'rm', `c${n}`).catch(() => undefined);
        n++;
      },
    });

    const pid = b.child.pid as number;
    const rssControlOnlyMiB = await rssMiB(pid);
    const names = Array.from({ length: FLEET }, (_, i) => `fleet${i}`);
    const fleet = Object.fromEntries(names.map((name) => [name, { source, enabled: true }]));
    const berthStart = process.hrtime.bigint();
    const r = await b.apiclient('set', '--json', JSON.stringify({ 'host-containers': fleet }));
    if (r.code !== 0) throw new Error(`bench: apiclient set --json: ${r.stderr}`);
    await pollUntil(`${FLEET} host containers running`, async () => {
      const tasks = await client.tasks.list();
      return names.every((id) => tasks.some((t) => t.id === id && t.status === 'RUNNING'));
    });
    const berthMs = Number(process.hrtime.bigint() - berthStart) / 1e6;
    const ctrStart = process.hrtime.bigint();
    for (let i = 0; i < FLEET; i++) await ctr('run', '-d', '--net-host', 'bench/img:1', `f${i}`);
    const ctrMs = Number(process.hrtime.bigint() - ctrStart) / 1e6;
    await new Promise((res) => setTimeout(res, 2000));
    const rssWithFleetMiB = await rssMiB(pid);
    const fleetResult: Result = {
      name: `${FLEET} host containers in one transaction`,
      reference: `${FLEET} sequential ctr run -d`,
      berthMedianMs: berthMs,
      referenceMedianMs: ctrMs,
      ratio: berthMs / ctrMs,
      samples: [{ berthMs, referenceMs: ctrMs }],
    };
    return { comparisons: [enable, fleetResult], rssControlOnlyMiB, rssWithFleetMiB };
  } finally {
    await removeAll(ctr);
    client.close();
  }
}

/** ctr's containers run under containerd's own cgroup, not berth's: they are removed here. */
async function removeAll(ctr: (...args: string[]) => Promise<{ stdout: string }>): Promise<void> {
  const ids = (await ctr('containers', 'ls', '-q').catch(() => ({ stdout: '' }))).stdout.split('\n').filter(Boolean);
  await Promise.all(ids.map((id) => ctr('task', 'kill', '-s', 'SIGKILL', id).catch(() => undefined)));
  await new Promise((r) => setTimeout(r, 500));
  for (const id of ids) {
    await ctr('task', 'rm', '-f', id).catch(() => undefined);
    await ctr('containers', 'rm', id).catch(() => undefined);
  }
}
