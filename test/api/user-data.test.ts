import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createApiServer } from '../../src/api/index.js';
import { ApiClient } from '../../src/apiclient/index.js';
import { applyLaunchUserData, Datastore } from '../../src/datastore/index.js';
import { runCli } from './run-apiclient.js';
import { TEST_DEFAULTS } from './api-fixture.js';

/**
 * Bottlerocket's user-data examples for host containers, bootstrap containers and registries,
 * applied at first start and read back over the real socket, as berthd does before opening the API.
 */
const adminUserData = Buffer.from(JSON.stringify({ ssh: { 'authorized-keys': ['ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIExample user@host'] } })).toString('base64');

const BOTTLEROCKET_USER_DATA = `
# Bottlerocket-style user data
[settings.host-containers.admin]
enabled = true
superpowered = true
source = "public.ecr.aws/bottlerocket/bottlerocket-admin:v0.11.13"
user-data = "${adminUserData}"

[settings.host-containers.control]
enabled = false

[settings.host-containers.custom]
source = "localhost:5000/my-custom-container:v1"
enabled = true
superpowered = false
user-data = "ZXhhbXBsZQ=="

[settings.bootstrap-containers.bear]
source = "localhost:5000/bear:latest"
mode = "once"
user-data = "IyEvYmluL3NoCmVjaG8gaGkK"
essential = false

[[settings.container-registry.mirrors]]
registry = "docker.io"
endpoint = ["https://mirror-1.example", "https://mirror-2.example"]

[[settings.container-registry.credentials]]
registry = "docker.io"
username = "foo"
password = "bar"
`;

async function boot(root: string, file: string): Promise<{ client: ApiClient; close(): Promise<void>; changed: string[]; applied: boolean }> {
  const datastore = await Datastore.open({ dir: path.join(root, 'var/lib/berth/datastore'), defaults: TEST_DEFAULTS });
  const documents = [{ name: `'${file}'`, text: await readFile(file, 'utf8') }];
  const { applied, changedKeys } = await applyLaunchUserData({ datastore, documents, marker: path.join(root, 'var/lib/berth/launch-user-data.applied') });
  const socketPath = path.join(root, 'run/berth/api.sock');
  const server = createApiServer({ datastore, socketPath });
  await server.listen();
  return { client: new ApiClient({ socketPath }), close: () => server.close(), changed: changedKeys, applied };
}

test("Bottlerocket's host-container user data is applied on first start and served by the API", async (t) => {
  const root = await mkdtemp(path.join(tmpdir(), 'berth-ud-'));
  t.after(() => rm(root, { recursive: true, force: true }));
  const file = path.join(root, 'user-data.toml');
  await writeFile(file, BOTTLEROCKET_USER_DATA);

  const first = await boot(root, file);
  assert.equal(first.applied, true);
  assert.ok(first.changed.includes('settings.host-containers.admin.enabled'));
  assert.ok(!first.changed.includes('settings.host-containers.admin.superpowered'), 'admin is superpowered by default: no change');
  const settings = await first.client.getSettings();
  assert.deepEqual(settings['host-containers'], {
    admin: { source: 'public.ecr.aws/bottlerocket/bottlerocket-admin:v0.11.13', enabled: true, superpowered: true, 'user-data': adminUserData },
    control: { source: 'oci-archive:/images/control.tar', enabled: false, superpowered: false },
    custom: { source: 'localhost:5000/my-custom-container:v1', enabled: true, superpowered: false, 'user-data': 'ZXhhbXBsZQ==' },
  });
  assert.deepEqual(settings['bootstrap-containers'], { bear: { source: 'localhost:5000/bear:latest', mode: 'once', 'user-data': 'IyEvYmluL3NoCmVjaG8gaGkK', essential: false } });
  assert.deepEqual(settings['container-registry'], {
    mirrors: [{ registry: 'docker.io', endpoint: ['https://mirror-1.example', 'https://mirror-2.example'] }],
    credentials: [{ registry: 'docker.io', username: 'foo', password: 'bar' }],
  });
  assert.deepEqual(await first.client.listTransactions(), [], 'berth-launch was committed');
  await first.client.patchKeypairs(['host-containers.custom.enabled=false'], { tx: 'later' });
  await first.client.commit({ tx: 'later' });
  await first.close();

  // A restart keeps what users changed since and does not apply user data again.
  const second = await boot(root, file);
  assert.deepEqual([second.applied, second.changed], [false, []]);
  assert.equal((await second.client.getSettings())['host-containers']?.custom?.enabled, false);
  await second.close();
});

test('the same user data applies through apiclient apply, and bad user data stops the start with nothing committed', async (t) => {
  const root = await mkdtemp(path.join(tmpdir(), 'berth-ud-'));
  t.after(() => rm(root, { recursive: true, force: true }));
  const file = path.join(root, 'user-data.toml');
  await writeFile(file, BOTTLEROCKET_USER_DATA.replace('mode = "once"', 'mode = "sometimes"'));
  await assert.rejects(boot(root, file), {
    code: 'INVALID_ARGUMENT',
    message: `Invalid user data in '${file}': Invalid setting 'bootstrap-containers.bear.mode': expected one of "off", "once", "always", got "sometimes"`,
  });
  assert.deepEqual(await readdir(path.join(root, 'var/lib/berth')), ['datastore'], 'no marker written');
  await writeFile(file, BOTTLEROCKET_USER_DATA);
  await writeFile(path.join(root, 'empty.toml'), '[settings]\n');
  const booted = await boot(root, path.join(root, 'empty.toml'));
  t.after(() => booted.close());
  assert.deepEqual(await booted.client.getSettings(), TEST_DEFAULTS, 'nothing was committed by the failed start');
  const run = await runCli(['-s', path.join(root, 'run/berth/api.sock'), 'apply', file]);
  assert.equal(run.code, 0, run.stderr);
  assert.equal((await booted.client.getSettings())['host-containers']?.custom?.source, 'localhost:5000/my-custom-container:v1');
});
