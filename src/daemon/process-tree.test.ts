import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { killSession, pidNamespaceOf, sessionProcesses } from './process-tree.js';
import { processRunning } from './process-identity.js';

async function until<T>(what: string, fn: () => T | undefined): Promise<T> {
  for (let i = 0; i < 250; i++) {
    const v = fn();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** `sh -c script` as the leader of a new session (setsid(1) execs in place: the child is the leader). */
function sessionOf(script: string): number {
  return spawn('setsid', ['sh', '-c', script], { stdio: 'ignore' }).pid as number;
}

test('killSession() kills the leader, its children, grandchildren and a setsid child of a live parent', async () => {
  const leader = sessionOf('sleep 300 & (sleep 301 & wait) & setsid sleep 302 & wait');
  const members = await until('five processes', () => {
    const m = sessionProcesses(leader, undefined);
    return m.length >= 5 ? m : undefined;
  });
  assert.ok(members.includes(leader));
  const killed = killSession(leader, pidNamespaceOf(process.pid));
  assert.deepEqual([...killed].sort(), [...members].sort());
  await until('every member gone', () => (members.every((pid) => !processRunning(pid)) ? true : undefined));
});

test('killSession() finds a session by its id after its leader exited (orphaned background jobs)', async () => {
  const leader = sessionOf('sleep 303 & sleep 304 & exit 0');
  const orphans = await until('the leader gone and two orphans', () => {
    const m = sessionProcesses(leader, undefined);
    return !processRunning(leader) && m.length === 2 ? m : undefined;
  });
  killSession(leader, pidNamespaceOf(process.pid));
  await until('the orphans gone', () => (orphans.every((pid) => !processRunning(pid)) ? true : undefined));
});

test('killSession() leaves processes of another pid namespace alone', async () => {
  const leader = sessionOf('sleep 305');
  await until('the leader', () => (processRunning(leader) ? true : undefined));
  assert.deepEqual(killSession(leader, 'pid:[0]'), []);
  assert.ok(processRunning(leader));
  killSession(leader, pidNamespaceOf(process.pid));
  await until('the leader gone', () => (processRunning(leader) ? undefined : true));
});
