import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { startBerthd, until, type BerthdProcess } from '../helpers/berthd-process.js';
import { makeTempRoot } from '../helpers/temp-root.js';
import { testImagesDir } from '../helpers/test-images-dir.js';
import { testImageArchive } from '../helpers/test-image.js';
import type { BootReport } from '../../src/daemon/boot-report.js';
import type { BootstrapContainerStatus } from '../../src/reconciler/bootstrap-status.js';
import type { ContainerStatus } from '../../src/reconciler/status.js';

/**
 * A failed boot as an operator meets it: an essential bootstrap container fails, berthd stays up
 * with its API, host containers stay unstarted, `apiclient status` and `logs` say what failed, and
 * the boot is retried, explicitly or by a settings fix.
 */
const base64 = (s: string) => Buffer.from(s).toString('base64');

/** Boots a real berthd whose user data holds the bootstrap containers `setup` (essential, running `script`) and `note` (once). */
async function bootWith(t: { after(fn: () => Promise<void>): void }, script: string): Promise<BerthdProcess> {
  const root = await makeTempRoot('bfail');
  const archive = await testImageArchive({
    extraFiles: { '/usr/bin/run-user-data': '#!/bin/sh\nexec sh /.bottlerocket/bootstrap-containers/current/user-data\n' },
    entrypoint: ['/usr/bin/run-user-data'],
  });
  const userData = path.join(root, 'user-data.toml');
  await writeFile(
    userData,
    [
      '[settings.bootstrap-containers.setup]',
      `source = "oci-archive:${archive}"`,
      'mode = "always"',
      'essential = true',
      `user-data = "${base64(script)}"`,
      '[settings.bootstrap-containers.note]',
      `source = "oci-archive:${archive}"`,
      'mode = "once"',
      `user-data = "${base64('echo noted')}"`,
      '',
    ].join('\n'),
  );
  const b = await startBerthd({ root, args: ['--images-dir', await testImagesDir(root), '--user-data', userData] });
  t.after(async () => {
    await b.cleanup();
  });
  return b;
}

const controlState = async (b: BerthdProcess) => (await b.get<ContainerStatus>('/host-containers/control')).state;

test('an essential bootstrap container fails: berthd keeps its API, starts no host container, shows why; apiclient retry-boot boots once it is fixed', async (t) => {
  const b = await bootWith(t, 'echo preparing\ntest -f /.bottlerocket/bootstrap-containers/current/ready\n');

  const boot = await b.get<BootReport>('/boot');
  assert.deepEqual(boot.bootstrap, { ...boot.bootstrap, state: 'failed', failures: [{ kind: 'container', name: 'setup', error: 'exited with status 1' }], attempts: 1 });
  assert.equal(b.child.exitCode, null, 'berthd is still up');
  assert.equal(await controlState(b), 'pending', 'host containers are not started');
  assert.ok(b.lines.some((l) => l.includes('boot failed: host containers are not started')), 'the journal says so');

  const table = await b.apiclient('status');
  assert.equal(table.code, 0, table.stderr);
  assert.match(table.stdout, /^BOOT: failed: essential bootstrap container boot\.setup \(exited with status 1\); host containers are not started/m);
  assert.match(table.stdout, /^control\s+pending\s+-/m);
  assert.match(table.stdout, /^NAME\s+STATE\s+KIND\s+MODE\s+ESSENTIAL\s+LAST EXIT\s+EXITED AT$/m);
  assert.match(table.stdout, /^boot\.setup\s+failed \(exited with status 1\)\s+bootstrap\s+always\s+yes\s+1\s+\d{4}-\d\d-\d\dT/m);
  assert.match(table.stdout, /^boot\.note\s+succeeded\s+bootstrap\s+off\s+no\s+0\s+\d{4}-/m, 'once turned off after its run');
  const setup = JSON.parse((await b.apiclient('status', 'boot.setup', '--json')).stdout) as BootstrapContainerStatus;
  assert.deepEqual([setup.kind, setup.mode, setup.essential, setup.lastExit?.code], ['bootstrap', 'always', true, 1]);
  assert.equal((await b.apiclient('status', 'boot.nosuch')).code, 3, 'NOT_FOUND');

  // Their output, under the same names.
  const logs = await b.apiclient('logs', 'boot.setup');
  assert.deepEqual([logs.code, logs.stdout, logs.stderr], [0, 'preparing\n', 'apiclient: boot.setup is not running: failed (exited with status 1)\n']);
  const note = await b.apiclient('logs', 'boot.note');
  assert.deepEqual([note.code, note.stdout, note.stderr], [0, 'noted\n', '']);

  // A retry that fails again says so; once the cause is fixed, the retry boots the host.
  const again = await b.apiclient('retry-boot');
  assert.equal(again.code, 5, again.stderr);
  assert.equal(again.stderr, 'apiclient: The boot failed again: essential bootstrap container boot.setup (exited with status 1)\n');
  assert.equal(await controlState(b), 'pending');
  await writeFile(path.join(b.paths.bootstrapContainers, 'setup', 'ready'), '');
  const retry = await b.apiclient('retry-boot');
  assert.deepEqual([retry.code, retry.stdout, retry.stderr], [0, '', '']);
  await until('control running', async () => (await controlState(b)) === 'running');
  const after = await b.get<BootReport>('/boot');
  assert.deepEqual([after.bootstrap?.state, after.bootstrap?.attempts], ['succeeded', 3]);
  assert.equal((await b.get<BootstrapContainerStatus>('/bootstrap-containers/setup')).state, 'succeeded');
  assert.doesNotMatch((await b.apiclient('status')).stdout, /^BOOT:/m);

  const none = await b.apiclient('retry-boot');
  assert.deepEqual([none.code, none.stderr], [5, 'apiclient: The boot has not failed: there is nothing to retry\n']);
});

test('after a failed boot, making the failing bootstrap container non-essential through apiclient set boots the host', async (t) => {
  const b = await bootWith(t, 'exit 7\n');
  assert.equal((await b.get<BootReport>('/boot')).bootstrap?.state, 'failed');
  assert.equal(await controlState(b), 'pending');

  const set = await b.apiclient('set', 'bootstrap-containers.setup.essential=false');
  assert.equal(set.code, 0, set.stderr);
  await until('control running', async () => (await controlState(b)) === 'running');
  const boot = await b.get<BootReport>('/boot');
  assert.deepEqual([boot.bootstrap?.state, boot.bootstrap?.attempts, boot.bootstrap?.failures], ['succeeded', 2, []]);
  const setup = await b.get<BootstrapContainerStatus>('/bootstrap-containers/setup');
  assert.deepEqual([setup.state, setup.essential, setup.lastExit?.code], ['failed', false, 7], 'it ran again, and failed harmlessly');
  assert.ok(b.lines.some((l) => l.includes('retrying the boot')));
});
