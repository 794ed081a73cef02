import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { REPO } from '../helpers/repo.js';

/**
 * The layering of docs/architecture.md §2, checked on the sources: which src/ layer may
 * import which. A layer not listed may import anything (the composition root and the CLIs).
 */
const ALLOWED: Record<string, readonly string[]> = {
  errors: [],
  lib: ['errors'],
  model: ['errors', 'lib'],
  oci: ['errors', 'lib', 'model'],
  containerd: ['errors', 'lib'],
  datastore: ['errors', 'lib', 'model'],
  api: ['errors', 'lib', 'model', 'datastore'],
  apiclient: ['errors', 'lib', 'model', 'exec'],
  reconciler: ['errors', 'lib', 'model'],
  audit: ['errors', 'lib'],
  exec: ['errors', 'lib', 'audit'],
  images: ['errors', 'lib', 'model', 'containerd'],
  runtime: ['errors', 'lib', 'model', 'containerd', 'oci', 'images', 'reconciler'],
};

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) return sources(p);
    return p.endsWith('.ts') && !p.endsWith('.test.ts') ? [p] : [];
  });
}

test('src/ layers import only what the layering allows', () => {
  const src = path.join(REPO, 'src');
  const violations: string[] = [];
  for (const file of sources(src)) {
    const layer = path.relative(src, file).split(path.sep)[0] as string;
    const allowed = ALLOWED[layer];
    if (!allowed) continue;
    for (const m of readFileSync(file, 'utf8').matchAll(/^\s*(?:import|export)\s[^'"]*from\s+'(\.[^']+)'/gm)) {
      const target = path.relative(src, path.resolve(path.dirname(file), m[1] as string)).split(path.sep)[0] as string;
      // Data outside src/ (proto/descriptor.json) is not a layer.
      if (target === '..') continue;
      if (target !== layer && !allowed.includes(target)) violations.push(`${path.relative(REPO, file)} imports ${target}`);
    }
  }
  assert.deepEqual(violations, []);
});

test('nothing in src/ imports the daemon, the CLIs or the tests', () => {
  const src = path.join(REPO, 'src');
  const bad = sources(src)
    .filter((f) => !/^(daemon|cli)\//.test(path.relative(src, f)))
    .flatMap((f) =>
      [...readFileSync(f, 'utf8').matchAll(/from\s+'(\.[^']+)'/g)]
        .map((m) => path.relative(REPO, path.resolve(path.dirname(f), m[1] as string)))
        .filter((t) => /^(src\/daemon|src\/cli|test)\//.test(t))
        .map((t) => `${path.relative(REPO, f)} imports ${t}`),
    );
  assert.deepEqual(bad, []);
});
