/**
 * Image benchmarks for `npm run bench`, on one host-containerd: importing an archive (berth's
 * importer against `ctr images import`), pulling the admin image from a local registry (berth's
 * puller against `ctr images pull --plain-http`), and the size of each image. Every image is
 * removed between runs, so each run stores and unpacks from scratch. Loading this file runs nothing.
 */
import { execFile, execFileSync } from 'node:child_process';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import type { ContainerdClient } from '../../src/containerd/index.js';
import { importImage } from '../../src/images/import.js';
import { hostPlatform } from '../../src/images/platform.js';
import { pullImage } from '../../src/images/registry/index.js';
import { parseImageReference, type RegistryImageReference } from '../../src/model/index.js';
import { TestRegistry } from '../registry/registry-process.js';
import { compare, type Result } from './harness.js';

const exec = promisify(execFile);

export interface ImageBench {
  comparisons: Result[];
  sizes: string[];
}

export async function benchImages(o: { client: ContainerdClient; socket: string; workDir: string; imagesDir: string; runs: number }): Promise<ImageBench> {
  const platform = hostPlatform(process.arch);
  const ctr = (...args: string[]) => exec('ctr', ['-a', o.socket, '-n', 'bench-ctr', ...args], { maxBuffer: 64 << 20 });
  // Every image on both sides goes, so each run unpacks from scratch (ctr also records the
  // archive's own image names, which would otherwise keep its snapshots).
  const gc = async () => {
    for (const img of await o.client.images.list()) await o.client.images.delete(img.name, { sync: true });
    const names = (await ctr('images', 'ls', '-q')).stdout.split('\n').filter(Boolean);
    if (names.length > 0) await ctr('images', 'rm', '--sync', ...names);
  };
  const control = path.join(o.imagesDir, 'control.tar');
  const admin = path.join(o.imagesDir, 'admin.tar');
  await gc();
  const imported = await compare({
    name: 'import control.tar (→ unpacked)',
    reference: 'ctr images import',
    runs: o.runs,
    berth: async () => void (await importImage(o.client, { path: control, name: 'bench/control:1', platform })),
    ref: async () => void (await ctr('images', 'import', '--index-name', 'bench/control:1', control)),
    reset: gc,
  });

  const registry = await TestRegistry.start(path.join(o.workDir, 'registry'));
  try {
    execFileSync('skopeo', ['copy', '--quiet', '--insecure-policy', '--dest-tls-verify=false', `oci-archive:${admin}`, `docker://${registry.host}/berth/admin:1`], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const ref = parseImageReference(`${registry.host}/berth/admin:1`) as RegistryImageReference;
    const pulled = await compare({
      name: 'pull the admin image (→ unpacked)',
      reference: 'ctr images pull --plain-http',
      runs: o.runs,
      berth: async () => void (await pullImage(o.client, ref, { name: 'bench/admin:1', platform })),
      ref: async () => void (await ctr('images', 'pull', '--plain-http', `${registry.host}/berth/admin:1`)),
      reset: gc,
    });
    const sizes: string[] = [];
    for (const [name, file] of [
      ['control', control],
      ['admin', admin],
    ] as const) {
      sizes.push(`${name}.tar ${((await stat(file)).size / (1 << 20)).toFixed(1)} MiB`);
    }
    return { comparisons: [imported, pulled], sizes };
  } finally {
    await registry.kill();
  }
}
