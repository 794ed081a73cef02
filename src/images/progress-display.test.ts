import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyProgress, emptyProgress, formatBytes, logLines, ProgressDisplay, renderLive, type ProgressState } from './progress-display.js';
import type { ProgressEvent } from './progress-events.js';

const LAYER = 'application/vnd.oci.image.layer.v1.tar+gzip';
const A = 'sha256:' + 'a'.repeat(64);
const B = 'sha256:' + 'b'.repeat(64);

function run(events: ProgressEvent[]): ProgressState {
  return events.reduce(applyProgress, emptyProgress());
}

test('formatBytes() uses binary units with one decimal', () => {
  assert.equal(formatBytes(0), '0 B');
  assert.equal(formatBytes(1023), '1023 B');
  assert.equal(formatBytes(1536), '1.5 KiB');
  assert.equal(formatBytes(40 * 1024 * 1024), '40.0 MiB');
});

test('renderLive() shows blobs in flight with a bar and a totals line', () => {
  const state = run([
    { kind: 'blob', digest: A, bytes: 0, total: 2 << 20, mediaType: LAYER },
    { kind: 'blob', digest: B, bytes: 1 << 20, total: 4 << 20, mediaType: LAYER },
    { kind: 'blob', digest: A, bytes: 2 << 20, total: 2 << 20, mediaType: LAYER },
  ]);
  assert.deepEqual(renderLive(state, { width: 100 }), [
    'bbbbbbbbbbbb  [=====>              ]  1.0 MiB / 4.0 MiB',
    'layers 1/2  3.0 MiB / 6.0 MiB',
  ]);
});

test('renderLive() adds unpacking, the last retry, the end, and fits the width', () => {
  let state = run([
    { kind: 'blob', digest: A, bytes: 10, total: 10, mediaType: '' },
    { kind: 'retry', what: B, attempt: 2, delayMs: 400, reason: 'Cannot reach r.example: ECONNRESET' },
    { kind: 'unpack', done: 1, total: 2 },
  ]);
  assert.deepEqual(renderLive(state, { width: 200 }), [
    'blobs 1/1  10 B / 10 B  unpacked 1/2',
    'retry 2 of bbbbbbbbbbbb in 0.4 s: Cannot reach r.example: ECONNRESET',
  ]);
  assert.ok(renderLive(state, { width: 20 }).every((l) => l.length < 20));
  state = applyProgress(state, { kind: 'done', name: 'r.example/app:v1', digest: A });
  assert.deepEqual(renderLive(state, { width: 200 }), ['blobs 1/1  10 B / 10 B  unpacked 1/2  done r.example/app:v1']);
});

test('renderLive() keeps many blobs to a few rows', () => {
  const events: ProgressEvent[] = Array.from({ length: 9 }, (_, i) => ({ kind: 'blob', digest: `sha256:${String(i).repeat(64)}`, bytes: 1, total: 2, mediaType: LAYER }));
  const lines = renderLive(run(events), { width: 100, maxRows: 3 });
  assert.equal(lines.length, 5);
  assert.equal(lines[3], '… and 6 more');
});

test('logLines() says each blob once when done, each retry, each layer unpacked and the end', () => {
  const events: ProgressEvent[] = [
    { kind: 'blob', digest: A, bytes: 5, total: 10, mediaType: LAYER },
    { kind: 'blob', digest: A, bytes: 10, total: 10, mediaType: LAYER },
    { kind: 'blob', digest: A, bytes: 10, total: 10, mediaType: LAYER },
    { kind: 'retry', what: 'manifest', attempt: 1, delayMs: 1000, reason: 'HTTP 503' },
    { kind: 'unpack', done: 1, total: 1 },
    { kind: 'done', name: 'app', digest: B },
  ];
  const lines: string[] = [];
  let state = emptyProgress();
  for (const e of events) {
    lines.push(...logLines(state, e));
    state = applyProgress(state, e);
  }
  assert.deepEqual(lines, ['aaaaaaaaaaaa done (10 B)', 'retry 1 of manifest in 1.0 s: HTTP 503', 'unpacked layer 1/1', `done: app ${B}`]);
});

test('ProgressDisplay redraws in place on a terminal, at most once per interval for byte counts', () => {
  const writes: string[] = [];
  let now = 0;
  const display = new ProgressDisplay({ write: (t) => writes.push(t), isTTY: true, columns: 80 }, { now: () => now, intervalMs: 100 });
  display.listener({ kind: 'blob', digest: A, bytes: 1, total: 10, mediaType: LAYER });
  display.listener({ kind: 'blob', digest: A, bytes: 2, total: 10, mediaType: LAYER });
  assert.equal(writes.length, 1, 'the second update came too soon');
  now = 150;
  display.listener({ kind: 'blob', digest: A, bytes: 3, total: 10, mediaType: LAYER });
  assert.equal(writes.length, 2);
  assert.ok(writes[1]!.startsWith('\x1b[2F\x1b[J'), 'moves up over the two lines drawn before and clears them');
  display.finish();
  assert.match(writes.at(-1)!, /3 B \/ 10 B/);
});

test('ProgressDisplay writes plain lines when not on a terminal', () => {
  const writes: string[] = [];
  const display = new ProgressDisplay({ write: (t) => writes.push(t) });
  display.listener({ kind: 'blob', digest: A, bytes: 10, total: 10, mediaType: LAYER });
  display.finish();
  assert.deepEqual(writes, ['aaaaaaaaaaaa done (10 B)\n']);
});
