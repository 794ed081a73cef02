import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { BootstrapRuns } from './bootstrap-runs.js';

test('BootstrapRuns records runs for a later berthd; one left unfinished counts as failed', async (t) => {
  const dir = await mkdtemp(path.join(tmpdir(), 'bruns-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const first = await BootstrapRuns.load(path.join(dir, 'ran'));
  await first.record('done', { startedAt: 't0', result: 'ok', exitCode: 0, exitedAt: 't1' });
  await first.record('busy', { startedAt: 't0' });
  assert.equal(first.ended('busy'), undefined, 'still running in this berthd');
  assert.deepEqual(JSON.parse(await readFile(path.join(dir, 'ran', 'done'), 'utf8')), { startedAt: 't0', result: 'ok', exitCode: 0, exitedAt: 't1' });
  await writeFile(path.join(dir, 'ran', 'old'), '2026-01-01T00:00:00.000Z');

  const next = await BootstrapRuns.load(path.join(dir, 'ran'));
  assert.deepEqual(next.ended('done'), { startedAt: 't0', result: 'ok', exitCode: 0, exitedAt: 't1' });
  assert.deepEqual(next.ended('busy'), { startedAt: 't0', result: 'failed', reason: 'berthd stopped while it ran; not run again in this boot' });
  assert.equal(next.ended('old')?.result, 'ok');
  assert.equal(next.ended('never'), undefined);
});
