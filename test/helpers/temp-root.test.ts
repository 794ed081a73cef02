import { test } from 'node:test';
import assert from 'node:assert/strict';
import { berthPaths } from '../../src/daemon/paths.js';
import { makeTempRoot, removeTempRoot, testRootsParent } from './temp-root.js';

test('makeTempRoot() makes the root under the parent of test roots', async () => {
  const root = await makeTempRoot('tr');
  try {
    assert.ok(root.startsWith(`${testRootsParent()}/tr-`), root);
  } finally {
    await removeTempRoot(root);
  }
});

test("makeTempRoot() leaves room for berth's longest Unix socket path (108 bytes with the NUL)", async () => {
  // As long as the longest root a test runs berthd in ('bglass-' and mkdtemp's six characters).
  const root = `${testRootsParent()}/bglass-XXXXXX`;
  const p = berthPaths(root);
  const sockets = [p.apiSocket, `${p.hostContainerd.socket}.ttrpc`, `${p.orchestratorContainerd.socket}.ttrpc`];
  const longest = Math.max(...sockets.map((s) => Buffer.byteLength(s)));
  assert.ok(longest < 108, `${longest} bytes`);
});
