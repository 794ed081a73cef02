import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'smol-toml';
import { BERTHD, REPO } from '../helpers/repo.js';
import { makeTempRoot, removeTempRoot } from '../helpers/temp-root.js';

const run = promisify(execFile);
const root = await makeTempRoot('units');
after(() => removeTempRoot(root));

test('the systemd units pass systemd-analyze verify (with berthd at its install path)', async () => {
  const dir = path.join(root, 'units');
  await mkdir(dir);
  const units = (await readdir(path.join(REPO, 'units'))).filter((f) => f.endsWith('.service'));
  assert.deepEqual(units.sort(), ['berthd.service', 'containerd.service', 'host-containerd.service']);
  for (const u of units) {
    // /usr/bin/berthd is where a package installs it; point at the build so verify can check it.
    const text = (await readFile(path.join(REPO, 'units', u), 'utf8')).replaceAll('/usr/bin/berthd', BERTHD);
    await writeFile(path.join(dir, u), text);
  }
  const { stderr } = await run('systemd-analyze', ['verify', ...units.map((u) => path.join(dir, u))]).catch((e) => {
    assert.fail(`systemd-analyze verify failed: ${e.stderr}`);
  });
  // verify also prints problems on stderr with exit status 0: there must be none.
  assert.equal(stderr.trim(), '');
});

test('berthd write-config renders the configs the units start containerd with', async () => {
  await run(BERTHD, ['write-config', 'host-containerd', '--root', root]);
  const host = parse(await readFile(path.join(root, 'etc/host-containerd/config.toml'), 'utf8')) as { disabled_plugins: string[]; grpc: { address: string } };
  assert.ok(host.disabled_plugins.includes('io.containerd.grpc.v1.cri'));
  assert.equal(host.grpc.address, path.join(root, 'run/host-containerd/containerd.sock'));
  const { stdout } = await run(BERTHD, ['write-config', 'containerd', '--root', root, '--stdout']);
  assert.equal((parse(stdout) as { grpc: { address: string } }).grpc.address, path.join(root, 'run/containerd/containerd.sock'));
  await assert.rejects(run(BERTHD, ['write-config', 'nonsense']), /expected host-containerd or containerd/);
});
