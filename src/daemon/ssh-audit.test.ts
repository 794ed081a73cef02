import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { AuditLog } from '../audit/audit-log.js';
import { silentLogger } from '../lib/logger.js';
import { StatusStore } from '../reconciler/status-store.js';
import type { ContainerState } from '../reconciler/status.js';
import { SshAudit } from './ssh-audit.js';

const login = (user: string) => `Accepted publickey for ${user} from 127.0.0.1 port 51234 ssh2: ED25519 SHA256:AbCdEf0123\n`;

async function eventually<T>(what: string, fn: () => Promise<T | undefined>): Promise<T> {
  for (let i = 0; i < 100; i++) {
    const v = await fn();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.fail(`timed out waiting for ${what}`);
}

test('SshAudit.follow() audits the logins of a container once its status is enabled, and stops when it is disabled', async (t) => {
  const dir = await mkdtemp(path.join(tmpdir(), 'ssh-audit-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const logFile = path.join(dir, 'admin.log');
  const audit = new AuditLog({ file: path.join(dir, 'audit.log') });
  const statuses = new StatusStore();
  const setState = (state: ContainerState) =>
    statuses.set({ name: 'admin', kind: 'host', desired: { enabled: state !== 'disabled', superpowered: true, source: 'a' }, state, restarts: 0, since: '2026-01-01T00:00:00.000Z' });
  const logins = async () => (await audit.read()).filter((r) => r.event === 'ssh-login').map((r) => r.actor?.user);
  // Nothing but the status change may start the follower: no polling timer.
  const intervals = t.mock.method(globalThis, 'setInterval');

  setState('disabled');
  const unfollow = new SshAudit({ audit, logger: silentLogger, logFileOf: (n) => path.join(dir, `${n}.log`) }).follow(statuses);
  t.after(unfollow);
  await appendFile(logFile, login('before'));

  setState('running');
  await appendFile(logFile, login('during'));
  assert.deepEqual(await eventually('the login audited', async () => ((await logins()).length > 0 ? logins() : undefined)), ['during']);

  setState('disabled');
  await appendFile(logFile, login('after'));
  await new Promise((r) => setTimeout(r, 1200)); // over two of the follower's polls of the file
  assert.deepEqual(await logins(), ['during'], 'lines from before it was enabled or after it was disabled are not audited');
  assert.equal(intervals.mock.callCount(), 0);
});
