import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, readlink, stat } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import { startBerthd, until, type BerthdProcess } from '../helpers/berthd-process.js';
import { makeTempRoot } from '../helpers/temp-root.js';
import { START_SCRIPT, testImagesDir } from '../helpers/test-images-dir.js';
import { testImageArchive } from '../helpers/test-image.js';
import type { ContainerStatus } from '../../src/reconciler/status.js';

const root = await makeTempRoot('be2e');
let berthd: BerthdProcess | undefined;
after(async () => {
  await berthd?.cleanup();
});

const statusOf = (name: string) => berthd!.get<ContainerStatus>(`/host-containers/${name}`);
const runningPid = (name: string, not?: number) => async () => {
  const s = await statusOf(name);
  return s.state === 'running' && s.pid !== undefined && s.pid !== not ? s.pid : undefined;
};
const hostPidNs = () => readlink('/proc/self/ns/pid');

test('apiclient set drives host containers: enable, same value, source, superpowered, user-data, custom, disable', async () => {
  const imagesDir = await testImagesDir(root);
  berthd = await startBerthd({ root, args: ['--images-dir', imagesDir] });
  const b = berthd;

  // Defaults: control runs, admin is disabled.
  const control = await until('control running', runningPid('control'));
  assert.equal((await statusOf('admin')).state, 'disabled');
  assert.notEqual(await readlink(`/proc/${control}/ns/pid`), await hostPidNs());

  // Enable admin: it runs superpowered (host PID namespace).
  assert.equal((await b.apiclient('set', 'host-containers.admin.enabled=true')).code, 0);
  const admin = await until('admin running', runningPid('admin'), 20_000);
  assert.equal(await readlink(`/proc/${admin}/ns/pid`), await hostPidNs());

  // Re-setting the same values restarts nothing.
  assert.equal((await b.apiclient('set', 'host-containers.admin.enabled=true', 'host-containers.control.enabled=true')).code, 0);
  await new Promise((r) => setTimeout(r, 1500));
  assert.equal((await statusOf('admin')).pid, admin);
  assert.equal((await statusOf('control')).pid, control);

  // Changing source replaces admin with the new image.
  const other = await testImageArchive({ extraFiles: { '/usr/bin/start': START_SCRIPT, '/etc/variant': 'b' }, entrypoint: ['/usr/bin/start'] });
  const before = (await statusOf('admin')).imageDigest;
  assert.equal((await b.apiclient('set', `host-containers.admin.source=oci-archive:${other}`)).code, 0);
  const admin2 = await until('admin on the new source', runningPid('admin', admin));
  assert.notEqual((await statusOf('admin')).imageDigest, before);
  assert.equal(await readFile(`/proc/${admin2}/root/etc/variant`, 'utf8'), 'b');

  // superpowered=false: its own PID namespace now.
  assert.equal((await b.apiclient('set', 'host-containers.admin.superpowered=false')).code, 0);
  const admin3 = await until('admin unpowered', runningPid('admin', admin2));
  assert.notEqual(await readlink(`/proc/${admin3}/ns/pid`), await hostPidNs());

  // user-data: written (0600) before the restart and read by the container.
  const data = Buffer.from('{"ssh":{"authorized-keys":["ssh-ed25519 AAAA test"]}}').toString('base64');
  assert.equal((await b.apiclient('set', `host-containers.admin.user-data=${data}`)).code, 0);
  await until('admin restarted with user data', runningPid('admin', admin3));
  const ud = `${b.paths.hostContainers}/admin/user-data`;
  assert.equal((await stat(ud)).mode & 0o777, 0o600);
  await until('user data in the log', async () => (await b.apiclient('raw', '-u', '/host-containers/admin/logs')).stdout.includes('start {"ssh"'));

  // A custom host container declared in settings runs.
  assert.equal((await b.apiclient('set', '--json', JSON.stringify({ 'host-containers': { mytools: { source: `oci-archive:${other}`, enabled: true } } }))).code, 0);
  const mine = await until('custom container running', runningPid('mytools'));
  assert.ok(mine > 0);
  assert.match(execFileSync('ctr', ['-a', b.paths.hostContainerd.socket, 'containers', 'ls', '-q'], { encoding: 'utf8' }), /^mytools$/m);

  // Disable: stopped and removed, the others untouched.
  assert.equal((await b.apiclient('set', 'host-containers.admin.enabled=false')).code, 0);
  await until('admin disabled', async () => (await statusOf('admin')).state === 'disabled');
  const ids = execFileSync('ctr', ['-a', b.paths.hostContainerd.socket, 'containers', 'ls', '-q'], { encoding: 'utf8' }).trim().split('\n').sort();
  assert.deepEqual(ids, ['control', 'mytools']);
  assert.equal((await statusOf('control')).pid, control);

  // Bad input through apiclient is refused and changes nothing.
  const bad = await b.apiclient('set', 'host-containers.control.enabled=maybe');
  assert.notEqual(bad.code, 0);
  assert.match(bad.stderr, /host-containers\.control\.enabled/);
  assert.equal((await statusOf('control')).pid, control);
});

test('apiclient status, logs and logs -f show what berth runs', async () => {
  const b = berthd!;
  const table = await b.apiclient('status');
  assert.equal(table.code, 0, table.stderr);
  assert.match(table.stdout, /^NAME\s+STATE\s+PID/);
  assert.match(table.stdout, /^control\s+running\s+\d+\s+yes\s+no/m);
  assert.match(table.stdout, /^admin\s+disabled\s+-\s+no/m);
  const one = JSON.parse((await b.apiclient('status', 'control', '--json')).stdout);
  assert.equal(one.name, 'control');
  assert.equal((await b.apiclient('status', 'nosuch')).code, 3, 'NOT_FOUND');

  const logs = await b.apiclient('logs', 'mytools');
  assert.equal(logs.code, 0);
  assert.match(logs.stdout, /^start /m);

  // -f keeps streaming: output written after the follower started shows up.
  const { spawn } = await import('node:child_process');
  const { APICLIENT } = await import('../helpers/repo.js');
  const follower = spawn(APICLIENT, ['-s', b.paths.apiSocket, 'logs', 'mytools', '-f']);
  let seen = '';
  follower.stdout.on('data', (d: Buffer) => (seen += d.toString()));
  try {
    await until('follower attached', () => seen.includes('start '));
    assert.equal((await b.apiclient('exec', 'mytools', 'sh', '-c', 'echo followed-line > /proc/1/fd/1')).code, 0);
    await until('new line followed', () => seen.includes('followed-line'));
  } finally {
    follower.kill();
  }
  assert.equal((await b.apiclient('logs', 'nosuch')).code, 3, 'NOT_FOUND');
});
