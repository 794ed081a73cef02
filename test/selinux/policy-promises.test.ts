import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cp, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { repoRoot } from './policy-build.js';
import { compileIntoTemp } from './policy-fixture.js';
import { checkPromise, PROMISES, ruleSources } from './promise-queries.js';
import { findRules } from './policy-oracle.js';

let compiled: Awaited<ReturnType<typeof compileIntoTemp>>;
before(async () => {
  compiled = await compileIntoTemp();
});
after(() => compiled?.remove());

for (const promise of PROMISES) {
  test(`promise ${promise.name}`, async () => {
    const { violations, missing } = await checkPromise(compiled.policy, promise);
    assert.deepEqual(violations, [], 'allow rules that break the promise');
    assert.deepEqual(missing, [], 'permissions the promise leaves in place but nothing grants');
  });
}

test('promise 5: every rule that lets a subject enter a container domain has runtime_t as its source', async () => {
  const domains = ['container_t', 'control_t', 'super_t'];
  const answers = await findRules(
    compiled,
    domains.map((d) => ({ target: d, classes: ['process'], perms: ['transition', 'dyntransition'] })),
  );
  domains.forEach((domain, i) => {
    const rules = answers[i] ?? [];
    assert.deepEqual(ruleSources(rules), ['runtime_t'], `rules entering ${domain}: ${rules.join(' | ')}`);
  });
});

test('promise 4: only the boot subjects (kernel_t, init_t) may give a file an OS label', async () => {
  const types = ['os_t', 'init_exec_t', 'runtime_exec_t', 'api_exec_t'];
  const answers = await findRules(
    compiled,
    types.map((t) => ({ target: t, classes: ['file', 'dir', 'lnk_file'], perms: ['relabelto'] })),
  );
  for (const rules of answers) assert.deepEqual(ruleSources(rules), ['boot_s'], rules.join(' | '));
});

test('promise 7: only the boot subjects load a policy or change enforcement', async () => {
  const [rules = []] = await findRules(compiled, [
    { classes: ['security'], perms: ['load_policy', 'setenforce', 'setbool'] },
  ]);
  assert.deepEqual(ruleSources(rules), ['boot_s']);
});

const TRANSITIONS: { source: string; target: string; cls: string; name?: string; result: string }[] = [
  { source: 'kernel_t', target: 'init_exec_t', cls: 'process', result: 'init_t' },
  { source: 'init_t', target: 'runtime_exec_t', cls: 'process', result: 'runtime_t' },
  { source: 'runtime_t', target: 'cache_t', cls: 'process', result: 'container_t' },
  { source: 'runtime_t', target: 'local_t', cls: 'dir', name: 'host-containerd', result: 'cache_t' },
  { source: 'runtime_t', target: 'local_t', cls: 'dir', name: 'containerd', result: 'cache_t' },
  { source: 'runtime_t', target: 'local_t', cls: 'dir', name: 'berth', result: 'private_t' },
  { source: 'runtime_t', target: 'private_t', cls: 'dir', name: 'host-containers', result: 'secret_t' },
  { source: 'runtime_t', target: 'private_t', cls: 'dir', name: 'bootstrap-containers', result: 'secret_t' },
  { source: 'runtime_t', target: 'run_t', cls: 'sock_file', name: 'api.sock', result: 'api_socket_t' },
];

test('type transitions label what the runtime creates and start init, the runtime and unlabelled containers', async () => {
  const answers = await findRules(
    compiled,
    TRANSITIONS.map((t) => ({
      ruletype: 'type_transition' as const,
      source: t.source,
      target: t.target,
      classes: [t.cls],
      defaultType: t.result,
    })),
  );
  const missing = TRANSITIONS.flatMap((t, i) => {
    const wanted = `type_transition ${t.source} ${t.target}:${t.cls} ${t.result}${t.name ? ` ${t.name}` : ''};`;
    return (answers[i] ?? []).includes(wanted) ? [] : [wanted];
  });
  assert.deepEqual(missing, []);
});

test('the queries catch a broken promise on their own, even with the neverallow rules gone', async (t) => {
  // Without promises.cil secilc checks nothing, so a bad rule compiles; the query must see it.
  const dir = path.join(compiled.dir, 'no-promises');
  t.after(() => rm(dir, { recursive: true, force: true }));
  await cp(path.join(repoRoot(), 'selinux'), dir, { recursive: true });
  await rm(path.join(dir, 'promises.cil'));
  await writeFile(path.join(dir, 'zz-broken.cil'), '(allow container_t secret_t (file (read)))\n');
  const broken = await compileIntoTemp({ policyDir: dir });
  t.after(() => broken.remove());
  const promise = PROMISES[0];
  assert.ok(promise);
  const { violations } = await checkPromise(broken.policy, promise);
  assert.deepEqual(violations, ['allow container_t secret_t:file read;']);
});
