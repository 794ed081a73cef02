import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { copyFile, readFile, readlink, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { startBerthd, until, type BerthdProcess } from '../helpers/berthd-process.js';
import { makeTempRoot } from '../helpers/temp-root.js';
import { freePort, generateKeyPair, ssh, type KeyPair } from '../helpers/ssh-client.js';
import { pidsRunning } from '../helpers/process-scan.js';
import { processRunning } from '../../src/daemon/process-identity.js';
import { APICLIENT, NATIVE_DIR, REPO } from '../helpers/repo.js';
import type { ContainerStatus } from '../../src/reconciler/status.js';
import type { AuditRecord } from '../../src/audit/audit-log.js';

const run = promisify(execFile);
const root = await makeTempRoot('bglass');
const IMAGES = ['--images-dir', path.join(REPO, 'build/images')];
let berthd: BerthdProcess;
let key: KeyPair;
let port: number;
after(async () => {
  await berthd?.cleanup();
});

const status = (name: string) => berthd.get<ContainerStatus>(`/host-containers/${name}`);
const audit = () => berthd.get<AuditRecord[]>('/audit');
const hostMountNs = async () => readlink('/proc/1/ns/mnt').catch(() => readlink('/proc/self/ns/mnt'));
const listening = (p: number) =>
  new Promise<boolean>((resolve) => {
    const s = connect(p, '127.0.0.1');
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
  });

test('break-glass as a user does it: enable-admin-container from control, SSH in, sudo sheltie into the host', async () => {
  key = await generateKeyPair(root, 'id_admin');
  port = await freePort();
  berthd = await startBerthd({ root, args: IMAGES });
  await until('control running', async () => (await status('control')).state === 'running', 90_000);
  const userData = Buffer.from(JSON.stringify({ ssh: { 'authorized-keys': [key.publicKey], port } })).toString('base64');
  assert.equal((await berthd.apiclient('set', `host-containers.admin.user-data=${userData}`)).code, 0);

  const enable = await berthd.apiclient('exec', 'control', 'enable-admin-container');
  assert.equal(enable.code, 0, enable.stderr);
  assert.match(enable.stdout, /admin container is now enabled/);
  await until('admin running', async () => (await status('admin')).state === 'running', 90_000);
  await until('sshd listening', () => listening(port), 60_000);

  const ns = await ssh(port, { user: 'berth', key: key.key, command: 'sudo sheltie readlink /proc/self/ns/mnt' });
  assert.equal(ns.code, 0, ns.stderr);
  assert.equal(ns.stdout.trim(), await hostMountNs(), "the host's mount namespace");
  const release = await ssh(port, { user: 'berth', key: key.key, command: 'sudo sheltie cat /etc/os-release' });
  assert.equal(release.stdout, await readFile('/etc/os-release', 'utf8'));
  // A file only the host has proves it is the host's filesystem, not the image's.
  const marker = path.join(root, 'host-marker');
  const secret = randomBytes(8).toString('hex');
  await writeFile(marker, secret);
  assert.equal((await ssh(port, { user: 'berth', key: key.key, command: `sudo sheltie cat ${marker}` })).stdout, secret);

  const logins = await until('ssh login audited', async () => {
    const a = (await audit()).filter((r) => r.event === 'ssh-login' && r.target === 'admin');
    return a.length > 0 ? a : undefined;
  });
  assert.equal(logins[0]?.actor?.user, 'berth');
  assert.match(logins[0]?.actor?.key ?? '', /^ED25519 SHA256:/);
  const execs = (await audit()).filter((r) => r.event === 'exec-end' && r.target === 'control');
  assert.deepEqual(execs[0]?.command, ['enable-admin-container']);
  assert.equal(execs[0]?.exitCode, 0);
  assert.equal(typeof execs[0]?.actor?.pid, 'number');
});

test('in the control container sheltie is absent, and a copied-in sheltie fails clearly without entering anything', async () => {
  const absent = await berthd.apiclient('exec', 'control', 'sheltie', 'readlink', '/proc/self/ns/mnt');
  assert.equal(absent.code, 127);
  assert.match(absent.stderr, /sheltie: command not found/);
  await copyFile(path.join(NATIVE_DIR, 'sheltie'), path.join(berthd.paths.hostContainers, 'control', 'sheltie'));
  const copied = await berthd.apiclient('exec', 'control', '/.bottlerocket/host-containers/current/sheltie', 'touch', '/tmp/entered');
  assert.equal(copied.code, 125);
  assert.match(copied.stdout + copied.stderr, /sheltie: cannot enter the \w+ namespace/);
  const entered = await berthd.apiclient('exec', 'control', 'ls', '/tmp/entered');
  assert.notEqual(entered.code, 0, 'the command after sheltie never ran');
});

test('apiclient exec to a missing container gives a clear error', async () => {
  const r = await berthd.apiclient('exec', 'nosuch', 'true');
  assert.equal(r.code, 3, 'NOT_FOUND');
  assert.equal(r.stderr.trim(), "apiclient: No host container named 'nosuch'");
});

test('a client that disconnects mid-command leaves no process behind, with or without a terminal', async () => {
  for (const [flag, container, tag] of [['-T', 'admin', '4111'], ['-t', 'control', '4222']] as const) {
    const cmd = `sleep ${tag}1 & sleep ${tag}2; wait`;
    const client = spawn(APICLIENT, ['-s', berthd.paths.apiSocket, 'exec', flag, container, 'sh', '-c', cmd], { stdio: 'ignore' });
    await until(`${flag} session processes`, () => pidsRunning(`sleep ${tag}1`).length === 1 && pidsRunning(`sleep ${tag}2`).length === 1);
    client.kill('SIGKILL');
    await until(`${flag} session cleaned up`, () => pidsRunning(`sleep ${tag}1`).length === 0 && pidsRunning(`sleep ${tag}2`).length === 0, 20_000);
    const end = await until('disconnect audited', async () => (await audit()).find((r) => r.event === 'exec-end' && r.command?.includes(cmd)));
    assert.equal(end.disconnected, true);
    assert.equal(end.tty, flag === '-t');
  }
});

test('interactive: apiclient exec -t admin bash through a real terminal, resize, exit code', async () => {
  const session = `berth-${process.pid}`;
  const out = path.join(root, 'tty-exit');
  const tmux = (...a: string[]) => run('tmux', ['-L', session, ...a]);
  await tmux('new-session', '-d', '-s', session, '-x', '120', '-y', '40',
    `${APICLIENT} -s ${berthd.paths.apiSocket} exec -t admin bash; echo "EXIT:$?" > ${out}; sleep 60`);
  try {
    const screen = async () => (await tmux('capture-pane', '-p', '-t', session)).stdout;
    await until('bash prompt', async () => /[#$] ?$/m.test(await screen()), 30_000);
    await tmux('send-keys', '-t', session, 'stty size; tty', 'Enter');
    await until('first size', async () => (await screen()).includes('40 120'));
    assert.match(await screen(), /\/dev\/pts\/\d+/);
    await tmux('resize-window', '-t', session, '-x', '100', '-y', '30');
    await new Promise((r) => setTimeout(r, 500));
    await tmux('send-keys', '-t', session, 'clear; stty size', 'Enter');
    await until('resized', async () => (await screen()).includes('30 100'));
    await tmux('send-keys', '-t', session, 'exit 7', 'Enter');
    await until('client exited', async () => (await readFile(out, 'utf8').catch(() => '')).trim() === 'EXIT:7');
  } finally {
    await tmux('kill-server').catch(() => undefined);
  }
});

test('enable-admin-container --for: the admin container is disabled and stopped when the time is up', async () => {
  const r = await berthd.apiclient('exec', 'control', 'enable-admin-container', '--for', '4s');
  assert.equal(r.code, 0, r.stderr);
  assert.match((await status('admin')).desired.enabledUntil ?? '', /^\d{4}-/);
  await until('admin disabled', async () => (await status('admin')).state === 'disabled', 30_000);
  const settings = await berthd.get<{ settings: { 'host-containers': { admin: Record<string, unknown> } } }>('/?prefix=settings.host-containers.admin');
  assert.equal(settings.settings['host-containers'].admin['enabled'], false);
  assert.equal(settings.settings['host-containers'].admin['enabled-until'], undefined, 'the deadline is cleared');
  assert.ok((await audit()).some((r) => r.event === 'break-glass-expired' && r.target === 'admin'));
  assert.ok(!(await listening(port)), 'sshd is gone with the container');
});

test('an expiry that passes while berthd is down is applied when it starts again', async () => {
  const deadline = new Date(Date.now() + 6000).toISOString();
  assert.equal((await berthd.apiclient('set', 'host-containers.admin.enabled=true', `host-containers.admin.enabled-until=${deadline}`)).code, 0);
  await until('admin running again', async () => (await status('admin')).state === 'running', 60_000);
  const adminPid = (await status('admin')).pid as number;
  berthd.child.kill('SIGTERM');
  await berthd.exited;
  assert.ok(processRunning(adminPid), 'berthd exiting leaves the admin container running');
  await new Promise((r) => setTimeout(r, 7000));
  assert.ok(processRunning(adminPid), 'nobody stopped it while berthd was down');
  berthd = await startBerthd({ root, args: IMAGES });
  // Committed before anything started: the settings say disabled as soon as berthd is ready.
  assert.equal((await status('admin')).desired.enabled, false);
  await until('admin stopped', async () => (await status('admin')).state === 'disabled', 30_000);
  await until('admin process gone', () => !processRunning(adminPid), 30_000);
  const expired = (await audit()).filter((r) => r.event === 'break-glass-expired' && r.target === 'admin');
  assert.ok(expired.some((r) => Date.parse(r.time) >= Date.parse(deadline)), 'the expiry at start is audited');
});
