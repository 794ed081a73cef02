import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { findLabels, scanLabels } from './label-scan.js';

test('findLabels() finds every quoted system_u label with its line and fields', () => {
  const text = [
    "const a = 'system_u:system_r:control_t:s0-s0:c0.c1023';",
    'const b = "system_u:object_r:secret_t:s0", c = `system_u:system_r:super_t`;',
    "const notALabel = 'user_u:system_r:control_t:s0';",
  ].join('\n');
  const uses = findLabels(text, 'x.ts');
  assert.deepEqual(
    uses.map((u) => [u.line, u.label, u.role, u.type]),
    [
      [1, 'system_u:system_r:control_t:s0-s0:c0.c1023', 'system_r', 'control_t'],
      [2, 'system_u:object_r:secret_t:s0', 'object_r', 'secret_t'],
      [2, 'system_u:system_r:super_t', 'system_r', 'super_t'],
    ],
  );
});

test('scanLabels() reads the .ts files of a directory but not its tests', async (t) => {
  const dir = await mkdtemp(path.join(tmpdir(), 'berth-labels-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  await writeFile(path.join(dir, 'labels.ts'), "export const X = 'system_u:system_r:control_t:s0';\n");
  await writeFile(path.join(dir, 'labels.test.ts'), "const bogus = 'system_u:system_r:nope_t:s0';\n");
  await writeFile(path.join(dir, 'notes.md'), "'system_u:system_r:nope_t:s0'\n");
  const uses = await scanLabels(dir);
  assert.deepEqual(
    uses.map((u) => [path.basename(u.file), u.type]),
    [['labels.ts', 'control_t']],
  );
});
