import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { isCode } from '../errors/index.js';
import { notifyReady } from './systemd-notify.js';

test('notifyReady() does nothing when systemd did not ask to be notified', async () => {
  let ran = false;
  const told = await notifyReady({ env: {}, run: async () => void (ran = true) });
  assert.equal(told, false);
  assert.equal(ran, false);
});

test('notifyReady() runs systemd-notify with ready, the main pid and a one-line status', async () => {
  const calls: (readonly string[])[] = [];
  const told = await notifyReady({
    env: { NOTIFY_SOCKET: '/run/systemd/notify' },
    pid: 4242,
    status: 'API listening\non /run/berth/api.sock',
    run: async (args) => void calls.push(args),
  });
  assert.equal(told, true);
  assert.deepEqual(calls, [['--ready', '--pid=4242', '--status=API listening on /run/berth/api.sock']]);
});

test('notifyReady() reports a failed systemd-notify as UNAVAILABLE', async () => {
  await assert.rejects(
    notifyReady({ env: { NOTIFY_SOCKET: '@x' }, run: () => Promise.reject(new Error('systemd-notify: No such file')) }),
    (err) => isCode(err, 'UNAVAILABLE') && /Cannot tell systemd that berthd is ready: systemd-notify: No such file/.test(String(err)),
  );
});

/** Receives datagrams on a Unix socket the way systemd does (with the sender's credentials). */
const RECEIVER = `
import json, socket, struct, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
s.setsockopt(socket.SOL_SOCKET, socket.SO_PASSCRED, 1)
s.settimeout(10)
print("listening", flush=True)
while True:
    data, anc, _, _ = s.recvmsg(4096, socket.CMSG_SPACE(12))
    pid = [struct.unpack("iII", d[:12])[0] for (_, t, d) in anc if t == socket.SCM_CREDENTIALS]
    print(json.dumps({"message": data.decode(), "pid": pid[0] if pid else None}), flush=True)
`;

function available(program: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${program}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

test('notifyReady() delivers READY=1 to a real notify socket as the daemon', { skip: !available('systemd-notify') || !available('python3') }, async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'berth-notify-'));
  const socket = path.join(dir, 'notify');
  const receiver = spawn('python3', ['-c', RECEIVER, socket], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const lines = createInterface({ input: receiver.stdout })[Symbol.asyncIterator]();
    assert.equal((await lines.next()).value, 'listening');
    assert.ok(existsSync(socket));
    const told = await notifyReady({ env: { ...process.env, NOTIFY_SOCKET: socket }, pid: process.pid, status: 'API listening' });
    assert.equal(told, true);
    const first = JSON.parse(String((await lines.next()).value)) as { message: string; pid: number };
    assert.deepEqual(first.message.split('\n').sort(), ['MAINPID=' + process.pid, 'READY=1', 'STATUS=API listening']);
    // As root systemd-notify sends on berthd's behalf, so even NotifyAccess=main would accept it.
    if (process.getuid?.() === 0) assert.equal(first.pid, process.pid);
  } finally {
    receiver.kill('SIGKILL');
    if (receiver.exitCode === null && receiver.signalCode === null) await once(receiver, 'exit');
    rmSync(dir, { recursive: true, force: true });
  }
});
