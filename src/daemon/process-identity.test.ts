import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { processArgv, processExists, processRunning } from './process-identity.js';

test('processRunning() is true for a live process and false for a zombie', async () => {
  assert.ok(processRunning(process.pid));
  assert.ok((await processArgv(process.pid))?.some((a) => a.endsWith('process-identity.test.js')));
  // A child that exits stays a zombie until we reap it; keep it unreaped by reading /proc before exit fires.
  const child = spawn('sh', ['-c', 'exit 0'], { stdio: 'ignore' });
  const pid = child.pid as number;
  await new Promise((r) => setTimeout(r, 200));
  // Node may already have reaped it; either way it is not running any more.
  assert.ok(!processRunning(pid));
  assert.ok(!processRunning(2 ** 22 + 12345), 'a pid that does not exist');
  assert.equal(processExists(2 ** 22 + 12345), false);
});
