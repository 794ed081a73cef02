import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startTarget } from './namespace-target.js';
import { runProcess, runSheltie, sheltiePath } from './run-process.js';

test('sheltie falls back to the shell of the caller when the target has none', async (t) => {
  const target = await startTarget({ hostname: `sheltie-noshell-${process.pid}`, hideShells: true });
  t.after(() => target.stop());
  const pid = String(target.pid);

  await t.test('the target really has no shell', async () => {
    const r = await runSheltie(['-t', pid, 'sh', '-c', 'true']);
    assert.equal(r.status, 127);
  });

  await t.test("the caller's shell runs inside the target's namespaces", async () => {
    const input = 'echo hi-from-caller-shell; read h < /proc/sys/kernel/hostname; echo "$h"; [ -e /bin/sh ] || echo no-sh-in-target; exit 4\n';
    const r = await runSheltie(['-t', pid], { input });
    assert.equal(r.status, 4, r.stderr);
    assert.equal(r.stdout, `hi-from-caller-shell\n${target.hostname}\nno-sh-in-target\n`);
  });

  await t.test('with no shell in the caller either it says so and exits 127', async (tt) => {
    // The caller is sheltie alone in a chroot with /proc: it needs no library and finds no shell.
    const root = await mkdtemp(path.join(tmpdir(), 'sheltie-chroot-'));
    tt.after(() => rm(root, { recursive: true, force: true }));
    await mkdir(path.join(root, 'proc'));
    await copyFile(sheltiePath, path.join(root, 'sheltie'));
    const script = 'mount --bind /proc "$1/proc" && exec chroot "$1" /sheltie -t "$2"';
    const r = await runProcess('unshare', ['--mount', 'sh', '-c', script, 'caller', root, pid]);
    assert.equal(r.status, 127);
    assert.equal(r.stderr, 'sheltie: no shell: the target has no /bin/bash or /bin/sh, the caller no /opt/bin/bash, /bin/bash or /bin/sh\n');
  });
});
