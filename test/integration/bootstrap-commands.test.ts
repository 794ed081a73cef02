import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { startBerthd, until, type BerthdProcess } from '../helpers/berthd-process.js';
import { makeTempRoot } from '../helpers/temp-root.js';
import { testImagesDir } from '../helpers/test-images-dir.js';
import { testImageArchive } from '../helpers/test-image.js';
import { REPO } from '../helpers/repo.js';
import type { AuditRecord } from '../../src/audit/audit-log.js';
import type { BootReport } from '../../src/daemon/boot-report.js';
import type { BootstrapContainerStatus } from '../../src/reconciler/bootstrap-status.js';
import type { ContainerStatus } from '../../src/reconciler/status.js';
import type { Settings } from '../../src/model/index.js';

/**
 * Bootstrap commands as a Bottlerocket user writes them in boot user data: berthd makes their
 * apiclient calls itself at first start, in lexical order of names, before bootstrap containers;
 * each call is audited; an essential failure fails the boot (berthd and its API stay up) until a fix
 * retries it.
 */
const base64 = (s: string) => Buffer.from(s).toString('base64');

/** Boots a real berthd with `userData` (TOML lines) as its boot user data file. */
async function bootWith(t: { after(fn: () => Promise<void>): void }, userData: string[]): Promise<BerthdProcess> {
  const root = await makeTempRoot('bcmd');
  const file = path.join(root, 'user-data.toml');
  await writeFile(file, [...userData, ''].join('\n'));
  const b = await startBerthd({ root, args: ['--images-dir', await testImagesDir(root), '--user-data', file] });
  t.after(async () => {
    await b.cleanup();
  });
  return b;
}

/** A bootstrap container that runs its user data as a shell script. */
async function scriptImage(): Promise<string> {
  return testImageArchive({
    extraFiles: { '/usr/bin/run-user-data': '#!/bin/sh\nexec sh /.bottlerocket/bootstrap-containers/current/user-data\n' },
    entrypoint: ['/usr/bin/run-user-data'],
  });
}

const settings = (b: BerthdProcess) => b.get<Settings>('/settings');
const controlState = async (b: BerthdProcess) => (await b.get<ContainerStatus>('/host-containers/control')).state;
const auditOf = async (b: BerthdProcess) =>
  (JSON.parse((await b.apiclient('audit', '--json')).stdout) as AuditRecord[]).filter((r) => r.event === 'bootstrap-command');

test('bootstrap commands in boot user data run at first start, in order of names, before bootstrap containers, each call audited; once turns off', async (t) => {
  const b = await bootWith(t, [
    // Bottlerocket's documented shape (settings.bootstrap-commands.<name>.{commands, essential, mode}), with berth's settings.
    '[settings.bootstrap-commands.020-later]',
    `commands = [["apiclient", "set", "host-containers.admin.user-data=${base64('second')}"]]`,
    'essential = true',
    'mode = "once"',
    '[settings.bootstrap-commands.010-admin]',
    `commands = [["apiclient", "set", "host-containers.admin.superpowered=false"], ["apiclient", "set", "host-containers.admin.user-data=${base64('first')}"]]`,
    'essential = true',
    'mode = "always"',
    '[settings.bootstrap-commands.015-optional]',
    'commands = [["apiclient", "set", "no-such.key=1"], ["apiclient", "get"]]',
    'mode = "always"',
    // berth's control image has what the bind-mounted apiclient needs.
    '[settings.bootstrap-containers.observe]',
    `source = "oci-archive:${path.join(REPO, 'build/images/control.tar')}"`,
    'mode = "once"',
    'command = ["/bin/sh", "-c", "/usr/local/bin/apiclient get host-containers.admin.user-data > /.bottlerocket/bootstrap-containers/current/seen"]',
  ]);
  await until('control running', async () => (await controlState(b)) === 'running');
  const boot = await b.get<BootReport>('/boot');
  assert.deepEqual([boot.userData?.applied, boot.userData?.error, boot.bootstrap?.state, boot.bootstrap?.failures], [true, undefined, 'succeeded', []]);

  // Their effect, the later name winning; `once` turned off, `always` left alone.
  const now = await settings(b);
  const admin = now['host-containers']?.['admin'];
  assert.deepEqual([admin?.superpowered, admin?.['user-data']], [false, base64('second')]);
  const modes = Object.fromEntries(Object.entries(now['bootstrap-commands'] ?? {}).map(([n, c]) => [n, c.mode]));
  assert.deepEqual(modes, { '010-admin': 'always', '015-optional': 'always', '020-later': 'off' });

  // The bootstrap container ran after them: it read what they set through the API.
  const observe = await b.get<BootstrapContainerStatus>('/bootstrap-containers/observe');
  assert.equal(observe.state, 'succeeded', JSON.stringify(observe));
  const seen = JSON.parse(await readFile(path.join(b.paths.bootstrapContainers, 'observe', 'seen'), 'utf8')) as { settings: Settings };
  assert.equal(seen.settings['host-containers']?.['admin']?.['user-data'], base64('second'));

  // Each call in the audit log, in the order made, by berthd; the failing one with its error, and
  // the rest of its command skipped, and the boot went on.
  const audit = await auditOf(b);
  assert.deepEqual(
    audit.map((r) => [r.target, r.command, r.exitCode]),
    [
      ['010-admin', ['apiclient', 'set', 'host-containers.admin.superpowered=false'], 0],
      ['010-admin', ['apiclient', 'set', `host-containers.admin.user-data=${base64('first')}`], 0],
      ['015-optional', ['apiclient', 'set', 'no-such.key=1'], 2],
      ['020-later', ['apiclient', 'set', `host-containers.admin.user-data=${base64('second')}`], 0],
    ],
  );
  assert.match(audit[2]?.reason ?? '', /^Unknown setting 'no-such'/);
  assert.ok(audit.every((r) => r.actor?.comm === 'berthd' && r.actor.uid === 0 && typeof r.actor.pid === 'number'), JSON.stringify(audit[0]?.actor));
  assert.ok(Date.parse(audit[3]!.time) <= Date.parse(observe.startedAt ?? ''), 'the container started after the last call');
  const table = await b.apiclient('audit', '--target', '015-optional');
  assert.match(table.stdout, /bootstrap-command\s+015-optional\s+uid=0 pid=\d+ \(berthd\)\s+cmd=\["apiclient","set","no-such.key=1"\]\s+duration=\d+\.\ds\s+exit=2\s+reason="Unknown setting 'no-such'/);
  assert.ok(b.lines.some((l) => l.includes('"bootstrap command failed"') && l.includes('015-optional')), 'the journal says so');
});

test('an essential bootstrap command that fails fails the boot: berthd stays up and says why; bad commands are refused; a fixed command retries the boot', async (t) => {
  const b = await bootWith(t, [
    '[settings.bootstrap-commands.010-bad]',
    'commands = [["apiclient", "set", "no-such.key=1"]]',
    'essential = true',
    'mode = "always"',
    '[settings.bootstrap-commands.020-after]',
    'commands = [["apiclient", "set", "host-containers.admin.superpowered=false"]]',
    'mode = "always"',
    '[settings.bootstrap-containers.setup]',
    `source = "oci-archive:${await scriptImage()}"`,
    'mode = "always"',
    `user-data = "${base64('true\n')}"`,
  ]);
  const boot = await b.get<BootReport>('/boot');
  assert.equal(boot.bootstrap?.state, 'failed');
  assert.deepEqual(
    boot.bootstrap?.failures.map((f) => [f.kind, f.name]),
    [['command', '010-bad']],
  );
  assert.match(boot.bootstrap?.failures[0]?.error ?? '', /^call 1 of 1 \(apiclient set no-such\.key=1\) exited with status 2: Unknown setting 'no-such'/);
  assert.equal(b.child.exitCode, null, 'berthd is still up');
  assert.equal(await controlState(b), 'pending', 'host containers are not started');
  assert.equal((await b.get<BootstrapContainerStatus>('/bootstrap-containers/setup')).state, 'pending', 'bootstrap containers did not run');
  assert.equal((await settings(b))['host-containers']?.['admin']?.superpowered, true, 'the command after it did not run');
  const status = await b.apiclient('status');
  assert.match(status.stdout, /^BOOT: failed: essential bootstrap command 010-bad \(call 1 of 1 \(apiclient set no-such\.key=1\) exited with status 2: Unknown setting 'no-such'.*\); host containers are not started/m);

  // Bad input through the API is refused with the key named, and changes nothing.
  const before = JSON.stringify(await settings(b));
  for (const [json, message] of [
    ['{"bootstrap-commands": {"010-bad": {"commands": [["/usr/bin/touch", "/x"]]}}}', /^apiclient: Invalid setting 'bootstrap-commands\.010-bad\.commands\[0\]': a bootstrap command runs only apiclient: the call must start with "apiclient", got "\/usr\/bin\/touch"\n$/],
    ['{"bootstrap-commands": {"010-bad": {"commands": ["apiclient", "get"]}}}', /^apiclient: Invalid setting 'bootstrap-commands\.010-bad\.commands\[0\]': expected a list of strings, got "apiclient"\n$/],
    ['{"bootstrap-commands": {"010-bad": {"commands": "apiclient get"}}}', /^apiclient: Invalid setting 'bootstrap-commands\.010-bad\.commands': expected a list of apiclient calls/],
    ['{"bootstrap-commands": {"010-bad": {"mode": "sometimes"}}}', /^apiclient: Invalid setting 'bootstrap-commands\.010-bad\.mode': expected one of "off", "once", "always"/],
  ] as const) {
    const r = await b.apiclient('set', '--json', json);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, message);
  }
  assert.equal(JSON.stringify(await settings(b)), before, 'nothing changed');
  assert.equal((await b.get<BootReport>('/boot')).bootstrap?.attempts, 1, 'refused input retries nothing');

  const again = await b.apiclient('retry-boot');
  assert.equal(again.code, 5, again.stderr);
  assert.match(again.stderr, /^apiclient: The boot failed again: essential bootstrap command 010-bad \(call 1 of 1/);

  // The fixed command retries the boot: it runs, then the commands and containers that had not run.
  const fix = await b.apiclient('set', '--json', '{"bootstrap-commands": {"010-bad": {"commands": [["apiclient", "set", "host-containers.admin.enabled-until=2099-01-01T00:00:00Z"]]}}}');
  assert.equal(fix.code, 0, fix.stderr);
  await until('control running', async () => (await controlState(b)) === 'running');
  const after = await b.get<BootReport>('/boot');
  assert.deepEqual([after.bootstrap?.state, after.bootstrap?.attempts, after.bootstrap?.failures], ['succeeded', 3, []]);
  const admin = (await settings(b))['host-containers']?.['admin'];
  assert.deepEqual([admin?.['enabled-until'], admin?.superpowered], ['2099-01-01T00:00:00Z', false]);
  assert.equal((await b.get<BootstrapContainerStatus>('/bootstrap-containers/setup')).state, 'succeeded');
  assert.deepEqual(
    (await auditOf(b)).map((r) => [r.target, r.command?.[2], r.exitCode]),
    [
      ['010-bad', 'no-such.key=1', 2],
      ['010-bad', 'no-such.key=1', 2],
      ['010-bad', 'host-containers.admin.enabled-until=2099-01-01T00:00:00Z', 0],
      ['020-after', 'host-containers.admin.superpowered=false', 0],
    ],
  );
  assert.doesNotMatch((await b.apiclient('status')).stdout, /^BOOT:/m);
});
