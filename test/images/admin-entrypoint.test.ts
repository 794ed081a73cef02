import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { access, readFile } from 'node:fs/promises';
import path from 'node:path';
import { EntrypointFixture } from './entrypoint-fixture.js';
import { within } from './entrypoint-run.js';
import { fingerprintOf, freePort, generateKeyPair, hostKeyFingerprint, signUserKey, ssh, type KeyPair } from '../helpers/ssh-client.js';

// The admin image's entrypoint, run for real: unpacked with umoci, PID 1 of its own PID namespace,
// chrooted into an overlay of the image, its storage bind-mounted where berth mounts it. Its sshd
// listens on the host's network, as the superpowered admin container's does.

let fx: EntrypointFixture;
let good: KeyPair;
let wrong: KeyPair;
let ca: KeyPair;

before(async () => {
  fx = await EntrypointFixture.create('admin', '/usr/sbin/start-admin-container');
  good = await generateKeyPair(fx.dir, 'good');
  wrong = await generateKeyPair(fx.dir, 'wrong');
  ca = await generateKeyPair(fx.dir, 'ca');
});
after(async () => {
  await fx?.cleanup();
});

const listening = (port: number): RegExp => new RegExp(`Server listening on \\S+ port ${port}\\.`);
const refused = /Permission denied \(publickey\)/;

test('admin: the user-data key logs in as berth with passwordless sudo; a wrong key and passwords are refused; the host key survives a restart', async () => {
  const port = await freePort();
  const storage = await fx.storage({ ssh: { 'authorized-keys': [good.publicKey, 'ssh-ed25519 not-a-key', 'garbage'], port } });

  const first = fx.start(storage);
  await first.waitForOutput(listening(port));
  assert.match(first.output, /Skipping an invalid SSH key in 'ssh\.authorized-keys': ssh-ed25519 not-a-key/);
  assert.match(first.output, /Skipping an invalid SSH key in 'ssh\.authorized-keys': garbage/);
  assert.doesNotMatch(first.output, /No SSH authentication methods/);

  const login = await ssh(port, { user: 'berth', key: good.key, command: 'id -un; id -Gn; sudo -n id -u; ps -o comm= -p 1' });
  assert.equal(login.code, 0, login.stderr);
  const [name, groups, sudoUid, init] = login.stdout.trim().split('\n');
  assert.equal(name, 'berth');
  assert.deepEqual(groups?.split(' ').filter((g) => g === 'users' || g === 'api').sort(), ['api', 'users']);
  assert.equal(sudoUid, '0');
  assert.equal(init, 'sshd', 'sshd is the main process (PID 1 of the container)');

  const wrongKey = await ssh(port, { user: 'berth', key: wrong.key, command: 'true' });
  assert.equal(wrongKey.code, 255);
  assert.match(wrongKey.stderr, refused);
  const password = await ssh(port, {
    user: 'berth',
    command: 'true',
    extra: ['-o', 'PreferredAuthentications=password', '-o', 'PubkeyAuthentication=no'],
  });
  assert.equal(password.code, 255);
  assert.match(password.stderr, refused, 'the server offers public keys only, no password method');
  const root = await ssh(port, { user: 'root', key: good.key, command: 'true' });
  assert.equal(root.code, 255);

  const keyDir = path.join(storage, 'etc/ssh');
  for (const type of ['ed25519', 'ecdsa', 'rsa']) await access(path.join(keyDir, `ssh_host_${type}_key`));
  const fingerprint = await hostKeyFingerprint(port);
  assert.equal(fingerprint, fingerprintOf(await readFile(path.join(keyDir, 'ssh_host_ed25519_key.pub'), 'utf8')));
  const rsaFingerprint = await hostKeyFingerprint(port, 'rsa');

  await first.terminate();
  await within(first.exited, 10_000, 'exit of the admin entrypoint after SIGTERM');
  assert.match(first.output, /Received signal 15; terminating/);

  const second = fx.start(storage);
  await second.waitForOutput(listening(port));
  assert.doesNotMatch(second.output, /Generated the SSH/);
  assert.equal(await hostKeyFingerprint(port), fingerprint);
  assert.equal(await hostKeyFingerprint(port, 'rsa'), rsaFingerprint);
  const again = await ssh(port, { user: 'berth', key: good.key, command: 'true' });
  assert.equal(again.code, 0, again.stderr);
  await second.terminate();
  await within(second.exited, 10_000, 'exit of the restarted admin entrypoint');
});

test('admin: user, password-hash, trusted user CA keys, algorithm lists and port come from the user data', async () => {
  const port = await freePort();
  const hash = '$6$berthsalt$0123456789abcdefABCDEF./0123456789abcdefABCDEF';
  const storage = await fx.storage({
    user: 'ops',
    'password-hash': hash,
    ssh: {
      'trusted-user-ca-keys': [ca.publicKey],
      ciphers: ['aes256-gcm@openssh.com'],
      'key-exchange-algorithms': ['curve25519-sha256'],
      macs: ['hmac-sha2-256-etm@openssh.com'],
      port,
    },
  });
  const certificate = await signUserKey(ca, wrong, 'ops');

  const run = fx.start(storage);
  await run.waitForOutput(listening(port));
  assert.doesNotMatch(run.output, /No SSH authentication methods/);

  const login = await ssh(port, { user: 'ops', key: wrong.key, certificate, command: 'id -un; sudo -n true && echo sudo-ok' });
  assert.equal(login.code, 0, login.stderr);
  assert.equal(login.stdout, 'ops\nsudo-ok\n');
  const plainKey = await ssh(port, { user: 'ops', key: wrong.key, command: 'true', extra: ['-o', 'CertificateFile=none'] });
  assert.equal(plainKey.code, 255, 'the key alone, without the CA-signed certificate, is not enough');

  const otherCipher = await ssh(port, { user: 'ops', key: wrong.key, certificate, command: 'true', extra: ['-o', 'Ciphers=aes128-ctr'] });
  assert.equal(otherCipher.code, 255);
  assert.match(otherCipher.stderr, /no matching cipher found/);
  const password = await ssh(port, {
    user: 'ops',
    command: 'true',
    extra: ['-o', 'PreferredAuthentications=password', '-o', 'PubkeyAuthentication=no'],
  });
  assert.match(password.stderr, refused, 'a password hash is for the console, never for SSH');

  const shadow = await readFile(path.join(run.upper, 'etc/shadow'), 'utf8');
  assert.equal(shadow.split('\n').find((l) => l.startsWith('ops:'))?.split(':')[1], hash);
  await run.terminate();
  await within(run.exited, 10_000, 'exit of the admin entrypoint');
});

test('admin: with no authentication method in the user data it says so, and sshd refuses every login', async () => {
  const port = await freePort();
  const run = fx.start(await fx.storage({ user: 'ops', ssh: { port, 'authorized-keys': ['not a key'] } }));
  await run.waitForOutput(listening(port));
  assert.match(run.output, /No SSH authentication methods available in admin container user-data/);
  const login = await ssh(port, { user: 'ops', key: good.key, command: 'true' });
  assert.equal(login.code, 255);
  assert.match(login.stderr, refused);
  await run.terminate();
  await within(run.exited, 10_000, 'exit of the admin entrypoint');
});

test('admin: without user data (missing or empty) it logs a line, idles, and exits 0 at once on SIGTERM', async () => {
  for (const userData of [undefined, '', '  \n']) {
    await fx.expectIdle(userData, /Admin host-container user-data is empty, going to sleep forever/);
  }
});

test('admin: invalid user data stops the entrypoint with a line naming the key, before it changes anything', async () => {
  const cases: Array<[unknown, RegExp]> = [
    ['{"user": ', /Invalid user data in \/\.bottlerocket\/host-containers\/current\/user-data: expected a JSON object/],
    [['berth'], /expected a JSON object/],
    [{ user: 'Bad Name' }, /Invalid user data key 'user': 'Bad Name' does not match/],
    [{ user: 'daemon' }, /Invalid user data key 'user': 'daemon' is a system account/],
    [{ user: 7 }, /Invalid user data key 'user': expected a string/],
    [{ 'password-hash': 'a:b' }, /Invalid user data key 'password-hash': it cannot contain ':'/],
    [{ ssh: 'keys' }, /Invalid user data key 'ssh': expected an object/],
    [{ ssh: { port: 70000 } }, /Invalid user data key 'ssh\.port': expected a port number from 1 to 65535, got 70000/],
    [{ ssh: { port: '22' } }, /Invalid user data key 'ssh\.port'.*got "22"/],
    [{ ssh: { 'authorized-keys': good.publicKey } }, /Invalid user data key 'ssh\.authorized-keys': expected a list of strings/],
    [{ ssh: { ciphers: ['aes128-ctr', 'x y'] } }, /Invalid user data key 'ssh\.ciphers': 'aes128-ctr,x y' is not a list of algorithm names/],
    [{ ssh: { 'authorized-keys-command': '/bin/x\nPermitRootLogin yes' } }, /Invalid user data key 'ssh\.authorized-keys-command': expected a string without control characters/],
  ];
  for (const [userData, message] of cases) {
    const run = await fx.expectFailure(userData, message);
    await assert.rejects(access(path.join(run.upper, 'etc/sudoers.d')), 'no sudoers file was written');
  }
});
