import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:net';
import { mkdir, readFile } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import { startTestContainerd, type TestContainerd } from '../helpers/containerd.js';
import { testImageArchive } from '../helpers/test-image.js';
import { hostRuntimeFor } from '../helpers/host-runtime.js';
import { essentialFailures, runBootstrapContainers, type BootstrapRun } from '../../src/reconciler/bootstrap.js';
import { silentLogger } from '../../src/lib/logger.js';
import type { Settings } from '../../src/model/index.js';

let ctrd: TestContainerd;
let api: Server;
let archive: string;
before(async () => {
  ctrd = await startTestContainerd();
  await mkdir(ctrd.paths.run, { recursive: true });
  api = createServer().listen(ctrd.paths.apiSocket);
  // The user data is the script to run, as in Bottlerocket's bootstrap image.
  archive = await testImageArchive({
    extraFiles: { '/usr/bin/run-user-data': '#!/bin/sh\nexec sh /.bottlerocket/bootstrap-containers/current/user-data\n' },
    entrypoint: ['/usr/bin/run-user-data'],
  });
});
after(async () => {
  api?.close();
  await ctrd?.cleanup();
});

const script = (s: string) => Buffer.from(s).toString('base64');

test('bootstrap containers run to completion in parallel; once turns off; essential failures and timeouts are reported', async () => {
  const source = `oci-archive:${archive}`;
  const settings: Settings = {
    'bootstrap-containers': {
      prepare: { source, mode: 'once', essential: true, 'user-data': script('echo prepared > /.bottlerocket/bootstrap-containers/current/done; id -u >> /.bottlerocket/bootstrap-containers/current/done') },
      flaky: { source, mode: 'always', essential: false, 'user-data': script('exit 3') },
      broken: { source, mode: 'always', essential: true, 'user-data': script('exit 1') },
      hang: { source, mode: 'always', essential: false, 'user-data': script('sleep 60') },
      disabled: { source, mode: 'off', 'user-data': script('exit 9') },
    },
  };
  const runs = new Map<string, BootstrapRun>();
  const turnedOff: string[] = [];
  const runtime = hostRuntimeFor(ctrd);
  const options = {
    runtime,
    settings,
    logger: silentLogger,
    timeoutMs: 3000,
    previousRun: async (n: string) => {
      const run = runs.get(n);
      return run?.result ? { ...run, result: run.result } : undefined;
    },
    recordRun: async (n: string, run: BootstrapRun) => void runs.set(n, run),
    setModeOff: async (n: string) => void turnedOff.push(n),
  };
  const started = Date.now();
  const outcomes = await runBootstrapContainers(options);
  const by = Object.fromEntries(outcomes.map((o) => [o.name, o]));
  assert.deepEqual(Object.keys(by).sort(), ['broken', 'flaky', 'hang', 'prepare'], 'mode off does not run');
  assert.equal(by['prepare']?.result, 'ok', JSON.stringify(outcomes));
  assert.equal(await readFile(`${ctrd.paths.bootstrapContainers}/prepare/done`, 'utf8'), 'prepared\n0\n');
  assert.deepEqual(turnedOff, ['prepare'], 'once becomes off after success; always stays');
  assert.equal(by['flaky']?.result, 'failed');
  assert.equal(by['flaky']?.exitCode, 3, JSON.stringify(outcomes));
  assert.ok(Date.parse(by['flaky']?.exitedAt ?? '') >= started, 'when it exited');
  assert.equal(runs.get('flaky')?.result, 'failed', 'recorded for a later berthd');
  assert.equal(by['hang']?.result, 'timeout');
  assert.match(by['hang']?.reason ?? '', /did not finish within 3 s/);
  assert.deepEqual(essentialFailures(outcomes).map((o) => o.name), ['broken']);
  assert.ok(Date.now() - started < 30_000, 'they ran in parallel, not one after another');
  // Nothing is left behind in host-containerd.
  const left = execFileSync('ctr', ['-a', ctrd.paths.hostContainerd.socket, 'containers', 'ls', '-q'], { encoding: 'utf8' }).trim();
  assert.equal(left, '');

  // A second run in the same boot (a berthd restart) runs nothing again: the recorded runs stand.
  const again = await runBootstrapContainers(options);
  assert.deepEqual(again, outcomes);
});
