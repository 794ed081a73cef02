import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmod, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startTarget } from './namespace-target.js';
import { runProcess, runSheltie, sheltiePath } from './run-process.js';

async function exists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    () => false,
  );
}

test('sheltie refuses bad input and failed steps with a message and a non-zero status', async (t) => {
  const target = await startTarget({ hostname: `sheltie-fail-${process.pid}` });
  t.after(() => target.stop());
  const dir = await mkdtemp(path.join(tmpdir(), 'sheltie-fail-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  // World-writable, so that a command run as nobody could have left its marker here.
  await chmod(dir, 0o777);
  const pid = String(target.pid);
  /** A command that leaves `marker` behind if it runs at all. */
  const touch = (marker: string): string[] => ['sh', '-c', 'echo ran > "$0"', marker];

  await t.test('as a non-root user it prints the root message, exits 1 and runs nothing', async () => {
    const marker = path.join(dir, 'non-root');
    const r = await runProcess('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', sheltiePath, '-t', pid, ...touch(marker)]);
    assert.equal(r.status, 1);
    assert.equal(r.stderr, "sheltie must be run as root, you can use 'sudo sheltie' in the admin container\n");
    assert.equal(await exists(marker), false);
  });

  await t.test('without CAP_SYS_ADMIN it names the namespace it could not enter and runs nothing', async () => {
    const marker = path.join(dir, 'no-sys-admin');
    const r = await runProcess('setpriv', ['--inh-caps=-all', '--bounding-set=-sys_admin', sheltiePath, '-t', pid, ...touch(marker)]);
    assert.equal(r.status, 125);
    assert.match(r.stderr, new RegExp(`^sheltie: cannot enter the cgroup namespace of PID ${pid}: Operation not permitted`));
    assert.equal(r.stdout, '');
    assert.equal(await exists(marker), false);
    // The same command with the capability does leave its marker, so the check above can fail.
    const control = await runSheltie(['-t', pid, ...touch(marker)]);
    assert.equal(control.status, 0, control.stderr);
    assert.equal(await exists(marker), true);
  });

  await t.test('a PID with no process names the namespace file it could not open', async () => {
    const r = await runSheltie(['-t', '999999999', 'true']);
    assert.equal(r.status, 125);
    assert.match(r.stderr, /^sheltie: cannot open \/proc\/999999999\/ns\/\w+: No such file or directory\n$/);
  });

  await t.test('a PID that is not a positive number is a usage error', async () => {
    for (const bad of ['abc', '0', '-5', '12x', ' 12', '99999999999']) {
      const r = await runSheltie(['-t', bad, 'true']);
      assert.equal(r.status, 125, `-t '${bad}'`);
      assert.equal(r.stderr, `sheltie: invalid PID '${bad}': expected a positive number (see 'sheltie --help')\n`);
    }
  });

  await t.test('a missing -t value and an unknown option are usage errors', async () => {
    const missing = await runSheltie(['-t']);
    assert.equal(missing.status, 125);
    assert.equal(missing.stderr, "sheltie: option '-t' needs a PID (see 'sheltie --help')\n");
    for (const [option, shown] of [['-x', '-x'], ['--bogus', '--bogus']] as const) {
      const r = await runSheltie([option, 'true']);
      assert.equal(r.status, 125);
      assert.equal(r.stderr, `sheltie: unknown option '${shown}' (see 'sheltie --help')\n`);
    }
  });

  await t.test('a command that does not exist in the target exits 127', async () => {
    const r = await runSheltie(['-t', pid, 'no-such-command-sheltie']);
    assert.equal(r.status, 127);
    assert.equal(r.stderr, "sheltie: cannot execute 'no-such-command-sheltie': No such file or directory\n");
  });

  await t.test('a file that is not executable exits 126', async () => {
    const r = await runSheltie(['-t', pid, '/etc/passwd']);
    assert.equal(r.status, 126);
    assert.equal(r.stderr, "sheltie: cannot execute '/etc/passwd': Permission denied\n");
  });
});
