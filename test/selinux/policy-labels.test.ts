import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { SELINUX_LABELS } from '../../src/oci/labels.js';
import { repoRoot } from './policy-build.js';
import { compileIntoTemp } from './policy-fixture.js';
import { scanLabels } from './label-scan.js';
import { decideAccess } from './policy-oracle.js';
import { declaredTypes } from './setools.js';

let compiled: Awaited<ReturnType<typeof compileIntoTemp>>;
before(async () => {
  compiled = await compileIntoTemp();
});
after(() => compiled?.remove());

test('every SELinux label string in src/oci names a type the policy declares', async () => {
  const uses = await scanLabels(path.join(repoRoot(), 'src/oci'));
  for (const label of Object.values(SELINUX_LABELS)) {
    assert.ok(uses.some((u) => u.label === label), `the scan missed ${label}`);
  }
  const types = await declaredTypes(compiled.policy);
  const missing = uses.filter((u) => !types.has(u.type)).map((u) => `${u.file}:${u.line} ${u.label}`);
  assert.deepEqual(missing, []);
});

test('every label in src/oci is a valid full context: process labels as subjects, others as objects', async () => {
  const uses = await scanLabels(path.join(repoRoot(), 'src/oci'));
  const probe = 'system_u:object_r:secret_t:s0';
  const probeSubject = 'system_u:system_r:runtime_t:s0';
  const answers = await decideAccess(
    compiled,
    uses.map((u) =>
      u.role === 'system_r'
        ? { scontext: u.label, tcontext: probe, tclass: 'file', perms: ['getattr'] }
        : { scontext: probeSubject, tcontext: u.label, tclass: 'file', perms: ['getattr'] },
    ),
  );
  const invalid = uses.filter((_, i) => answers[i]?.result === 'invalid').map((u) => `${u.file}:${u.line} ${u.label}`);
  assert.deepEqual(invalid, []);
});

test('the host-container labels do what the classes need: control_t and super_t use their mount label', async () => {
  // apiclient exec starts sheltie and apiclient, bind-mounted from the OS (os_t), directly in the
  // container's domain, so they are entry points too.
  const OS_TOOL = 'system_u:object_r:os_t:s0';
  const answers = await decideAccess(compiled, [
    { scontext: SELINUX_LABELS.control, tcontext: SELINUX_LABELS.hostContainerMount, tclass: 'file', perms: ['entrypoint', 'write'] },
    { scontext: SELINUX_LABELS.superpowered, tcontext: SELINUX_LABELS.hostContainerMount, tclass: 'file', perms: ['entrypoint', 'write'] },
    { scontext: 'system_u:system_r:runtime_t:s0', tcontext: SELINUX_LABELS.control, tclass: 'process', perms: ['transition'] },
    { scontext: 'system_u:system_r:runtime_t:s0', tcontext: SELINUX_LABELS.superpowered, tclass: 'process', perms: ['transition'] },
    { scontext: SELINUX_LABELS.control, tcontext: OS_TOOL, tclass: 'file', perms: ['entrypoint'] },
    { scontext: SELINUX_LABELS.superpowered, tcontext: OS_TOOL, tclass: 'file', perms: ['entrypoint'] },
    { scontext: 'system_u:system_r:container_t:s0:c1,c2', tcontext: OS_TOOL, tclass: 'file', perms: ['entrypoint'] },
  ]);
  assert.deepEqual(answers.map((a) => a.result), ['allow', 'allow', 'allow', 'allow', 'allow', 'allow', 'deny']);
});
