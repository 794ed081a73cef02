import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startApi } from './api-fixture.js';
import { runCli } from './run-apiclient.js';
import { BERTH } from '../helpers/repo.js';

/**
 * The `berth` executable (a Node single-executable application) works alone: copied by itself to an
 * empty directory under the name `apiclient` and run with no PATH (so no node to fall back on), it
 * talks to a real server the way the bind-mounted /usr/local/bin/apiclient does in a host container.
 */
test('the berth executable copied alone as apiclient runs get, set and reports errors', async (t) => {
  const dir = await mkdtemp(path.join(tmpdir(), 'berth-sea-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const bin = path.join(dir, 'apiclient');
  await copyFile(BERTH, bin);
  execFileSync('chmod', ['755', bin]);
  const api = await startApi(t);
  const env = { PATH: '', BERTH_API_SOCKET: api.socketPath, NODE_PATH: '' };

  const get = await runCli(['get', 'host-containers.admin'], { bin, env });
  assert.equal(get.code, 0, get.stderr);
  assert.equal(get.stderr, '', 'no experimental-feature warning');
  assert.deepEqual(JSON.parse(get.stdout), { settings: { 'host-containers': { admin: api.datastore.live()['host-containers']!.admin! } } });

  const set = await runCli(['-s', api.socketPath, 'set', 'host-containers.admin.enabled=true'], { bin, env: { PATH: '' } });
  assert.deepEqual(set, { code: 0, stdout: '', stderr: '' });
  assert.equal(api.datastore.live()['host-containers']?.admin?.enabled, true);

  const bad = await runCli(['set', 'host-containers.admin.enabled=maybe'], { bin, env });
  assert.deepEqual(bad, { code: 2, stdout: '', stderr: 'apiclient: Invalid setting \'host-containers.admin.enabled\': expected a boolean, got "maybe"\n' });

  // Only glibc and the C++ runtime are needed from the image.
  const libs = execFileSync('ldd', [bin], { encoding: 'utf8' })
    .split('\n')
    .map((l) => l.trim().split(' ')[0]!)
    .filter((l) => l !== '' && !l.startsWith('linux-vdso') && !l.startsWith('/lib64/ld-linux'));
  for (const lib of libs) assert.match(lib, /^lib(c|m|dl|pthread|rt|stdc\+\+|gcc_s)\.so\.[0-9]+$/, lib);
});
