import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { POLICY_VERSION, repoRoot } from './policy-build.js';
import { compileIntoTemp } from './policy-fixture.js';
import { policySummary } from './setools.js';

let compiled: Awaited<ReturnType<typeof compileIntoTemp>>;
before(async () => {
  compiled = await compileIntoTemp();
});
after(() => compiled?.remove());

test('secilc builds an MLS policy of version 33 that denies unknown classes and permissions', async () => {
  assert.equal(POLICY_VERSION, 33);
  const summary = await policySummary(compiled.policy);
  assert.match(summary, /Policy Version:\s+33 \(MLS enabled\)/);
  assert.match(summary, /Handle unknown classes:\s+deny/);
  assert.match(summary, /Sensitivities:\s+1\s+Categories:\s+1024/);
});

test('the file_contexts secilc writes labels berth-relevant paths', async () => {
  const contexts = await readFile(compiled.fileContexts, 'utf8');
  assert.match(contexts, /^\/var\/lib\/berth\(\/\.\*\)\?\s+system_u:object_r:private_t:s0$/m);
  assert.match(contexts, /^\/run\/berth\/api\\\.sock\s+-s\s+system_u:object_r:api_socket_t:s0$/m);
});

test('categories.cil declares c0..c1023 and orders them, as scripts/selinux-categories.sh writes it', async () => {
  const text = await readFile(path.join(repoRoot(), 'selinux/categories.cil'), 'utf8');
  const declared = [...text.matchAll(/^\(category (c\d+)\)$/gm)].map((m) => m[1]);
  const expected = Array.from({ length: 1024 }, (_, i) => `c${i}`);
  assert.deepEqual(declared, expected);
  const order = /\(categoryorder \(([^)]*)\)\)/.exec(text)?.[1]?.split(' ');
  assert.deepEqual(order, expected);
});
