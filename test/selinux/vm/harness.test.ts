import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { findKernel, KERNEL_APPEND, kernelRelease } from './harness.js';

test('findKernel() picks the newest vmlinuz by version, not by string order', async (t) => {
  const dir = await mkdtemp(path.join(tmpdir(), 'berth-boot-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  for (const n of ['vmlinuz-6.1.0-9-amd64', 'vmlinuz-6.1.0-56-amd64', 'config-6.1.0-99-amd64']) {
    await writeFile(path.join(dir, n), '');
  }
  assert.equal(await findKernel(dir), path.join(dir, 'vmlinuz-6.1.0-56-amd64'));
});

test('findKernel() names the directory when there is no kernel', async (t) => {
  const dir = await mkdtemp(path.join(tmpdir(), 'berth-boot-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  await assert.rejects(findKernel(dir), { code: 'NOT_FOUND', message: `No kernel image (vmlinuz-*) in '${dir}'` });
});

test('kernelRelease() is the part after vmlinuz-, and other names are refused', () => {
  assert.equal(kernelRelease('/boot/vmlinuz-6.1.0-56-amd64'), '6.1.0-56-amd64');
  assert.throws(() => kernelRelease('/boot/bzImage'), { code: 'INVALID_ARGUMENT' });
});

test('the kernel command line makes SELinux the enforcing LSM and keeps every AVC message', () => {
  for (const word of ['security=selinux', 'enforcing=1', 'audit=1', 'audit_backlog_limit=8192', 'panic=-1']) {
    assert.ok(KERNEL_APPEND.split(' ').includes(word), word);
  }
});
