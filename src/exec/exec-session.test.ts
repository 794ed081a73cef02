import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { BerthError } from '../errors/index.js';
import { silentLogger } from '../lib/logger.js';
import type { AuditRecord } from '../audit/audit-log.js';
import { ExecSession, type ExecSessionOptions, type SessionProcess } from './exec-session.js';
import { MemoryChannel } from './memory-channel.js';
import { CONTENT_COMPLETE, initializeMessage, type Initialize } from './protocol.js';
import { SessionLimits } from './session-limits.js';

/** A process that echoes nothing on its own: the test drives its output and exit. */
function fakeProcess() {
  const stdin = new PassThrough();
  const output = new PassThrough();
  let exit!: (code: number) => void;
  const exited = new Promise<number>((r) => (exit = r));
  const events: string[] = [];
  let input = '';
  stdin.on('data', (d: Buffer) => (input += d.toString()));
  stdin.on('end', () => events.push(`eof after ${JSON.stringify(input)}`));
  const proc: SessionProcess = {
    pid: 4242,
    stdin,
    output,
    exited,
    closeStdin: async () => {
      stdin.end();
    },
    resize: async () => undefined,
    killAll: () => {
      events.push('killAll');
      exit(137);
    },
    release: async () => {
      events.push('release');
      output.end();
    },
  };
  return { proc, events, exit, output, input: () => input };
}

function sessionWith(overrides: Partial<ExecSessionOptions> & { start: ExecSessionOptions['start'] }) {
  const ch = new MemoryChannel();
  const audit: Array<Omit<AuditRecord, 'time'>> = [];
  const options: ExecSessionOptions = {
    peer: Promise.resolve({ pid: 1, uid: 0, gid: 0 }),
    audit: async (r) => {
      audit.push(r);
    },
    limits: new SessionLimits(),
    logger: silentLogger,
    heartbeatMs: 60_000,
    clientTimeoutMs: 60_000,
    inputHighWater: 1 << 20,
    outputHighWater: 1 << 20,
    ...overrides,
  };
  const session = new ExecSession(ch, options);
  return { ch, audit, session, done: session.run() };
}

const init: Initialize = { command: ['cat'], target: 'control' };

test('ExecSession delivers input and EOF that arrive in the same burst as Initialize, before the process exists', async () => {
  const p = fakeProcess();
  let started!: () => void;
  const gate = new Promise<void>((r) => (started = r));
  const { ch, audit, done } = sessionWith({
    start: async () => {
      await gate;
      return p.proc;
    },
  });
  ch.receive(initializeMessage(init));
  ch.receive(Buffer.from('a'.repeat(90)));
  ch.receive(Buffer.from('b'.repeat(90)));
  ch.receive(CONTENT_COMPLETE);
  started();
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(p.events, [`eof after ${JSON.stringify('a'.repeat(90) + 'b'.repeat(90))}`]);
  p.output.write('180\n');
  p.exit(0);
  await done;
  assert.equal(ch.binary().toString(), '180\n');
  assert.deepEqual(ch.closed(), { close: 1000, reason: '0' });
  assert.deepEqual(p.events.slice(1), ['killAll', 'release'], 'what the session left is killed, then the process released');
  assert.deepEqual(
    audit.map((r) => [r.event, r.exitCode]),
    [
      ['exec-start', undefined],
      ['exec-end', 0],
    ],
  );
});

test('ExecSession sends all output before the exit code, even output written just before exit', async () => {
  const p = fakeProcess();
  const { ch, done } = sessionWith({ start: async () => p.proc });
  ch.receive(initializeMessage(init));
  await new Promise((r) => setImmediate(r));
  p.output.write('last words');
  p.exit(3);
  await done;
  const kinds = ch.sent.map((f) => ('binary' in f ? 'binary' : 'close' in f ? `close ${f.close} ${f.reason}` : 'text'));
  assert.deepEqual(kinds, ['binary', 'close 1000 3']);
});

test('ExecSession refuses a first frame that is not Initialize with an Error and 1008', async () => {
  for (const first of [Buffer.from('input'), CONTENT_COMPLETE, '{"Initialize":{"command":[],"target":"x"}}']) {
    const { ch, done } = sessionWith({ start: async () => assert.fail('must not start') });
    ch.receive(first);
    await done;
    assert.equal(ch.closed()?.close, 1008, String(first));
    assert.match(ch.texts()[0] ?? '', /"code":"INVALID_ARGUMENT"/);
  }
});

test('ExecSession gives up on a client that never sends Initialize', async () => {
  const { ch, done } = sessionWith({ clientTimeoutMs: 30, start: async () => assert.fail('must not start') });
  await done;
  assert.equal(ch.closed()?.close, 1008);
  assert.match(ch.texts()[0] ?? '', /No Initialize message received/);
});

test('ExecSession reports a start failure (exit code, reason) and audits the refusal', async () => {
  const { ch, audit, done } = sessionWith({
    start: async () => {
      throw new BerthError('NOT_FOUND', 'nope: command not found in the container', { details: { exitCode: 127 } });
    },
  });
  ch.receive(initializeMessage(init));
  await done;
  assert.deepEqual(JSON.parse(ch.texts()[0] ?? ''), { Error: { code: 'NOT_FOUND', message: 'nope: command not found in the container', exit_code: 127 } });
  assert.equal(ch.closed()?.close, 1011);
  assert.deepEqual(
    audit.map((r) => [r.event, r.reason]),
    [['exec-refused', 'nope: command not found in the container']],
  );
});

test('ExecSession refuses past the session limit with a clear message and 1008, and frees its place at the end', async () => {
  const limits = new SessionLimits({ perTarget: 1, total: 10 });
  const p = fakeProcess();
  const first = sessionWith({ limits, start: async () => p.proc });
  first.ch.receive(initializeMessage(init));
  await new Promise((r) => setImmediate(r));
  const second = sessionWith({ limits, start: async () => assert.fail('must not start') });
  second.ch.receive(initializeMessage(init));
  await second.done;
  assert.equal(second.ch.closed()?.close, 1008);
  assert.match(second.ch.texts()[0] ?? '', /Too many exec sessions open into 'control' \(limit 1\)/);
  p.exit(0);
  await first.done;
  assert.equal(limits.open, 0);
});

test('ExecSession kills the process when the client goes away, and audits the disconnect', async () => {
  const p = fakeProcess();
  const { ch, audit, done } = sessionWith({ start: async () => p.proc });
  ch.receive(initializeMessage(init));
  await new Promise((r) => setImmediate(r));
  ch.clientGone();
  await done;
  assert.equal(p.events[0], 'killAll');
  const end = audit.find((r) => r.event === 'exec-end');
  assert.equal(end?.disconnected, true);
  assert.equal(end?.exitCode, 137);
});

test('ExecSession kills the process a client asked for while it was starting, once it exists', async () => {
  const p = fakeProcess();
  let started!: () => void;
  const gate = new Promise<void>((r) => (started = r));
  const { ch, done } = sessionWith({
    start: async () => {
      await gate;
      return p.proc;
    },
  });
  ch.receive(initializeMessage(init));
  await new Promise((r) => setImmediate(r));
  ch.clientGone();
  started();
  await done;
  assert.equal(p.events[0], 'killAll');
});

test('ExecSession does not start a process for a client that left before Initialize was handled', async () => {
  const { ch, audit, done } = sessionWith({ start: async () => assert.fail('must not start') });
  ch.receive(initializeMessage(init));
  ch.clientGone();
  await done;
  assert.deepEqual(
    audit.map((r) => r.event),
    ['exec-refused'],
  );
});

test('ExecSession: a protocol error from the client ends the session, kills its processes and is audited with the reason', async () => {
  const p = fakeProcess();
  const { ch, audit, done } = sessionWith({ start: async () => p.proc });
  ch.receive(initializeMessage(init));
  await new Promise((r) => setImmediate(r));
  ch.clientError('Invalid WebSocket frame: invalid opcode 3', 1002);
  await done;
  assert.equal(p.events[0], 'killAll');
  const end = audit.find((r) => r.event === 'exec-end');
  assert.equal(end?.reason, 'Invalid WebSocket frame: invalid opcode 3 (closed with 1002)');
});

test('ExecSession terminates a client that stops answering pings', async () => {
  const p = fakeProcess();
  const { ch, done } = sessionWith({ heartbeatMs: 5, clientTimeoutMs: 40, start: async () => p.proc });
  ch.receive(initializeMessage(init));
  await done;
  assert.equal(ch.terminated, true);
  assert.ok(ch.pings > 0);
  assert.equal(p.events[0], 'killAll');
});
