import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { compileIntoTemp } from './policy-fixture.js';
import { decideAccess, type AccessQuestion, type AccessResult } from './policy-oracle.js';

let compiled: Awaited<ReturnType<typeof compileIntoTemp>>;
before(async () => {
  compiled = await compileIntoTemp();
});
after(() => compiled?.remove());

const CONTAINER_12 = 'system_u:system_r:container_t:s0:c1,c2';
const CONTAINER_34 = 'system_u:system_r:container_t:s0:c3,c4';
const CONTROL = 'system_u:system_r:control_t:s0-s0:c0.c1023';
const SUPER = 'system_u:system_r:super_t:s0-s0:c0.c1023';
const RUNTIME = 'system_u:system_r:runtime_t:s0';
const file = (type: string, level = 's0') => `system_u:object_r:${type}:${level}`;

// Decisions an enforcing kernel would make, type rules and MCS constraints together.
const CASES: { why: string; q: AccessQuestion; expect: AccessResult }[] = [
  { why: 'a container reads its own files', q: { scontext: CONTAINER_12, tcontext: file('data_t', 's0:c1,c2'), tclass: 'file', perms: ['read', 'write'] }, expect: 'allow' },
  { why: 'a container reads files at plain s0', q: { scontext: CONTAINER_12, tcontext: file('data_t'), tclass: 'file', perms: ['read'] }, expect: 'allow' },
  { why: "a container cannot read another container's files", q: { scontext: CONTAINER_12, tcontext: file('data_t', 's0:c3,c4'), tclass: 'file', perms: ['read'] }, expect: 'constraint' },
  { why: 'a container cannot read files of a category it lacks in part', q: { scontext: CONTAINER_12, tcontext: file('data_t', 's0:c1,c3'), tclass: 'file', perms: ['read'] }, expect: 'constraint' },
  { why: 'a container cannot signal another container', q: { scontext: CONTAINER_12, tcontext: CONTAINER_34, tclass: 'process', perms: ['signal'] }, expect: 'constraint' },
  { why: 'a container signals its own processes', q: { scontext: CONTAINER_12, tcontext: CONTAINER_12, tclass: 'process', perms: ['signal'] }, expect: 'allow' },
  { why: 'the runtime starts a container at any categories', q: { scontext: RUNTIME, tcontext: CONTAINER_34, tclass: 'process', perms: ['transition'] }, expect: 'allow' },
  { why: 'host containers dominate every category', q: { scontext: SUPER, tcontext: file('data_t', 's0:c3,c4'), tclass: 'file', perms: ['read', 'write'] }, expect: 'allow' },
  { why: 'control_t writes its storage', q: { scontext: CONTROL, tcontext: file('secret_t'), tclass: 'file', perms: ['write'] }, expect: 'allow' },
  { why: 'control_t cannot read the datastore', q: { scontext: CONTROL, tcontext: file('private_t'), tclass: 'file', perms: ['read'] }, expect: 'deny' },
  { why: 'control_t cannot write /etc', q: { scontext: CONTROL, tcontext: file('etc_t'), tclass: 'file', perms: ['write'] }, expect: 'deny' },
  { why: 'container_t cannot read host-container storage', q: { scontext: CONTAINER_12, tcontext: file('secret_t'), tclass: 'file', perms: ['read'] }, expect: 'deny' },
  { why: 'container_t cannot connect to the API socket', q: { scontext: CONTAINER_12, tcontext: file('api_socket_t'), tclass: 'sock_file', perms: ['write'] }, expect: 'deny' },
  { why: 'a container uses the device nodes of its unlabelled /dev (run_t)', q: { scontext: CONTAINER_12, tcontext: file('run_t'), tclass: 'chr_file', perms: ['open', 'read', 'write'] }, expect: 'allow' },
  { why: 'a container cannot write plain files in host /run (run_t)', q: { scontext: CONTAINER_12, tcontext: file('run_t'), tclass: 'file', perms: ['write'] }, expect: 'deny' },
  { why: 'super_t cannot write the OS', q: { scontext: SUPER, tcontext: file('os_t'), tclass: 'file', perms: ['write'] }, expect: 'deny' },
];

test('the compiled policy decides like an enforcing kernel, MCS constraints included', async () => {
  const answers = await decideAccess(compiled, CASES.map((c) => c.q));
  const wrong = CASES.flatMap((c, i) =>
    answers[i]?.result === c.expect ? [] : [`${c.why}: expected ${c.expect}, got ${answers[i]?.result} ${answers[i]?.detail ?? ''}`],
  );
  assert.deepEqual(wrong, []);
});

test('an unknown type or permission is reported as invalid, not allowed', async () => {
  const answers = await decideAccess(compiled, [
    { scontext: CONTROL, tcontext: file('nonexistent_t'), tclass: 'file', perms: ['read'] },
    { scontext: CONTROL, tcontext: file('secret_t'), tclass: 'file', perms: ['fly'] },
  ]);
  assert.deepEqual(answers.map((a) => a.result), ['invalid', 'invalid']);
});
