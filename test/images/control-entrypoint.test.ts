import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { access, copyFile } from 'node:fs/promises';
import { connect } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { EntrypointFixture } from './entrypoint-fixture.js';
import { within } from './entrypoint-run.js';
import { freePort, generateKeyPair, hostKeyFingerprint, ssh, type KeyPair } from '../helpers/ssh-client.js';

// The control image's entrypoint, run for real (see admin-entrypoint.test.ts for how).

let fx: EntrypointFixture;
let good: KeyPair;
let wrong: KeyPair;

before(async () => {
  fx = await EntrypointFixture.create('control', '/usr/sbin/start-control-container');
  good = await generateKeyPair(fx.dir, 'good');
  wrong = await generateKeyPair(fx.dir, 'wrong');
});
after(async () => {
  await fx?.cleanup();
});

const listening = (port: number): RegExp => new RegExp(`Server listening on \\S+ port ${port}\\.`);

/** Whether something accepts TCP connections on 127.0.0.1:PORT. */
function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.on('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
  });
}

test('control: with keys in its user data it runs sshd; the key logs in as berth (in group api); others are refused; the host key survives a restart', async () => {
  const port = await freePort();
  const storage = await fx.storage({ ssh: { 'authorized-keys': [good.publicKey, 'garbage'], port } });
  const first = fx.start(storage);
  await first.waitForOutput(listening(port));
  assert.match(first.output, /Skipping an invalid SSH key in 'ssh\.authorized-keys': garbage/);

  const login = await ssh(port, { user: 'berth', key: good.key, command: 'id -un; id -Gn; command -v enable-admin-container' });
  assert.equal(login.code, 0, login.stderr);
  const [name, groups, helper] = login.stdout.trim().split('\n');
  assert.equal(name, 'berth');
  assert.ok(groups?.split(' ').includes('api'), `groups: ${groups}`);
  assert.equal(helper, '/usr/bin/enable-admin-container');
  const wrongKey = await ssh(port, { user: 'berth', key: wrong.key, command: 'true' });
  assert.match(wrongKey.stderr, /Permission denied \(publickey\)/);
  const password = await ssh(port, {
    user: 'berth',
    command: 'true',
    extra: ['-o', 'PreferredAuthentications=password', '-o', 'PubkeyAuthentication=no'],
  });
  assert.match(password.stderr, /Permission denied \(publickey\)/);

  const fingerprint = await hostKeyFingerprint(port);
  await first.terminate();
  await within(first.exited, 10_000, 'exit of the control entrypoint after SIGTERM');
  await access(path.join(storage, 'etc/ssh/ssh_host_ed25519_key'));

  const second = fx.start(storage);
  await second.waitForOutput(listening(port));
  assert.equal(await hostKeyFingerprint(port), fingerprint);
  await second.terminate();
  await within(second.exited, 10_000, 'exit of the restarted control entrypoint');
});

test('control: without user data, or without a valid key in it, it logs why, runs no sshd, and exits 0 at once on SIGTERM', async () => {
  const port = await freePort();
  const cases: Array<[unknown, RegExp]> = [
    [undefined, /Control host-container user-data is empty: not starting sshd/],
    ['', /Control host-container user-data is empty: not starting sshd/],
    [{ ssh: { port } }, /No valid SSH keys in 'ssh\.authorized-keys' of the control user-data: not starting sshd/],
    [{ ssh: { port, authorized_keys: ['garbage'] } }, /No valid SSH keys in 'ssh\.authorized_keys' of the control user-data/],
  ];
  for (const [userData, message] of cases) {
    await fx.expectIdle(userData, message, async () => assert.equal(await accepts(port), false, 'nothing listens on the port'));
  }
});

test('control: invalid user data stops the entrypoint with a line naming the key', async () => {
  const cases: Array<[unknown, RegExp]> = [
    ['[]', /expected a JSON object/],
    [{ ssh: { port: 0, 'authorized-keys': [good.publicKey] } }, /Invalid user data key 'ssh\.port'/],
    [{ ssh: { 'authorized-keys': [7] } }, /Invalid user data key 'ssh\.authorized-keys': expected a list of strings/],
    [{ user: 'root', ssh: { 'authorized-keys': [good.publicKey] } }, /Invalid user data key 'user': 'root' is a system account/],
  ];
  for (const [userData, message] of cases) await fx.expectFailure(userData, message);
});

test('control: a Node.js executable like the bind-mounted apiclient runs in the image (glibc, libstdc++6, libgcc-s1)', async () => {
  // apiclient is a Node.js single-executable application: the node binary plus a script, with node's
  // dynamic libraries. The node running this test needs the same ones.
  const rootfs = fx.rootfs;
  await copyFile(process.execPath, path.join(rootfs, 'usr/local/bin/node'));
  const { stdout } = await promisify(execFile)('chroot', [rootfs, '/usr/local/bin/node', '-e', 'console.log(process.versions.node)']);
  assert.equal(stdout.trim(), process.versions.node);
});
