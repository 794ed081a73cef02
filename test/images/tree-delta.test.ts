import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readdir, rm, stat, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { REPO } from '../helpers/repo.js';

// scripts/images/tree-delta.sh computes an image's own layer: what turns the base root filesystem
// into the image's. Run on small trees whose differences are known.

const exec = promisify(execFile);
const SCRIPT = path.join(REPO, 'scripts/images/tree-delta.sh');
let root: string;

before(async () => {
  root = await mkdtemp('/tmp/berth-tree-delta-');
});
after(async () => {
  await rm(root, { recursive: true, force: true });
});

/** Creates FILES (path → content; a trailing '/' makes a directory; '->target' a symlink) under DIR. */
async function tree(dir: string, files: Record<string, string>): Promise<void> {
  await mkdir(dir, { recursive: true });
  for (const [name, content] of Object.entries(files)) {
    const p = path.join(dir, name);
    if (name.endsWith('/')) await mkdir(p, { recursive: true });
    else {
      await mkdir(path.dirname(p), { recursive: true });
      if (content.startsWith('->')) await symlink(content.slice(2), p);
      else await writeFile(p, content);
    }
  }
}

/** Every path under DIR, sorted, directories with a trailing '/'. */
async function listing(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)) + (e.isDirectory() ? '/' : ''))
    .sort();
}

test('tree-delta keeps new and changed entries with their parents, and whites out the topmost removed ones', async () => {
  const base = path.join(root, 'base');
  const next = path.join(root, 'next');
  const stage = path.join(root, 'stage');
  const common = { 'etc/same': 'x', 'etc/link': '->same', 'usr/bin/tool': 'v1', 'a-b/keep': 'k', 'var/lib/x/': '' };
  await tree(base, { ...common, 'gone/sub/file': 'z', 'a/b': 'removed with a', 'was-dir/inner': 'i', 'etc/mode': 'm' });
  await tree(next, { ...common, 'usr/bin/tool': 'v2', 'usr/bin/new': 'n', 'was-dir': 'now a file', 'etc/mode': 'm', 'etc/link': '->other' });
  await rm(path.join(next, 'etc/link'));
  await symlink('other', path.join(next, 'etc/link'));
  await chmod(path.join(next, 'etc/mode'), 0o600);
  await chmod(path.join(next, 'var/lib'), 0o700);
  await mkdir(stage);

  const { stderr } = await exec('bash', [SCRIPT, base, next, stage]);
  assert.match(stderr, /tree-delta: 6 new or changed, 2 removed/);
  assert.deepEqual(await listing(stage), [
    '.wh.a', '.wh.gone', 'etc/', 'etc/link', 'etc/mode', 'usr/', 'usr/bin/', 'usr/bin/new', 'usr/bin/tool', 'var/', 'var/lib/', 'was-dir',
  ]);
  assert.equal((await stat(path.join(stage, 'etc/mode'))).mode & 0o777, 0o600);
  assert.equal((await stat(path.join(stage, 'var/lib'))).mode & 0o777, 0o700, 'a directory whose mode changed');
  assert.equal((await stat(path.join(stage, 'was-dir'))).isFile(), true, 'no whiteouts below a path that became a file');
});

test('tree-delta of identical trees is empty, and it refuses what is not a directory', async () => {
  const a = path.join(root, 'same-a');
  const b = path.join(root, 'same-b');
  const stage = path.join(root, 'same-stage');
  await tree(a, { 'etc/x': '1', 'usr/': '' });
  await tree(b, { 'etc/x': '1', 'usr/': '' });
  await mkdir(stage);
  await exec('bash', [SCRIPT, a, b, stage]);
  assert.deepEqual(await listing(stage), []);
  await assert.rejects(exec('bash', [SCRIPT, a, path.join(root, 'missing'), stage]), /'.*missing' is not a directory/);
});
