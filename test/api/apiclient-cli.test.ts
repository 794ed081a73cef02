import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { startApi, TEST_DEFAULTS, type ApiFixture } from './api-fixture.js';
import { runCli, type Run } from './run-apiclient.js';

/** `apiclient` end to end: the built CLI spawned as a process against a real server on a real socket. */

function assertOneLineError(run: Run, message: string | RegExp, code: number): void {
  assert.equal(run.code, code, `exit status (stderr: ${run.stderr})`);
  assert.equal(run.stdout, '');
  assert.ok(run.stderr.endsWith('\n') && run.stderr.split('\n').length === 2, `one line: ${JSON.stringify(run.stderr)}`);
  const line = run.stderr.slice(0, -1);
  if (typeof message === 'string') assert.equal(line, `apiclient: ${message}`);
  else assert.match(line, message);
}

async function unchanged(api: ApiFixture, fn: () => Promise<void>): Promise<void> {
  const before = { live: api.datastore.live(), list: api.datastore.listTransactions() };
  await fn();
  assert.deepEqual({ live: api.datastore.live(), list: api.datastore.listTransactions() }, before, 'settings and pending transactions unchanged');
}

test('apiclient get prints all settings, those under prefixes, or a URI', async (t) => {
  const api = await startApi(t);
  const s = ['-s', api.socketPath];
  const all = await runCli([...s, 'get']);
  assert.equal(all.code, 0, all.stderr);
  assert.deepEqual(JSON.parse(all.stdout), { settings: TEST_DEFAULTS });
  assert.equal(all.stdout, `${JSON.stringify({ settings: TEST_DEFAULTS }, null, 2)}\n`);
  const two = await runCli([...s, 'get', 'host-containers.admin.enabled', 'settings.host-containers.control.source']);
  assert.deepEqual(JSON.parse(two.stdout), { settings: { 'host-containers': { admin: { enabled: false }, control: { source: 'oci-archive:/images/control.tar' } } } });
  assert.deepEqual(JSON.parse((await runCli([...s, 'get', '/tx/list'])).stdout), []);
  assert.deepEqual(JSON.parse((await runCli(['get', 'host-containers.admin.superpowered'], { env: { BERTH_API_SOCKET: api.socketPath } })).stdout), {
    settings: { 'host-containers': { admin: { superpowered: true } } },
  });
  assert.deepEqual(JSON.parse((await runCli(['get', '-s', api.socketPath, 'container-registry'])).stdout), { settings: {} });
});

test('apiclient set KEY=VALUE and set --json change live settings through a committed transaction', async (t) => {
  const api = await startApi(t);
  const heard: string[][] = [];
  api.datastore.subscribe((keys) => heard.push(keys));
  const set = await runCli(['-s', api.socketPath, 'set', 'host-containers.admin.enabled=true', 'settings.host-containers.admin.superpowered=false']);
  assert.deepEqual(set, { code: 0, stdout: '', stderr: '' });
  assert.deepEqual(api.datastore.live()['host-containers']?.admin, { source: 'oci-archive:/images/admin.tar', enabled: true, superpowered: false });
  assert.deepEqual(api.datastore.listTransactions(), []);
  assert.deepEqual(heard, [['settings.host-containers.admin.enabled', 'settings.host-containers.admin.superpowered']]);
  const json = await runCli(['-s', api.socketPath, 'set', '--json', '{"host-containers":{"box":{"source":"localhost:5000/box","enabled":true,"user-data":"eyJzc2giOnt9fQ=="}}}']);
  assert.equal(json.code, 0, json.stderr);
  assert.deepEqual(api.datastore.live()['host-containers']?.box, { source: 'localhost:5000/box', enabled: true, 'user-data': 'eyJzc2giOnt9fQ==' });
  const wrapped = await runCli(['-s', api.socketPath, 'set', '-j', '{"settings":{"host-containers":{"box":{"enabled":false}}}}']);
  assert.equal(wrapped.code, 0, wrapped.stderr);
  assert.equal(api.datastore.live()['host-containers']?.box?.enabled, false);
  const same = await runCli(['-s', api.socketPath, 'set', 'host-containers.box.enabled=false']);
  assert.equal(same.code, 0, 'setting a value to itself succeeds');
  assert.equal(heard.length, 3, 'and announces nothing');
});

test('apiclient apply takes TOML and JSON user data from files and stdin, all in one transaction', async (t) => {
  const api = await startApi(t);
  const heard: string[][] = [];
  api.datastore.subscribe((keys) => heard.push(keys));
  const toml = path.join(api.root, 'a.toml');
  const json = path.join(api.root, 'b.json');
  await writeFile(toml, '[settings.host-containers.admin]\nenabled = true\n');
  await writeFile(json, JSON.stringify({ settings: { 'host-containers': { box: { source: 'localhost:5000/box', enabled: true } } } }));
  const files = await runCli(['-s', api.socketPath, 'apply', toml, `file://${json}`]);
  assert.deepEqual(files, { code: 0, stdout: '', stderr: '' });
  assert.deepEqual(heard, [['settings.host-containers.admin.enabled', 'settings.host-containers.box.enabled', 'settings.host-containers.box.source']], 'one commit for both files');
  const stdin = await runCli(['-s', api.socketPath, 'apply', '-'], { input: '[settings.host-containers.box]\nenabled = false\n' });
  assert.equal(stdin.code, 0, stdin.stderr);
  assert.equal(api.datastore.live()['host-containers']?.box?.enabled, false);
  const implicit = await runCli(['-s', api.socketPath, 'apply'], { input: '{"settings":{"host-containers":{"admin":{"enabled":false}}}}' });
  assert.equal(implicit.code, 0, implicit.stderr);
  assert.equal(api.datastore.live()['host-containers']?.admin?.enabled, false);
  assert.deepEqual(api.datastore.listTransactions(), []);
});

test('apiclient raw sends a request and prints the reply; it is also the default command', async (t) => {
  const api = await startApi(t);
  const s = ['-s', api.socketPath];
  const patch = await runCli([...s, 'raw', '-m', 'PATCH', '-u', '/settings?tx=r', '-d', '{"host-containers":{"admin":{"enabled":true}}}']);
  assert.deepEqual(patch, { code: 0, stdout: '', stderr: '' });
  assert.deepEqual(JSON.parse((await runCli([...s, 'raw', '-u', '/tx?tx=r'])).stdout), { 'host-containers': { admin: { enabled: true } } });
  const commit = await runCli([...s, '-u', '/tx/commit_and_apply?tx=r', '-X', 'POST']);
  assert.equal(commit.code, 0, commit.stderr);
  assert.deepEqual(JSON.parse(commit.stdout), ['settings.host-containers.admin.enabled']);
  assert.equal(api.datastore.live()['host-containers']?.admin?.enabled, true);
});

test('apiclient exits non-zero with one error line on bad input, and changes nothing', async (t) => {
  const api = await startApi(t);
  const s = ['-s', api.socketPath];
  const bad = path.join(api.root, 'bad.toml');
  await writeFile(bad, '[settings.host-containers.admin]\nenabled = true\nsuperpowered =\n');
  await unchanged(api, async () => {
    assertOneLineError(await runCli([...s, 'set', 'host-containers.admin.enabled']), "Invalid argument 'host-containers.admin.enabled': expected KEY=VALUE", 2);
    assertOneLineError(await runCli([...s, 'set', 'host-containers.admin.enabled=yes']), 'Invalid setting \'host-containers.admin.enabled\': expected a boolean, got "yes"', 2);
    assertOneLineError(await runCli([...s, 'set', 'host-containers.admin.enabled=true', 'motd=hi']), /^apiclient: Unknown setting 'motd'/, 2);
    assertOneLineError(await runCli([...s, 'set', '--json', '{"host-containers":']), /^apiclient: Invalid --json value: /, 2);
    assertOneLineError(await runCli([...s, 'set', '--json', '[1]']), 'Invalid --json value: expected a JSON object of settings', 2);
    assertOneLineError(await runCli([...s, 'set']), 'set needs KEY=VALUE arguments or --json, and not both', 2);
    assertOneLineError(await runCli([...s, 'apply', bad]), new RegExp(`^apiclient: Invalid TOML in '${bad}' at line 3, column 15: `), 2);
    assertOneLineError(await runCli([...s, 'apply', '-'], { input: '[settings.host-containers.admin]\nenabled = "yes"\n' }), 'Invalid setting \'host-containers.admin.enabled\': expected a boolean, got "yes"', 2);
    assertOneLineError(await runCli([...s, 'apply', '-'], { input: '[host-containers.admin]\nenabled = true\n' }), "Invalid user data in stdin: unknown top-level key 'host-containers' (only 'settings' is allowed)", 2);
    assertOneLineError(await runCli([...s, 'apply', path.join(api.root, 'missing.toml')]), `Cannot read '${path.join(api.root, 'missing.toml')}': ENOENT`, 2);
    assertOneLineError(await runCli([...s, 'apply', 'http://example.com/u.toml']), /^apiclient: Cannot apply 'http:\/\/example\.com\/u\.toml': http:\/\/ is allowed only to a loopback address/, 2);
    assertOneLineError(await runCli([...s, 'apply', '/dev/zero']), "Cannot apply '/dev/zero': larger than the limit of 1048576 bytes", 2);
    assertOneLineError(await runCli([...s, 'apply', '-'], { input: `# ${'x'.repeat(1024 * 1024)}\n` }), 'Cannot apply stdin: larger than the limit of 1048576 bytes', 2);
    assertOneLineError(await runCli([...s, 'raw', '-u', '/nope']), 'No such endpoint: GET /nope', 3);
    assertOneLineError(await runCli([...s, 'raw', '-m', 'POST', '-u', '/tx/commit?tx=none']), "Transaction 'none' has no pending changes to commit", 5);
    assertOneLineError(await runCli([...s, 'raw', '-u', 'settings']), "Invalid URI 'settings': it must start with '/'", 2);
    assertOneLineError(await runCli([...s, 'get', '/settings', 'host-containers']), 'get takes either one /URI or key prefixes, not both', 2);
    assertOneLineError(await runCli([...s, 'bogus']), "unknown command 'bogus' (commands: get, set, apply, raw, exec, logs, status, audit, retry-boot, help)", 2);
    assertOneLineError(await runCli([...s, 'get', '--zz']), "unknown option '--zz'", 2);
    assertOneLineError(await runCli([...s, '-v', 'bogus']), "unknown command 'bogus' (commands: get, set, apply, raw, exec, logs, status, audit, retry-boot, help)", 2);
    assertOneLineError(await runCli([...s, 'apply', '-v', '--vv']), "unknown option '--vv'", 2);
    assertOneLineError(await runCli([...s, 'raw']), "required option '-u, --uri <uri>' not specified", 2);
  });
  assertOneLineError(await runCli(['-s', path.join(api.root, 'nothing.sock'), 'get']), /^apiclient: Cannot reach the berth API at '.*nothing\.sock': no such socket/, 7);
});

test('apiclient -v/--verbose prints the status line of each response to stderr, before or after the subcommand', async (t) => {
  const api = await startApi(t);
  const get = await runCli(['-v', '-s', api.socketPath, 'get', 'host-containers.admin.enabled']);
  assert.equal(get.code, 0);
  assert.equal(get.stderr, 'HTTP/1.1 200 OK\n');
  assert.deepEqual(JSON.parse(get.stdout), { settings: { 'host-containers': { admin: { enabled: false } } } });
  const set = await runCli(['-s', api.socketPath, 'set', '--verbose', 'host-containers.admin.enabled=true']);
  assert.deepEqual(set, { code: 0, stdout: '', stderr: 'HTTP/1.1 204 No Content\nHTTP/1.1 200 OK\n' });
  const failed = await runCli(['-s', api.socketPath, '-v', 'raw', '-u', '/nope']);
  assert.deepEqual([failed.code, failed.stderr], [3, 'HTTP/1.1 404 Not Found\napiclient: No such endpoint: GET /nope\n']);
  assert.equal((await runCli(['-s', api.socketPath, 'get'])).stderr, '', 'quiet without -v');
});

test('apiclient --help prints usage and exits 0', async () => {
  const help = await runCli(['--help']);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /Usage: apiclient/);
  for (const cmd of ['get', 'set', 'apply', 'raw']) assert.match(help.stdout, new RegExp(`\\n  ${cmd} `));
});
