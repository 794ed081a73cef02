import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { BerthError } from '../errors/index.js';
import { silentLogger } from '../lib/logger.js';
import type { Settings } from '../model/index.js';
import type { RuntimePort } from '../reconciler/runtime-port.js';
import { BootSequence } from './boot-sequence.js';

/** Bootstrap containers that exit with the code set for them, at once. */
function exitingRuntime(exitCodes: Map<string, number>, started: string[]): RuntimePort {
  return {
    list: async () => [],
    inspect: async () => undefined,
    storedNames: async () => [],
    userDataDigest: async () => undefined,
    writeUserData: async () => undefined,
    removeUserData: async () => undefined,
    create: async () => ({ imageDigest: 'sha256:x' }),
    start: async (name) => {
      started.push(name);
      return { pid: 1 };
    },
    stop: async () => undefined,
    waitExit: async (name) => ({ exitCode: exitCodes.get(name) ?? 0, exitedAt: new Date('2026-01-01T00:00:01Z') }),
    remove: async () => undefined,
    watch: () => ({ close: () => undefined }),
  };
}

async function setup(t: { after(fn: () => Promise<void>): void }, initial: Settings) {
  const dir = await mkdtemp(path.join(tmpdir(), 'boot-seq-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const state = { settings: initial, exitCodes: new Map<string, number>(), started: [] as string[], booted: 0 };
  const make = () =>
    new BootSequence({
      runtime: exitingRuntime(state.exitCodes, state.started),
      settings: () => state.settings,
      setModeOff: async () => undefined,
      runsDir: path.join(dir, 'ran'),
      // A call exits with the status its last item names (`apiclient exit 3`), else 0.
      callApiclient: async (name, argv) => {
        state.started.push(`${name}: ${argv.join(' ')}`);
        const exitCode = argv[1] === 'exit' ? Number(argv[2]) : 0;
        return exitCode === 0 ? { exitCode } : { exitCode, error: 'it failed' };
      },
      setCommandModeOff: async () => undefined,
      commandRunsDir: path.join(dir, 'commands-ran'),
      logger: silentLogger,
    });
  return { state, make };
}

const until = async (what: string, fn: () => boolean) => {
  for (let i = 0; i < 200 && !fn(); i++) await new Promise((r) => setTimeout(r, 5));
  assert.ok(fn(), what);
};

test('a failed boot starts nothing, says which essential container failed, and a settings fix retries only what failed', async (t) => {
  const { state, make } = await setup(t, {
    'bootstrap-containers': {
      setup: { source: 'oci-archive:/b.tar', mode: 'always', essential: true },
      other: { source: 'oci-archive:/b.tar', mode: 'always' },
    },
  });
  state.exitCodes.set('setup', 1);
  const boot = make();
  await boot.start();
  await boot.whenSucceeded(async () => void state.booted++);
  assert.equal(state.booted, 0, 'host containers wait');
  assert.deepEqual(boot.report(), { ...boot.report(), state: 'failed', failures: [{ kind: 'container', name: 'setup', error: 'exited with status 1' }], attempts: 1 });
  assert.deepEqual(
    boot.statuses().map((s) => [s.name, s.state, s.lastExit?.code]),
    [
      ['other', 'succeeded', 0],
      ['setup', 'failed', 1],
    ],
  );

  boot.settingsChanged(['settings.host-containers.admin.enabled']);
  assert.equal(boot.report().state, 'failed', 'other settings retry nothing');
  state.settings = { 'bootstrap-containers': { ...state.settings['bootstrap-containers'], setup: { source: 'oci-archive:/b.tar', mode: 'always', essential: false } } };
  state.started.length = 0;
  boot.settingsChanged(['settings.bootstrap-containers.setup.essential']);
  assert.equal(boot.report().state, 'running');
  await until('the retry succeeds', () => boot.report().state === 'succeeded');
  assert.deepEqual(state.started, ['setup'], 'only what did not succeed runs again');
  assert.equal(boot.report().attempts, 2);
  await until('host containers start', () => state.booted === 1);
  assert.throws(() => boot.retry(), (err: unknown) => BerthError.is(err) && err.code === 'FAILED_PRECONDITION');
});

test('a berthd restart in the same boot runs nothing again: a failed boot stays failed until retried', async (t) => {
  const { state, make } = await setup(t, { 'bootstrap-containers': { setup: { source: 'oci-archive:/b.tar', mode: 'always', essential: true } } });
  state.exitCodes.set('setup', 2);
  await make().start();
  state.started.length = 0;
  const again = make();
  await again.start();
  assert.deepEqual(state.started, [], 'not run again by a restart');
  assert.deepEqual(again.report().failures, [{ kind: 'container', name: 'setup', error: 'exited with status 2' }]);
  state.exitCodes.set('setup', 0);
  again.retry();
  await until('the retry succeeds', () => again.report().state === 'succeeded');
  assert.deepEqual(state.started, ['setup']);
});

test('bootstrap commands run before bootstrap containers; an essential one that fails keeps them and later commands from running, and a fix retries only what failed', async (t) => {
  const { state, make } = await setup(t, {
    'bootstrap-commands': {
      b: { commands: [['apiclient', 'exit', '2'], ['apiclient', 'get']], mode: 'always', essential: true },
      a: { commands: [['apiclient', 'get']], mode: 'once' },
      c: { commands: [['apiclient', 'get', 'c']], mode: 'always' },
    },
    'bootstrap-containers': { setup: { source: 'oci-archive:/b.tar', mode: 'always' } },
  });
  const boot = make();
  await boot.start();
  await boot.whenSucceeded(async () => void state.booted++);
  assert.deepEqual(state.started, ['a: apiclient get', 'b: apiclient exit 2'], 'in order of names, up to the essential failure');
  assert.deepEqual(boot.report().failures, [{ kind: 'command', name: 'b', error: 'call 1 of 2 (apiclient exit 2) exited with status 2: it failed' }]);
  assert.equal(state.booted, 0, 'host containers wait');

  state.started.length = 0;
  state.settings = { ...state.settings, 'bootstrap-commands': { ...state.settings['bootstrap-commands'], b: { commands: [['apiclient', 'get', 'b']], mode: 'always', essential: true } } };
  boot.settingsChanged(['settings.bootstrap-commands.b.commands']);
  await until('the retry succeeds', () => boot.report().state === 'succeeded');
  assert.deepEqual(state.started, ['b: apiclient get b', 'c: apiclient get c', 'setup'], 'a succeeded already; then the containers');
  await until('host containers start', () => state.booted === 1);
});

test('a bootstrap command that is not essential fails without failing the boot', async (t) => {
  const { state, make } = await setup(t, { 'bootstrap-commands': { x: { commands: [['apiclient', 'exit', '1']], mode: 'always' } } });
  const boot = make();
  await boot.start();
  assert.deepEqual([boot.report().state, boot.report().failures], ['succeeded', []]);
  assert.deepEqual(state.started, ['x: apiclient exit 1']);
});

test('after an essential bootstrap command failed, making it non-essential retries the boot: it fails again, harmlessly', async (t) => {
  const bad = { commands: [['apiclient', 'exit', '2']], mode: 'always' as const };
  const { state, make } = await setup(t, { 'bootstrap-commands': { bad: { ...bad, essential: true } } });
  const boot = make();
  await boot.start();
  assert.equal(boot.report().state, 'failed');
  state.settings = { 'bootstrap-commands': { bad: { ...bad, essential: false } } };
  boot.settingsChanged(['settings.bootstrap-commands.bad.essential']);
  await until('the retry succeeds', () => boot.report().state === 'succeeded');
  assert.deepEqual(state.started, ['bad: apiclient exit 2', 'bad: apiclient exit 2']);
});
