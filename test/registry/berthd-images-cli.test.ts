import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { BERTHD } from '../helpers/repo.js';
import { testImageArchive } from '../helpers/test-image.js';
import { freePort } from './free-port.js';
import { pushLayout, testLayout } from './registry-images.js';
import { usePullFixture } from './pull-fixture.js';

const f = usePullFixture({ withRegistry: true });

function berthd(...args: string[]) {
  const res = spawnSync(BERTHD, [...args], { encoding: 'utf8', timeout: 60_000 });
  return { status: res.status, stdout: res.stdout, stderr: res.stderr };
}

test('berthd images pull pulls into the root host-containerd with plain progress lines, and fails with a clear message', { timeout: 120_000 }, async () => {
  const layout = await testLayout({ extraFiles: { '/cli': 'pulled by the cli\n' } });
  const name = `${f.registry.host}/test/cli:v1`;
  pushLayout(layout, 'latest', name);

  const ok = berthd('images', 'pull', name, '--root', f.ctrd.root);
  assert.equal(ok.status, 0, ok.stderr);
  const record = await f.ctrd.client.images.get(name);
  assert.equal(ok.stdout, `${name} ${record.target.digest}\n`);
  assert.match(ok.stderr, /not using settings\.container-registry/, 'no berthd API in this root: said so');
  assert.match(ok.stderr, /^[0-9a-f]{12} done \(/m, 'a line per blob done');
  assert.match(ok.stderr, /^unpacked layer 2\/2$/m);

  const unreachable = `127.0.0.1:${await freePort()}/test/cli:v1`;
  const failed = berthd('images', 'pull', unreachable, '--root', f.ctrd.root, '--attempts', '2');
  assert.equal(failed.status, 7, 'UNAVAILABLE exits 7');
  assert.match(failed.stderr, new RegExp(`berthd: Cannot pull ${unreachable.replace(/\./g, '\\.')}: registry 127\\.0\\.0\\.1:\\d+ could not be reached`));
  assert.match(failed.stderr, /^retry 1 of manifest/m);
});

test('berthd images import imports an archive, and says when host-containerd is not running', async () => {
  const archive = await testImageArchive({ extraFiles: { '/cli-import': 'x' } });
  const ok = berthd('images', 'import', archive, '--name', 'test/cli-import:1', '--root', f.ctrd.root);
  assert.equal(ok.status, 0, ok.stderr);
  assert.match(ok.stdout, /^test\/cli-import:1 sha256:[0-9a-f]{64}\n$/);
  await f.ctrd.client.images.get('test/cli-import:1');

  const none = berthd('images', 'import', archive, '--root', path.join(f.work, 'no-such-root'));
  assert.equal(none.status, 7);
  assert.match(none.stderr, /host-containerd is not running: no socket at/);
});
