import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { cp, mkdir, readFile, rename, rm, writeFile, symlink } from 'node:fs/promises';
import path from 'node:path';

/**
 * Small real OCI images for tests, built with umoci from the host's busybox-static. Built once per
 * recipe into a shared cache (atomically, so parallel test files may race safely).
 */
const CACHE = '/tmp/berth-test-images';
const BUSYBOX_APPLETS = ['sh', 'echo', 'sleep', 'cat', 'ls', 'id', 'true', 'false', 'readlink', 'hostname', 'env', 'grep', 'head', 'stty', 'tty', 'wc', 'dd', 'touch', 'kill', 'ps', 'mkdir', 'rm', 'date', 'seq', 'sync'];

function run(cmd: string, args: string[], cwd?: string): string {
  return execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

export interface TestImageRecipe {
  /** Files added on top of the busybox base, each recipe adds one layer. */
  extraFiles?: Record<string, string>;
  /** Image config. */
  entrypoint?: string[];
  cmd?: string[];
  env?: string[];
  /** Annotation io.containerd.image.name on the index entry. */
  imageName?: string;
}

async function cached(key: string, build: (dir: string) => Promise<void>): Promise<string> {
  const dir = path.join(CACHE, key);
  if (existsSync(path.join(dir, '.done'))) return dir;
  await mkdir(CACHE, { recursive: true });
  const tmp = `${dir}.tmp-${randomBytes(4).toString('hex')}`;
  await build(tmp);
  await writeFile(path.join(tmp, '.done'), '');
  try {
    await rename(tmp, dir);
  } catch {
    await rm(tmp, { recursive: true, force: true }); // another test file won the race
  }
  return dir;
}

/** The busybox base layout (one layer), tag `base`. */
export async function baseLayout(): Promise<string> {
  return cached('base-v1', async (work) => {
    await mkdir(work, { recursive: true });
    const layout = path.join(work, 'oci');
    run('umoci', ['init', '--layout', layout]);
    run('umoci', ['new', '--image', `${layout}:base`]);
    const bundle = path.join(work, 'bundle');
    run('umoci', ['unpack', '--image', `${layout}:base`, bundle]);
    const bin = path.join(bundle, 'rootfs', 'bin');
    await mkdir(bin, { recursive: true });
    await cp('/bin/busybox', path.join(bin, 'busybox'));
    for (const a of BUSYBOX_APPLETS) await symlink('busybox', path.join(bin, a));
    for (const d of ['etc', 'tmp', 'proc', 'sys', 'dev', 'run', 'root']) await mkdir(path.join(bundle, 'rootfs', d), { recursive: true });
    await writeFile(path.join(bundle, 'rootfs', 'etc', 'passwd'), 'root:x:0:0:root:/root:/bin/sh\n');
    await writeFile(path.join(bundle, 'rootfs', 'etc', 'group'), 'root:x:0:\n');
    run('umoci', ['repack', '--image', `${layout}:base`, bundle]);
    run('umoci', ['config', '--image', `${layout}:base`, '--config.cmd', '/bin/sh', '--config.env', 'PATH=/bin']);
    await rm(bundle, { recursive: true, force: true });
  });
}

/**
 * An OCI archive of the base plus one layer with `extraFiles`, with its own config. Archives of
 * different recipes share the base layer blob.
 */
export async function testImageArchive(recipe: TestImageRecipe = {}): Promise<string> {
  const key = 'img-' + createHash('sha256').update(JSON.stringify(recipe)).digest('hex').slice(0, 16);
  const dir = await cached(key, async (work) => {
    const base = await baseLayout();
    await mkdir(work, { recursive: true });
    const layout = path.join(work, 'oci');
    await cp(path.join(base, 'oci'), layout, { recursive: true });
    const tag = 'latest';
    run('umoci', ['tag', '--image', `${layout}:base`, tag]);
    if (recipe.extraFiles && Object.keys(recipe.extraFiles).length > 0) {
      const bundle = path.join(work, 'bundle');
      run('umoci', ['unpack', '--image', `${layout}:${tag}`, bundle]);
      for (const [file, content] of Object.entries(recipe.extraFiles)) {
        const target = path.join(bundle, 'rootfs', file);
        await mkdir(path.dirname(target), { recursive: true });
        await writeFile(target, content, { mode: 0o755 });
      }
      run('umoci', ['repack', '--image', `${layout}:${tag}`, bundle]);
      await rm(bundle, { recursive: true, force: true });
    }
    const cfg = ['config', '--image', `${layout}:${tag}`];
    if (recipe.entrypoint) for (const e of recipe.entrypoint) cfg.push('--config.entrypoint', e);
    if (recipe.cmd) for (const c of recipe.cmd) cfg.push('--config.cmd', c);
    for (const e of recipe.env ?? []) cfg.push('--config.env', e);
    if (cfg.length > 3) run('umoci', cfg);
    run('umoci', ['rm', '--image', `${layout}:base`]);
    run('umoci', ['gc', '--layout', layout]);
    if (recipe.imageName) {
      const indexFile = path.join(layout, 'index.json');
      const index = JSON.parse(await readFile(indexFile, 'utf8'));
      index.manifests[0].annotations = { ...index.manifests[0].annotations, 'io.containerd.image.name': recipe.imageName };
      await writeFile(indexFile, JSON.stringify(index));
    }
    run('tar', ['-C', layout, '-cf', path.join(work, 'image.tar'), '.']);
  });
  return path.join(dir, 'image.tar');
}

/** The OCI layout directory that an archive of `testImageArchive(recipe)` was made from. */
export function layoutDirOf(archive: string): string {
  return path.join(path.dirname(archive), 'oci');
}
