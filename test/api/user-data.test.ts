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

async function boot(root: string, file: string): Promise<{ client: ApiClient; close(): Promise<void>; changed: string[]; applied: boolean; skipped: string[] }> {
  const datastore = await Datastore.open({ dir: path.join(root, 'var/lib/berth/datastore'), defaults: TEST_DEFAULTS });
  const documents = [{ name: `'${file}'`, text: await readFile(file, 'utf8') }];
  const { applied, changedKeys, skipped } = await applyLaunchUserData({ datastore, documents, marker: path.join(root, 'var/lib/berth/launch-user-data.applied') });
  const socketPath = path.join(root, 'run/berth/api.sock');
  const server = createApiServer({ datastore, socketPath });
  await server.listen();
  return { client: new ApiClient({ socketPath }), close: () => server.close(), changed: changedKeys, applied, skipped };
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

/**
 * Bottlerocket's documented bootstrap command, verbatim: stored as written (berth has no
 * `ephemeral-storage` subcommand, so at boot these calls would fail; the shape is what matters here).
 */
const BOOTSTRAP_COMMANDS = `
[settings.bootstrap-commands.mybootstrap]
commands = [["apiclient", "ephemeral-storage", "init"], ["apiclient", "ephemeral-storage" ,"bind", "--dirs", "/var/lib/containerd", "/var/lib/docker", "/var/log/ecs"]]
essential = true
mode = "always"
`;

test("Bottlerocket's bootstrap-commands example applies at boot; a call of another program refuses the user data, naming the key", async (t) => {
  const root = await mkdtemp(path.join(tmpdir(), 'berth-ud-'));
  t.after(() => rm(root, { recursive: true, force: true }));
  const file = path.join(root, 'user-data.toml');
  await writeFile(file, BOOTSTRAP_COMMANDS.replace('["apiclient", "ephemeral-storage", "init"]', '["/usr/bin/touch", "helloworld.txt"]'));
  await assert.rejects(boot(root, file), {
    code: 'INVALID_ARGUMENT',
    message: `Invalid user data in '${file}': Invalid setting 'bootstrap-commands.mybootstrap.commands[0]': a bootstrap command runs only apiclient: the call must start with "apiclient", got "/usr/bin/touch"`,
  });
  assert.deepEqual(await readdir(path.join(root, 'var/lib/berth')), ['datastore'], 'no marker written');

  await writeFile(file, BOOTSTRAP_COMMANDS);
  const booted = await boot(root, file);
  t.after(() => booted.close());
  assert.deepEqual((await booted.client.getSettings())['bootstrap-commands'], {
    mybootstrap: {
      commands: [
        ['apiclient', 'ephemeral-storage', 'init'],
        ['apiclient', 'ephemeral-storage', 'bind', '--dirs', '/var/lib/containerd', '/var/lib/docker', '/var/log/ecs'],
      ],
      essential: true,
      mode: 'always',
    },
  });
});

/**
 * Bottlerocket documents mirrors in two shapes: the array of tables, and the older table of registry →
 * endpoints it still accepts. Both are stored as the array; the table keeps its order.
 */
const MIRRORS_ARRAY_FORM = `
[[settings.container-registry.mirrors]]
registry = "*"
endpoint = ["https://example-mirror.example"]

[[settings.container-registry.mirrors]]
registry = "docker.io"
endpoint = ["https://my-docker-hub-mirror.example", "https://my-docker-hub-mirror-2.example"]
`;

const MIRRORS_TABLE_FORM = `
[settings.container-registry.mirrors]
"*" = ["https://example-mirror.example"]
"docker.io" = ["https://my-docker-hub-mirror.example", "https://my-docker-hub-mirror-2.example"]
`;

const STORED_MIRRORS = [
  { registry: '*', endpoint: ['https://example-mirror.example'] },
  { registry: 'docker.io', endpoint: ['https://my-docker-hub-mirror.example', 'https://my-docker-hub-mirror-2.example'] },
];

test("both of Bottlerocket's mirror forms apply at boot, through apiclient apply and PATCH /settings, stored as the array", async (t) => {
  for (const [form, text] of [['array', MIRRORS_ARRAY_FORM], ['table', MIRRORS_TABLE_FORM]] as const) {
    const root = await mkdtemp(path.join(tmpdir(), 'berth-ud-'));
    t.after(() => rm(root, { recursive: true, force: true }));
    const file = path.join(root, 'user-data.toml');
    await writeFile(file, text);
    const booted = await boot(root, file);
    t.after(() => booted.close());
    assert.deepEqual((await booted.client.getSettings())['container-registry'], { mirrors: STORED_MIRRORS }, `${form} form at boot`);
    await booted.client.patchSettings({ 'container-registry': null }, { tx: 'reset' });
    await booted.client.commit({ tx: 'reset' });
    const run = await runCli(['-s', path.join(root, 'run/berth/api.sock'), 'apply', file]);
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual((await booted.client.getSettings())['container-registry'], { mirrors: STORED_MIRRORS }, `${form} form through apiclient apply`);
  }
  const root = await mkdtemp(path.join(tmpdir(), 'berth-ud-'));
  t.after(() => rm(root, { recursive: true, force: true }));
  await writeFile(path.join(root, 'empty.toml'), '[settings]\n');
  const booted = await boot(root, path.join(root, 'empty.toml'));
  t.after(() => booted.close());
  await booted.client.patchSettings({ 'container-registry': { mirrors: { 'gcr.io': ['https://gcr-mirror.example'] } } }, { tx: 'p' });
  await booted.client.commit({ tx: 'p' });
  assert.deepEqual((await booted.client.getSettings())['container-registry'], { mirrors: [{ registry: 'gcr.io', endpoint: ['https://gcr-mirror.example'] }] });
});

test('a mirror endpoint with NUL, a newline or DEL is refused at boot, by apiclient apply and by PATCH /settings, nothing changed', async (t) => {
  const root = await mkdtemp(path.join(tmpdir(), 'berth-ud-'));
  t.after(() => rm(root, { recursive: true, force: true }));
  const file = path.join(root, 'user-data.toml');
  await writeFile(path.join(root, 'empty.toml'), '[settings]\n');
  for (const [escaped, codePoint] of [['\\u0000', '0000'], ['\\n', '000A'], ['\\u007F', '007F']]) {
    await writeFile(file, `[settings.container-registry.mirrors]\n"docker.io" = ["https://mirror.example/${escaped}"]\n`);
    const reason = `holds the control character U+${codePoint} at position 23`;
    await assert.rejects(boot(root, file), { code: 'INVALID_ARGUMENT', message: `Invalid user data in '${file}': Invalid setting 'container-registry.mirrors.docker.io[0]': ${reason}` });
  }
  const booted = await boot(root, path.join(root, 'empty.toml'));
  t.after(() => booted.close());
  const run = await runCli(['-s', path.join(root, 'run/berth/api.sock'), 'apply', file]);
  assert.equal(run.code, 2);
  assert.equal(run.stderr, "apiclient: Invalid setting 'container-registry.mirrors.docker.io[0]': holds the control character U+007F at position 23\n");
  await assert.rejects(booted.client.patchSettings({ 'container-registry': { mirrors: [{ registry: 'docker.io', endpoint: ['https://mirror.example/\0'] }] } }), {
    code: 'INVALID_ARGUMENT',
    message: "Invalid setting 'container-registry.mirrors[0].endpoint[0]': holds the control character U+0000 at position 23",
  });
  assert.deepEqual(await booted.client.getSettings(), TEST_DEFAULTS, 'nothing was committed');
  assert.deepEqual(await booted.client.listTransactions(), [], 'nor left pending');
});

test('boot user data skips the sections of other parts of a Bottlerocket host; apiclient apply still refuses them', async (t) => {
  const root = await mkdtemp(path.join(tmpdir(), 'berth-ud-'));
  t.after(() => rm(root, { recursive: true, force: true }));
  const file = path.join(root, 'user-data.toml');
  await writeFile(file, `[settings]\nmotd = "Hello from Bottlerocket"\n\n[settings.kubernetes]\ncluster-name = "prod"\napi-server = "https://k8s.example"\n${BOTTLEROCKET_USER_DATA}`);
  const booted = await boot(root, file);
  t.after(() => booted.close());
  assert.deepEqual([booted.applied, booted.skipped], [true, ['motd', 'kubernetes']]);
  assert.equal((await booted.client.getSettings())['host-containers']?.custom?.enabled, true, "berth's sections applied");
  const run = await runCli(['-s', path.join(root, 'run/berth/api.sock'), 'apply', file]);
  assert.equal(run.code, 2);
  assert.match(run.stderr, /^apiclient: Unknown setting 'motd' \(allowed here: host-containers, bootstrap-containers, bootstrap-commands, container-registry\)\n$/);
});

/**
 * `command` for host and bootstrap containers. Bottlerocket added both keys in v1.47.0 (settings-models
 * 0.14; the migration `host-bootstrap-containers-command-setting` adds `settings.host-containers.*.command`
 * and `settings.bootstrap-containers.*.command`), but no TOML example of `command` could be found in
 * its documentation or repositories. So the two tables below are Bottlerocket's documented `mycontainer`
 * and `mybootstrap` examples verbatim (settings reference, host-containers and bootstrap-containers
 * pages), each with a `command` line added in the setting's shape: a list of strings, the whole argv.
 */
const COMMAND_USER_DATA = `
[settings.host-containers.mycontainer]
enabled = true
source = "uri.to.container.in.oci-compatible-registry.example.com/foo:1.0.0"
superpowered = false
command = ["/usr/bin/my-agent", "--config", "/.bottlerocket/host-containers/current/user-data"]

# Creates a bootstrap container called \`mybootstrap\`
# It runs only one time and if exits with a non-zero code, will halt the boot process
[settings.bootstrap-containers.mybootstrap]
source = "uri.to.container.in.oci-compatible-registry.example.com/foo:1.0.0"
mode = "once"
essential = true
command = ["/bin/sh", "-c", "echo hello > /.bottlerocket/bootstrap-containers/current/done"]
`;

test("Bottlerocket's host and bootstrap containers with a command apply at boot; a command that is not a list of strings refuses the user data, naming the key", async (t) => {
  const root = await mkdtemp(path.join(tmpdir(), 'berth-ud-'));
  t.after(() => rm(root, { recursive: true, force: true }));
  const file = path.join(root, 'user-data.toml');
  for (const [bad, reason] of [
    ['"/usr/bin/my-agent --verbose"', 'expected a list of strings, got "/usr/bin/my-agent --verbose"'],
    ['["/usr/bin/my-agent", 7]', 'item 1 is not a string: got 7'],
  ]) {
    await writeFile(file, COMMAND_USER_DATA.replace(/^command = \["\/usr\/bin\/my-agent".*$/m, `command = ${bad}`));
    await assert.rejects(boot(root, file), { code: 'INVALID_ARGUMENT', message: `Invalid user data in '${file}': Invalid setting 'host-containers.mycontainer.command': ${reason}` });
  }
  assert.deepEqual(await readdir(path.join(root, 'var/lib/berth')), ['datastore'], 'no marker written');

  await writeFile(file, COMMAND_USER_DATA);
  const booted = await boot(root, file);
  t.after(() => booted.close());
  const settings = await booted.client.getSettings();
  assert.deepEqual(settings['host-containers']?.['mycontainer'], {
    enabled: true,
    source: 'uri.to.container.in.oci-compatible-registry.example.com/foo:1.0.0',
    superpowered: false,
    command: ['/usr/bin/my-agent', '--config', '/.bottlerocket/host-containers/current/user-data'],
  });
  assert.deepEqual(settings['bootstrap-containers'], {
    mybootstrap: {
      source: 'uri.to.container.in.oci-compatible-registry.example.com/foo:1.0.0',
      mode: 'once',
      essential: true,
      command: ['/bin/sh', '-c', 'echo hello > /.bottlerocket/bootstrap-containers/current/done'],
    },
  });
});
