import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat, appendFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { AuditLog } from './audit-log.js';

async function tempFile(t: { after(fn: () => unknown): void }): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'audit-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return path.join(dir, 'audit.log');
}

test('AuditLog appends JSON lines (0600) and reads them back filtered', async (t) => {
  const file = await tempFile(t);
  const log = new AuditLog({ file });
  await log.append({ event: 'exec-start', target: 'admin', command: ['bash'], tty: true, time: '2026-11-25T10:00:00.000Z' });
  await log.append({ event: 'exec-end', target: 'admin', exitCode: 0, durationMs: 5, time: '2026-11-25T10:00:05.000Z' });
  await log.append({ event: 'exec-start', target: 'control', command: ['ls'], time: '2026-11-25T11:00:00.000Z' });
  assert.equal((await stat(file)).mode & 0o777, 0o600);
  assert.equal((await log.read()).length, 3);
  assert.deepEqual((await log.read({ target: 'admin' })).map((r) => r.event), ['exec-start', 'exec-end']);
  assert.deepEqual((await log.read({ since: new Date('2026-11-25T10:30:00Z') })).map((r) => r.target), ['control']);
  assert.deepEqual((await log.read({ limit: 1 })).map((r) => r.target), ['control']);
  await assert.rejects(log.read({ limit: 0 }), /positive integer/);
  // A torn line (crash mid-write) is skipped, not fatal.
  await appendFile(file, '{"time":"2026-11');
  assert.equal((await log.read()).length, 3);
});

test('AuditLog rotates at maxBytes and still reads everything kept, oldest first', async (t) => {
  const file = await tempFile(t);
  const log = new AuditLog({ file, maxBytes: 300, keep: 1 });
  for (let i = 0; i < 12; i++) await log.append({ event: 'exec-start', target: `c${i}` });
  const all = await log.read();
  assert.ok(all.length < 12, 'the oldest were rotated away');
  assert.deepEqual(all.map((r) => r.target), Array.from({ length: all.length }, (_, i) => `c${12 - all.length + i}`));
  assert.ok((await readFile(`${file}.1`, 'utf8')).length > 0);
});
