import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { PolicyRejected, repoRoot } from './policy-build.js';
import { compileIntoTemp } from './policy-fixture.js';

const FIXTURES = path.join(repoRoot(), 'test/selinux/fixtures');

test('there is a deliberately broken fixture for every promise (1-8)', async () => {
  const promised = new Set<string>();
  for (const name of await readdir(FIXTURES)) {
    const m = /Breaks promise (\d)/.exec(await readFile(path.join(FIXTURES, name), 'utf8'));
    if (m?.[1]) promised.add(m[1]);
  }
  assert.deepEqual([...promised].sort(), ['1', '2', '3', '4', '5', '6', '7', '8']);
});

test('secilc refuses the policy with each broken fixture, naming the promise and the rule', async (t) => {
  const names = (await readdir(FIXTURES)).filter((n) => n.endsWith('.cil')).sort();
  assert.ok(names.length >= 8);
  for (const name of names) {
    await t.test(name, async () => {
      const fixture = path.join(FIXTURES, name);
      const err = await compileIntoTemp({ extraFiles: [fixture] }).then(
        (c) => c.remove().then(() => undefined),
        (e: unknown) => e,
      );
      assert.ok(err instanceof PolicyRejected, `the policy compiled with ${name}`);
      assert.match(err.output, /neverallow check failed at .*promises\.cil:\d+/);
      assert.ok(err.output.includes(fixture), `secilc names the offending rule's file:\n${err.output}`);
    });
  }
});
