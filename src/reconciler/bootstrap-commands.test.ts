import { test } from 'node:test';
import assert from 'node:assert/strict';
import { silentLogger } from '../lib/logger.js';
import type { Settings } from '../model/index.js';
import type { BootstrapRun, EndedRun } from './bootstrap.js';
import { bootstrapCommandsToRun, runBootstrapCommands, type CallResult } from './bootstrap-commands.js';

/** Runs the commands of `settings` with calls that exit with the status `fails` gives them (else 0). */
async function run(settings: Settings, { fails = new Map<string, number>(), previous = new Map<string, EndedRun>() } = {}) {
  const calls: string[] = [];
  const offs: string[] = [];
  const records: Array<[string, BootstrapRun]> = [];
  const outcomes = await runBootstrapCommands({
    settings,
    call: async (name, argv): Promise<CallResult> => {
      const text = argv.join(' ');
      calls.push(`${name}: ${text}`);
      const exitCode = fails.get(text) ?? 0;
      return exitCode === 0 ? { exitCode } : { exitCode, error: `Unknown setting '${argv[2]}'` };
    },
    logger: silentLogger,
    previousRun: (name) => previous.get(name),
    recordRun: async (name, r) => void records.push([name, r]),
    setModeOff: async (name) => void offs.push(name),
    now: () => new Date('2026-01-01T00:00:00Z'),
  });
  return { calls, offs, records, outcomes };
}

const set = (value: string) => ['apiclient', 'set', value];

test('bootstrapCommandsToRun() takes mode once and always, in lexical order of names by code unit', () => {
  const settings: Settings = {
    'bootstrap-commands': {
      b: { mode: 'always' },
      B: { mode: 'once' },
      '010-x': { mode: 'always' },
      '002-x': { mode: 'always' },
      off: { mode: 'off' },
      unset: {},
      a: { mode: 'once' },
    },
  };
  assert.deepEqual(bootstrapCommandsToRun(settings).map(([n]) => n), ['002-x', '010-x', 'B', 'a', 'b']);
  assert.deepEqual(bootstrapCommandsToRun({}), []);
});

test('runBootstrapCommands() makes each command\'s calls in order, command after command, and turns only a successful `once` off', async () => {
  const { calls, offs, outcomes, records } = await run({
    'bootstrap-commands': {
      '002-second': { commands: [set('k=2'), set('k=3')], mode: 'once' },
      '001-first': { commands: [set('k=1')], mode: 'always', essential: true },
      '003-empty': { commands: [], mode: 'once' },
      '004-off': { commands: [set('k=4')], mode: 'off' },
    },
  });
  assert.deepEqual(calls, ['001-first: apiclient set k=1', '002-second: apiclient set k=2', '002-second: apiclient set k=3']);
  assert.deepEqual(offs, ['002-second', '003-empty']);
  assert.deepEqual(
    outcomes.map((o) => [o.name, o.essential, o.result]),
    [
      ['001-first', true, 'ok'],
      ['002-second', false, 'ok'],
      ['003-empty', false, 'ok'],
    ],
  );
  assert.deepEqual(records.slice(0, 2), [
    ['001-first', { startedAt: '2026-01-01T00:00:00.000Z' }],
    ['001-first', { startedAt: '2026-01-01T00:00:00.000Z', result: 'ok', exitCode: 0 }],
  ], 'each run is recorded as it starts, then as it ends');
});

test('runBootstrapCommands() stops a command at its first failing call; a non-essential failure lets the next run, an essential one stops there', async () => {
  const settings: Settings = {
    'bootstrap-commands': {
      a: { commands: [set('no-such.key=1'), set('k=1')], mode: 'once' },
      b: { commands: [set('k=2'), set('bad=1')], mode: 'always', essential: true },
      c: { commands: [set('k=3')], mode: 'always' },
    },
  };
  const fails = new Map([
    ['apiclient set no-such.key=1', 2],
    ['apiclient set bad=1', 2],
  ]);
  const { calls, offs, outcomes } = await run(settings, { fails });
  assert.deepEqual(calls, ['a: apiclient set no-such.key=1', 'b: apiclient set k=2', 'b: apiclient set bad=1']);
  assert.deepEqual(offs, [], 'a failed `once` stays `once`');
  assert.deepEqual(outcomes, [
    { name: 'a', essential: false, result: 'failed', exitCode: 2, reason: "call 1 of 2 (apiclient set no-such.key=1) exited with status 2: Unknown setting 'no-such.key=1'" },
    { name: 'b', essential: true, result: 'failed', exitCode: 2, reason: "call 2 of 2 (apiclient set bad=1) exited with status 2: Unknown setting 'bad=1'" },
  ]);
});

test('runBootstrapCommands() does not run a command whose run in this boot stands, and reports how it ended', async () => {
  const previous = new Map<string, EndedRun>([['a', { startedAt: '2026-01-01T00:00:00Z', result: 'failed', exitCode: 2, reason: 'earlier' }]]);
  const { calls, outcomes } = await run({ 'bootstrap-commands': { a: { commands: [set('k=1')], mode: 'always' }, b: { commands: [set('k=2')], mode: 'always' } } }, { previous });
  assert.deepEqual(calls, ['b: apiclient set k=2']);
  assert.deepEqual(outcomes[0], { name: 'a', essential: false, result: 'failed', exitCode: 2, reason: 'earlier' });
});

test('runBootstrapCommands() counts a call that throws as a failure of its command', async () => {
  const outcomes = await runBootstrapCommands({
    settings: { 'bootstrap-commands': { a: { commands: [set('k=1')], mode: 'always', essential: true } } },
    call: async () => {
      throw new Error('audit log not writable');
    },
    logger: silentLogger,
    previousRun: () => undefined,
    recordRun: async () => undefined,
    setModeOff: async () => undefined,
  });
  assert.deepEqual(outcomes, [{ name: 'a', essential: true, result: 'failed', reason: 'audit log not writable' }]);
});
