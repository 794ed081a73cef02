import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { appendFile, mkdtemp, readdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { archivePath, ensureImagesBuilt, IMAGES_DIR, RECIPES_DIR, runBuildImages, type BuildRun } from './build-images-run.js';
import { readOciArchive } from './oci-archive-reader.js';

// The build's staleness logic on a private copy of the recipes and a private output directory; the
// slow stage (the cached base root filesystem in build/images/cache) is shared with the real build,
// so these builds take seconds.

const exec = promisify(execFile);
let dir: string;
let recipes: string;
let out: string;

before(async () => {
  await ensureImagesBuilt();
  dir = await mkdtemp('/tmp/berth-build-images-');
  recipes = path.join(dir, 'recipes');
  out = path.join(dir, 'out');
  await exec('cp', ['-a', RECIPES_DIR, recipes]);
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

const build = (...extra: string[]): Promise<BuildRun> =>
  runBuildImages(['--recipes', recipes, '--out', out, '--cache', path.join(IMAGES_DIR, 'cache'), ...extra]);

async function fileHash(file: string): Promise<string> {
  return createHash('sha256').update(await readFile(file)).digest('hex');
}

async function snapshot(): Promise<Record<string, { hash: string; mtimeMs: number; ino: number }>> {
  const result: Record<string, { hash: string; mtimeMs: number; ino: number }> = {};
  for (const image of ['control', 'admin'] as const) {
    const file = archivePath(image, out);
    const s = await stat(file);
    result[image] = { hash: await fileHash(file), mtimeMs: s.mtimeMs, ino: s.ino };
  }
  return result;
}

test('a build from unchanged recipes reuses the cached base and gives byte-identical archives; a second run does nothing', async () => {
  const first = await build();
  assert.equal(first.code, 0, first.stderr);
  assert.match(first.stderr, /reusing the cached base root filesystem/);
  const built = await snapshot();
  for (const image of ['control', 'admin'] as const) {
    assert.equal(built[image]?.hash, await fileHash(archivePath(image)), `${image}.tar is reproducible`);
  }

  const second = await build();
  assert.equal(second.code, 0, second.stderr);
  assert.match(second.stderr, /up to date/);
  assert.deepEqual(await snapshot(), built, 'nothing was rewritten');
  assert.equal((await build('--check')).code, 0);

  // Only contents count: a checkout that changes mtimes alone does not rebuild.
  const script = path.join(recipes, 'control/rootfs/usr/bin/enable-admin-container');
  await utimes(script, new Date(), new Date());
  assert.match((await build()).stderr, /up to date/);
  assert.deepEqual(await snapshot(), built);
});

test('changing a recipe file makes the archives stale and rebuilds them; the base layer and the other image stay identical', async () => {
  assert.equal((await build()).code, 0);
  const before = await snapshot();
  const oldControl = await readOciArchive(archivePath('control', out));

  await appendFile(path.join(recipes, 'control/rootfs/usr/bin/enable-admin-container'), '# a change\n');
  const check = await build('--check');
  assert.equal(check.code, 1);
  assert.match(check.stderr, /stale/);

  const rebuilt = await build();
  assert.equal(rebuilt.code, 0, rebuilt.stderr);
  assert.match(rebuilt.stderr, /built admin control/);
  const after = await snapshot();
  assert.notEqual(after.control?.hash, before.control?.hash);
  assert.equal(after.admin?.hash, before.admin?.hash, 'admin.tar is rewritten with the same bytes');
  const newControl = await readOciArchive(archivePath('control', out));
  assert.notEqual(newControl.manifestDescriptor.digest, oldControl.manifestDescriptor.digest);
  assert.equal(newControl.manifest.layers[0]?.digest, oldControl.manifest.layers[0]?.digest, 'same base layer');
  assert.notEqual(newControl.manifest.layers[1]?.digest, oldControl.manifest.layers[1]?.digest);
  assert.equal((await build('--check')).code, 0);
});

test('a failed build leaves no archive that looks fresh and no temporary files', async () => {
  assert.equal((await build()).code, 0);
  const before = await snapshot();
  const config = path.join(recipes, 'admin/config.json');
  const good = await readFile(config, 'utf8');
  await writeFile(config, '{"Entrypoint": [');

  const failed = await build();
  assert.notEqual(failed.code, 0);
  assert.match(failed.stderr, /Invalid image config '.*admin\/config\.json': expected a JSON object/);
  assert.equal((await build('--check')).code, 1, 'stale after the failure');
  assert.deepEqual(await snapshot(), before, 'the old archives are untouched, not half written');
  assert.deepEqual((await readdir(out)).sort(), ['admin.tar', 'control.tar'], 'no temporary files, no recorded hash');

  await writeFile(config, good);
  const fixed = await build();
  assert.equal(fixed.code, 0, fixed.stderr);
  assert.equal((await build('--check')).code, 0);
});

test('bad arguments are refused with a message naming them', async () => {
  const unknown = await runBuildImages(['--bogus']);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /unknown argument '--bogus'/);
  const missing = await runBuildImages(['--recipes', path.join(dir, 'nowhere')]);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /no recipes at '.*nowhere'/);
});
