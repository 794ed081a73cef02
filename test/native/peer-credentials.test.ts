import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PeerCredentials } from '../../src/daemon/peer-credentials.js';
import { NATIVE_DIR } from '../helpers/repo.js';

/** A Unix socket server and `n` connections to it from this process; resolves with the server's ends. */
async function connections(t: { after(fn: () => Promise<void>): void }, n: number): Promise<net.Socket[]> {
  const dir = await mkdtemp(path.join(tmpdir(), 'berth-peercred-'));
  const socketPath = path.join(dir, 's.sock');
  const accepted: net.Socket[] = [];
  const server = net.createServer((s) => accepted.push(s));
  await new Promise<void>((r) => server.listen(socketPath, r));
  const clients = await Promise.all(Array.from({ length: n }, () => new Promise<net.Socket>((r) => { const c = net.connect(socketPath, () => r(c)); })));
  while (accepted.length < n) await new Promise((r) => setTimeout(r, 5));
  t.after(async () => {
    for (const s of [...clients, ...accepted]) s.destroy();
    await new Promise((r) => server.close(r));
    await rm(dir, { recursive: true, force: true });
  });
  return accepted;
}

test('PeerCredentials.of() reads the peer of each connection through one long-lived helper, in order', async (t) => {
  const peers = new PeerCredentials(path.join(NATIVE_DIR, 'berth-peercred'));
  t.after(() => peers.close());
  const sockets = await connections(t, 20);
  const actors = await Promise.all(sockets.map((s) => peers.of(s)));
  for (const a of actors) assert.deepEqual({ pid: a.pid, uid: a.uid, gid: a.gid }, { pid: process.pid, uid: process.getuid!(), gid: process.getgid!() });
});

test('PeerCredentials.of() starts the helper again after it died, and answers {} for what it cannot read', async (t) => {
  const peers = new PeerCredentials(path.join(NATIVE_DIR, 'berth-peercred'));
  t.after(() => peers.close());
  const [socket] = await connections(t, 1);
  assert.equal((await peers.of(socket!)).pid, process.pid);
  peers.close();
  assert.equal((await peers.of(socket!)).pid, process.pid, 'a new helper answers');
  const missing = new PeerCredentials('/nonexistent/berth-peercred');
  assert.deepEqual(await missing.of(socket!), {});
  missing.close();
});
