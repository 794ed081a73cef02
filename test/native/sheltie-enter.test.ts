import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readlinkSync } from 'node:fs';
import { hostname } from 'node:os';
import { startTarget } from './namespace-target.js';
import { runProcess, runSheltie, sheltiePath } from './run-process.js';

const namespaces = ['mnt', 'uts', 'ipc', 'net', 'pid', 'cgroup'] as const;

test('sheltie -t PID runs a command inside the namespaces of PID', async (t) => {
  const target = await startTarget({ hostname: `sheltie-enter-${process.pid}` });
  t.after(() => target.stop());
  const pid = String(target.pid);

  await t.test('the command is in the mount, UTS, IPC, network, PID and cgroup namespaces of PID', async () => {
    for (const ns of namespaces) {
      const expected = readlinkSync(`/proc/${pid}/ns/${ns}`);
      assert.notEqual(expected, readlinkSync(`/proc/self/ns/${ns}`), `the target must have its own ${ns} namespace`);
      const r = await runSheltie(['-t', pid, 'readlink', `/proc/self/ns/${ns}`]);
      assert.equal(r.status, 0, r.stderr);
      assert.equal(r.stdout, `${expected}\n`);
    }
  });

  await t.test('the command sees the hostname of PID', async () => {
    const r = await runSheltie(['-t', pid, 'hostname']);
    assert.equal(r.stdout, `${target.hostname}\n`);
  });

  await t.test('the command is a process of the PID namespace, started in /', async () => {
    // /proc in the target belongs to its PID namespace: $$ is only found there if the shell lives in it.
    const r = await runSheltie(['-t', pid, 'sh', '-c', 'echo $$; cat /proc/$$/comm; pwd']);
    assert.equal(r.status, 0, r.stderr);
    const [shellPid, comm, cwd] = r.stdout.split('\n');
    assert.ok(Number(shellPid) > 1 && Number(shellPid) < 100, `expected a small PID, got ${shellPid}`);
    assert.equal(comm, 'sh');
    assert.equal(cwd, '/');
  });

  await t.test('the exit status of the command is passed through, 128+N when killed by signal N', async () => {
    assert.equal((await runSheltie(['-t', pid, 'sh', '-c', 'exit 7'])).status, 7);
    assert.equal((await runSheltie(['-t', pid, 'sh', '-c', 'kill -TERM $$'])).status, 128 + 15);
    assert.equal((await runSheltie(['-t', pid, '--', 'true'])).status, 0);
  });

  await t.test('SIGTERM, SIGINT and SIGHUP sent to sheltie reach the command', async () => {
    for (const [signal, code] of [['SIGTERM', 5], ['SIGINT', 6], ['SIGHUP', 8]] as const) {
      // The loop gives up on its own (exit 99) so that a signal not passed on fails the test instead of hanging it.
      const script = `trap 'echo got-${signal}; exit ${code}' ${signal.slice(3)}; echo ready; i=0; while [ $i -lt 200 ]; do sleep 0.05; i=$((i+1)); done; exit 99`;
      const child = spawn(sheltiePath, ['-t', pid, 'sh', '-c', script], { stdio: ['ignore', 'pipe', 'inherit'] });
      let stdout = '';
      const status = new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
      child.stdout.setEncoding('utf8').on('data', (d: string) => {
        stdout += d;
        if (stdout === 'ready\n') child.kill(signal);
      });
      assert.equal(await status, code, signal);
      assert.equal(stdout, `ready\ngot-${signal}\n`);
    }
  });

  await t.test('without a command it runs a login shell of the target, reading stdin', async () => {
    const r = await runSheltie(['-t', pid], { input: 'echo hi-from-shell; hostname; exit 3\n' });
    assert.equal(r.status, 3, r.stderr);
    assert.equal(r.stdout, `hi-from-shell\n${target.hostname}\n`);
  });
});

test('sheltie without -t enters the namespaces of PID 1', async () => {
  // PID 1 of a fresh PID namespace is a shell; sheltie runs from a child of it that has its own
  // mount and UTS namespaces, so PID 1's namespaces differ from the caller's.
  const inner =
    'hostname sheltie-inner; "$1" hostname; "$1" readlink /proc/self/ns/mnt; readlink /proc/1/ns/mnt /proc/self/ns/mnt';
  const outer = 'unshare --mount --uts sh -c "$2" inner "$1"; exit $?';
  const r = await runProcess('unshare', ['--pid', '--fork', '--mount-proc', '--kill-child', 'sh', '-c', outer, 'outer', sheltiePath, inner]);
  assert.equal(r.status, 0, r.stderr);
  const [pid1Hostname, enteredMnt, pid1Mnt, callerMnt] = r.stdout.split('\n');
  assert.equal(pid1Hostname, hostname());
  assert.equal(enteredMnt, pid1Mnt);
  assert.notEqual(enteredMnt, callerMnt);
});

test('sheltie without -t on this host enters PID 1, or names what the host forbids', async () => {
  let pid1Mnt: string | undefined;
  try {
    pid1Mnt = readlinkSync('/proc/1/ns/mnt');
  } catch {
    // Some sandboxes hide PID 1 from root; sheltie must then say so instead of running anything.
  }
  const r = await runSheltie(['readlink', '/proc/self/ns/mnt']);
  if (pid1Mnt !== undefined) {
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, `${pid1Mnt}\n`);
  } else {
    assert.equal(r.status, 125);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /^sheltie: cannot open \/proc\/1\/ns\/cgroup: Permission denied\n$/);
  }
});
