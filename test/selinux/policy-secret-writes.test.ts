import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { repoRoot } from './policy-build.js';
import { compileIntoTemp } from './policy-fixture.js';
import { expandTypes, findMlsConstraints, lookupFileContexts } from './policy-oracle.js';
import { FILE_CLASSES } from './policy-fixture.js';
import { HOST_SECRET, wrongSecretWriteDecisions } from './secret-write-cases.js';

// Promise 3d (selinux/secret-writes.cil): control_t cannot write host secrets outside its storage
// (secret_t at s0:c1023); super_t and the host daemons can. It is an MLS constraint, which
// secilc's neverallow check cannot see, so these tests are its only static guard.

let compiled: Awaited<ReturnType<typeof compileIntoTemp>>;
before(async () => {
  compiled = await compileIntoTemp();
});
after(() => compiled?.remove());

const WRITES = ['append', 'create', 'link', 'mounton', 'rename', 'setattr', 'unlink', 'write'];
const DIR_WRITES = [...WRITES, 'add_name', 'remove_name', 'reparent', 'rmdir'].sort();
const EXPRESSION = 'l1 dom l2 or ( t1 == secret_writer_s )';

test('promise 3d: the policy decides every host-secret write as an enforcing kernel must (audit2why)', async () => {
  assert.deepEqual(await wrongSecretWriteDecisions(compiled), []);
});

test('promise 3d: every file-like class carries the write constraint, and only the trusted subjects are exempt', async () => {
  const answers = await findMlsConstraints(compiled, FILE_CLASSES.map((c) => ({ classes: [c] })));
  const found = FILE_CLASSES.map((cls, i) => {
    const ours = (answers[i] ?? []).find((c) => c.expression === EXPRESSION);
    return [cls, ours?.perms ?? null];
  });
  assert.deepEqual(
    found,
    FILE_CLASSES.map((cls) => [cls, cls === 'dir' ? DIR_WRITES : WRITES]),
  );
  const [writers = [], domains = []] = await expandTypes(compiled, ['secret_writer_s', 'domain_s']);
  assert.deepEqual(writers, ['api_t', 'init_t', 'kernel_t', 'runtime_t', 'super_t']);
  assert.deepEqual(domains.filter((d) => !writers.includes(d)), ['container_t', 'control_t']);
});

test('promise 3d: setfiles labels the host secrets the policy names at s0:c1023', async () => {
  const [context] = await lookupFileContexts(compiled, [{ path: '/var/lib/systemd/random-seed', kind: 'file' }]);
  assert.equal(context, HOST_SECRET);
});

test('promise 3d: a broken rule that secilc accepts (control_t made a secret writer) fails the checks', async (t) => {
  const fixture = path.join(repoRoot(), 'test/selinux/constraint-fixtures/break-control-writes-host-secrets.cil');
  const broken = await compileIntoTemp({ extraFiles: [fixture] });
  t.after(() => broken.remove());
  const wrong = await wrongSecretWriteDecisions(broken);
  assert.ok(wrong.length >= 6, wrong.join('\n'));
  assert.ok(wrong.every((w) => w.startsWith('control_t cannot ') && w.endsWith('expected constraint, got allow')), wrong.join('\n'));
  const [writers = []] = await expandTypes(broken, ['secret_writer_s']);
  assert.ok(writers.includes('control_t'));
});
