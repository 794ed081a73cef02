import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { killProcessTree, processTree } from './process-tree.js';
import { processRunning } from './process-identity.js';

test('killProcessTree() kills a process, its children and grandchildren', async () => {
  const child = spawn('sh', ['-c', 'sleep 300 & (sleep 301 & wait) & wait'], { stdio: 'ignore' });
  const root = child.pid as number;
  let tree: number[] = [];
  for (let i = 0; i < 100 && tree.length < 4; i++) {
    await new Promise((r) => setTimeout(r, 20));
    tree = processTree(root);
  }
  assert.ok(tree.length >= 4, `found ${tree.length} processes`);
  const killed = killProcessTree(root);
  assert.deepEqual([...killed].sort(), [...tree].sort());
  await new Promise((r) => setTimeout(r, 100));
  for (const pid of tree) assert.ok(!processRunning(pid), `pid ${pid} still running`);
});
