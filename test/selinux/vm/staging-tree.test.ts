import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, readlink, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { StagingTree } from './staging-tree.js';

test('addHostPath() copies a symlink, its target and the mode, so the guest sees the same path', async (t) => {
  const dir = await mkdtemp(path.join(tmpdir(), 'berth-stage-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const host = path.join(dir, 'host');
  await mkdir(path.join(host, 'sbin'), { recursive: true });
  await mkdir(path.join(host, 'bin'), { recursive: true });
  await writeFile(path.join(host, 'sbin/tool'), '#!/bin/sh\n', { mode: 0o755 });
  await symlink('../sbin/tool', path.join(host, 'bin/tool'));
  const tree = new StagingTree(path.join(dir, 'stage'));
  await tree.addHostPath(path.join(host, 'bin/tool'), '/usr/bin/tool');
  assert.equal(await readlink(tree.at('/usr/bin/tool')), '../sbin/tool');
  assert.equal(await readFile(tree.at('/usr/sbin/tool'), 'utf8'), '#!/bin/sh\n');
  assert.equal((await stat(tree.at('/usr/sbin/tool'))).mode & 0o777, 0o755);
});

test('addHostPath() names a missing host path', async (t) => {
  const dir = await mkdtemp(path.join(tmpdir(), 'berth-stage-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const tree = new StagingTree(dir);
  await assert.rejects(tree.addHostPath('/nonexistent/berth-file'), {
    code: 'NOT_FOUND',
    message: "Cannot copy '/nonexistent/berth-file' into the guest: no such file",
  });
  assert.throws(() => tree.at('relative'), { code: 'INVALID_ARGUMENT' });
});

test('addBinary() brings a dynamic binary with its libraries and loader', async (t) => {
  const dir = await mkdtemp(path.join(tmpdir(), 'berth-stage-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const tree = new StagingTree(dir);
  await tree.mirrorTopLevelLinks();
  await tree.addBinary('/usr/bin/runcon');
  assert.ok((await stat(tree.at('/usr/bin/runcon'))).isFile());
  assert.ok((await stat(tree.at('/lib/x86_64-linux-gnu/libselinux.so.1'))).isFile());
  assert.ok((await stat(tree.at('/lib64/ld-linux-x86-64.so.2'))).isFile());
});
