/**
 * `npm run bench`: berth against containerd's own `ctr`, on the same image, machine and daemon, in
 * one run. Prints medians and the ratio berth/ctr. Not part of `npm test` (timings are noisy).
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { startTestContainerd } from '../helpers/containerd.js';
import { testImageArchive } from '../helpers/test-image.js';
import { REPO, NATIVE_DIR } from '../helpers/repo.js';
import { importImage } from '../../src/images/import.js';
import { hostPlatform } from '../../src/images/platform.js';
import { generateSpec } from '../../src/oci/spec.js';
import { defaultClass } from '../../src/oci/classes.js';
import { withoutSelinuxLabels } from '../../src/oci/security-opts.js';
import { selinuxEnabled } from '../../src/daemon/host-facts.js';
import { createContainer, removeContainer, snapshotKeyOf } from '../../src/runtime/container-ops.js';
import { startTask } from '../../src/runtime/task-ops.js';
import { loggerUri } from '../../src/runtime/log-uri.js';
import { compare, report, type Result } from './harness.js';
import { benchExec } from './exec-bench.js';
import { benchApi, formatApiBench } from '../api/api-bench.js';
import { startBerthd, until } from '../helpers/berthd-process.js';

const exec = promisify(execFile);
const RUNS = Number(process.env['BERTH_BENCH_RUNS'] ?? 7);

async function benchImage(): Promise<string> {
  const built = path.join(REPO, 'build/images/control.tar');
  if (existsSync(built)) return built;
  // A 48 MiB incompressible layer over busybox: big enough that the transfer dominates.
  let seed = 42;
  const bytes = Buffer.alloc(48 << 20);
  for (let i = 0; i < bytes.length; i += 4) {
    seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
    bytes.writeUInt32LE(seed, i);
  }
  return testImageArchive({ extraFiles: { '/data/blob': bytes.toString('latin1') }, cmd: ['/bin/sleep', '3600'] });
}

async function main(): Promise<void> {
  const ctrd = await startTestContainerd({ namespace: 'bench-berth' });
  const sock = ctrd.paths.hostContainerd.socket;
  const ctr = (...args: string[]) => exec('ctr', ['-a', sock, '-n', 'bench-ctr', ...args], { maxBuffer: 64 << 20 });
  const platform = hostPlatform(process.arch);
  const results: Result[] = [];
  try {
    const archive = await benchImage();
    console.error(`bench image: ${archive}`);
    // Every image on both sides goes, so each run unpacks from scratch (ctr also records the
    // archive's own image names, which would otherwise keep its snapshots).
    const gc = async () => {
      for (const img of await ctrd.client.images.list()) await ctrd.client.images.delete(img.name, { sync: true });
      const names = (await ctr('images', 'ls', '-q')).stdout.split('\n').filter(Boolean);
      if (names.length > 0) await ctr('images', 'rm', '--sync', ...names);
    };
    await gc();
    results.push(
      await compare({
        name: 'image import (archive → unpacked)',
        reference: 'ctr images import',
        runs: RUNS,
        berth: async () => {
          await importImage(ctrd.client, { path: archive, name: 'bench/image:1', platform });
        },
        ref: async () => {
          await ctr('images', 'import', '--index-name', 'bench/image:1', archive);
        },
        reset: gc,
      }),
    );

    // Keep one imported copy on each side for the container benchmark.
    const img = await importImage(ctrd.client, { path: archive, name: 'bench/image:1', platform });
    await ctr('images', 'import', '--index-name', 'bench/image:1', archive);
    const logs = path.join(ctrd.root, 'logs');
    await mkdir(logs, { recursive: true });
    const logger = path.join(NATIVE_DIR, 'berth-logger');
    let n = 0;
    const cgroupParent = ctrd.paths.hostContainerd.cgroupParent;
    results.push(
      await compare({
        name: 'container create + start',
        reference: 'ctr run -d',
        runs: RUNS,
        berth: async () => {
          const id = `b${n}`;
          const spec = generateSpec(
            { namespace: 'bench-berth', id, cgroupParent },
            defaultClass({
              name: id,
              kind: 'host',
              arch: process.arch,
              image: { ...img.image.config.config, Cmd: ['/bin/sleep', '3600'] },
              host: { storageDir: logs, apiSocketDir: logs, apiSocket: '/dev/null', hostsFile: '/etc/hosts', resolvConf: '/etc/resolv.conf' },
            }),
            ...(selinuxEnabled() ? [] : [withoutSelinuxLabels]),
          );
          await createContainer(ctrd.client, { id, imageName: img.name, chainId: img.chainId, spec, labels: {}, runcRoot: ctrd.paths.hostContainerd.runcRoot });
          await startTask(ctrd.client, id, { snapshotKey: snapshotKeyOf(id), logUri: loggerUri(logger, { file: `${logs}/${id}.log` }) });
        },
        ref: async () => {
          await ctr('run', '-d', '--net-host', 'bench/image:1', `c${n}`, '/bin/sleep', '3600');
        },
        reset: async () => {
          await removeContainer(ctrd.client, `b${n}`, { graceMs: 0 }).catch(() => undefined);
          await ctr('task', 'kill', '-s', 'SIGKILL', `c${n}`).catch(() => undefined);
          await new Promise((r) => setTimeout(r, 100));
          await ctr('task', 'rm', '-f', `c${n}`).catch(() => undefined);
          await ctr('containers', 'rm', `c${n}`).catch(() => undefined);
          n++;
        },
      }),
    );
  } finally {
    await ctrd.cleanup();
  }

  // Exec through berthd's API against ctr task exec, on a running admin container.
  const images = path.join(REPO, 'build/images');
  let throughput = '';
  if (existsSync(path.join(images, 'admin.tar'))) {
    const berthd = await startBerthd({ args: ['--images-dir', images] });
    try {
      await berthd.apiclient('set', 'host-containers.admin.enabled=true');
      await until('admin running', async () => (await berthd.get<{ state: string }>('/host-containers/admin')).state === 'running', 120_000);
      const ex = await benchExec({ apiSocket: berthd.paths.apiSocket, hostContainerdSocket: berthd.paths.hostContainerd.socket, container: 'admin', runs: RUNS * 2 });
      results.push(...ex.comparisons);
      throughput = `exec throughput through cat (64 MiB): berth ${ex.throughput.berthMBps.toFixed(1)} MB/s, ctr ${ex.throughput.ctrMBps.toFixed(1)} MB/s (${(ex.throughput.berthMBps / ex.throughput.ctrMBps).toFixed(2)}x)`;
    } finally {
      await berthd.cleanup();
    }
  } else {
    console.error('exec benchmark skipped: run `npm run images` first');
  }

  const api = await benchApi({ runs: RUNS * 2 });
  results.push(...api.comparisons);
  console.log(report(results));
  if (throughput) console.log(throughput);
  console.log(formatApiBench(api));
}

await main();
