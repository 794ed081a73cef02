import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import path from 'node:path';
import { startBerthd, until, type BerthdProcess } from '../helpers/berthd-process.js';
import { makeTempRoot } from '../helpers/temp-root.js';
import { freePort, generateKeyPair, hostKeyFingerprint, ssh } from '../helpers/ssh-client.js';
import { REPO } from '../helpers/repo.js';
import type { ContainerStatus } from '../../src/reconciler/status.js';

const root = await makeTempRoot('badmin');
let berthd: BerthdProcess;
after(async () => {
  await berthd?.cleanup();
});

const listening = (p: number) =>
  new Promise<boolean>((resolve) => {
    const s = connect(p, '127.0.0.1');
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
  });

test('the admin image built from Debian runs superpowered on host-containerd: key login only, host key kept across restarts', async () => {
  const good = await generateKeyPair(root, 'id_good');
  const wrong = await generateKeyPair(root, 'id_wrong');
  const port = await freePort();
  const userData = Buffer.from(JSON.stringify({ ssh: { 'authorized-keys': [good.publicKey], port } })).toString('base64');
  berthd = await startBerthd({
    root,
    args: ['--images-dir', path.join(REPO, 'build/images')],
  });
  assert.equal(
    (await berthd.apiclient('set', `host-containers.admin.user-data=${userData}`, 'host-containers.admin.enabled=true')).code,
    0,
  );
  const status = () => berthd.get<ContainerStatus>('/host-containers/admin');
  const first = await until('admin running', async () => ((await status()).state === 'running' ? (await status()).pid : undefined), 120_000);
  await until('sshd listening', () => listening(port), 60_000);

  const ok = await ssh(port, { user: 'berth', key: good.key, command: 'id -un; sudo -n id -u' });
  assert.equal(ok.code, 0, ok.stderr);
  assert.equal(ok.stdout, 'berth\n0\n', 'logged in as berth, passwordless sudo to root');
  const refused = await ssh(port, { user: 'berth', key: wrong.key, command: 'true' });
  assert.equal(refused.code, 255);
  assert.match(refused.stderr, /Permission denied \(publickey\)/);
  const password = await ssh(port, { user: 'berth', command: 'true', extra: ['-o', 'PreferredAuthentications=password,keyboard-interactive', '-o', 'PubkeyAuthentication=no'] });
  assert.equal(password.code, 255);
  assert.match(password.stderr, /Permission denied \(publickey\)/, 'passwords are not even offered');
  const root_ = await ssh(port, { user: 'root', key: good.key, command: 'true' });
  assert.equal(root_.code, 255, 'no root login');

  const hostKey = await hostKeyFingerprint(port);
  // The container's process dies; berth restarts the container, whose host keys live in its storage.
  process.kill(first, 'SIGKILL');
  await until('admin restarted', async () => {
    const s = await status();
    return s.state === 'running' && s.pid !== first ? s.pid : undefined;
  }, 60_000);
  await until('sshd back', () => listening(port), 60_000);
  assert.equal(await hostKeyFingerprint(port), hostKey, 'the same host key after the restart');
  assert.equal((await ssh(port, { user: 'berth', key: good.key, command: 'true' })).code, 0);
});
