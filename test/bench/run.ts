/**
 * `npm run bench`: berth against the reference tool of each job (`ctr`, `curl`, the pinned Node),
 * on the same machine, daemon and image, in one run. Prints medians and the ratio berth/reference.
 * Not part of `npm test`: timings are noisy on shared machines.
 */
import path from 'node:path';
import { startTestContainerd } from '../helpers/containerd.js';
import { testImageArchive } from '../helpers/test-image.js';
import { REPO } from '../helpers/repo.js';
import { startBerthd, until } from '../helpers/berthd-process.js';
import { report, type Result } from './harness.js';
import { benchExec } from './exec-bench.js';
import { benchStartup } from './startup-bench.js';
import { benchHostContainers, rssMiB } from './host-container-bench.js';
import { benchImages } from './image-bench.js';
import { benchApi, formatApiBench } from '../api/api-bench.js';

const RUNS = Number(process.env['BERTH_BENCH_RUNS'] ?? 9);
const IMAGES = path.join(REPO, 'build/images');

/** Runs one section of the bench, saying on stderr how long it took. */
async function section<T>(name: string, run: () => Promise<T>): Promise<T> {
  const started = Date.now();
  process.stderr.write(`bench: ${name}…\n`);
  try {
    return await run();
  } finally {
    process.stderr.write(`bench: ${name} took ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
  }
}

async function main(): Promise<void> {
  const results: Result[] = [];
  const notes: string[] = [];

  const ctrd = await startTestContainerd({ namespace: 'bench-berth' });
  try {
    const images = await section('images', () => benchImages({ client: ctrd.client, socket: ctrd.paths.hostContainerd.socket, workDir: ctrd.root, imagesDir: IMAGES, runs: RUNS }));
    results.push(...images.comparisons);
    notes.push(`image sizes: ${images.sizes.join(', ')}`);
  } finally {
    await ctrd.cleanup();
  }

  const berthd = await startBerthd({ args: ['--images-dir', IMAGES] });
  try {
    results.push(...(await section('start-up', () => benchStartup({ apiSocket: berthd.paths.apiSocket, runs: RUNS * 2 }))));
    // Before the exec bench: pushing 64 MiB through a session grows the heap, which RSS keeps.
    const rssIdleMiB = await rssMiB(berthd.child.pid as number);
    await berthd.apiclient('set', 'host-containers.admin.enabled=true');
    await until('admin running', async () => (await berthd.get<{ state: string }>('/host-containers/admin')).state === 'running', 120_000);
    const ex = await section('exec', () => benchExec({ apiSocket: berthd.paths.apiSocket, hostContainerdSocket: berthd.paths.hostContainerd.socket, container: 'admin', runs: RUNS * 2 }));
    results.push(...ex.comparisons);
    notes.push(
      `exec throughput through cat (64 MiB): berth ${ex.throughput.berthMBps.toFixed(1)} MB/s, ctr ${ex.throughput.ctrMBps.toFixed(1)} MB/s (${(ex.throughput.berthMBps / ex.throughput.ctrMBps).toFixed(2)}x)`,
    );
    await berthd.apiclient('set', 'host-containers.admin.enabled=false');
    const archive = await testImageArchive({ cmd: ['/bin/sleep', '3600'] });
    const hc = await section('host containers', () => benchHostContainers({ berthd, archive, runs: RUNS }));
    results.push(...hc.comparisons);
    notes.push(
      `berthd RSS: ${rssIdleMiB.toFixed(1)} MiB with control only, before any exec; after the exec bench ${hc.rssControlOnlyMiB.toFixed(1)} MiB, ` +
        `then ${hc.rssWithFleetMiB.toFixed(1)} MiB with 50 more host containers (+${(hc.rssWithFleetMiB - hc.rssControlOnlyMiB).toFixed(1)} MiB)`,
    );
  } finally {
    await berthd.cleanup();
  }

  notes.push(formatApiBench(await benchApi()));
  console.log(report(results));
  for (const n of notes) console.log(n);
}

await main();
