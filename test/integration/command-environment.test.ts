import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { startBerthd, until, type BerthdProcess } from '../helpers/berthd-process.js';
import { makeTempRoot } from '../helpers/temp-root.js';
import { argvOf, envOf, hostContainerStatus, runningPid } from '../helpers/container-probe.js';
import { START_SCRIPT, testImagesDir } from '../helpers/test-images-dir.js';
import { testImageArchive } from '../helpers/test-image.js';

/**
 * `command` and `environment` end to end: boot user data sets them, the live processes show them
 * (argv in /proc/<pid>/cmdline, variables in /proc/<pid>/environ), `apiclient set` changes them by
 * replacing that one container, and bad values are refused with the key named.
 */
const root = await makeTempRoot('bcmd');
let berthd: BerthdProcess | undefined;
after(async () => {
  await berthd?.cleanup();
});

/** sh stays the container's first process (no exec), so its argv is the one berth gave it. */
const LOOP = 'trap "exit 0" TERM; while :; do sleep 1; done';
const AGENT_COMMAND = ['/bin/sh', '-c', LOOP, 'agent-arg0', '', 'two words'];

const statusOf = (name: string) => hostContainerStatus(berthd!, name);
const setJson = (settings: unknown) => berthd!.apiclient('set', '--json', JSON.stringify(settings));

function userData(source: string): string {
  return [
    '[settings.host-containers.agent]',
    'enabled = true',
    `source = "${source}"`,
    `command = ${JSON.stringify(AGENT_COMMAND)}`,
    '[settings.host-containers.agent.environment]',
    'GREETING = "hello world"',
    'MY_VAR = "from settings"',
    'BERTH_API_SOCKET = "/not/berths"',
    '[settings.host-containers.peer]',
    'enabled = true',
    `source = "${source}"`,
    '[settings.host-containers.peer.environment]',
    'PEER = "1"',
    '[settings.bootstrap-containers.setup]',
    `source = "${source}"`,
    'mode = "once"',
    `command = ["/bin/sh", "-c", "echo \\"ran $0\\" > /.bottlerocket/bootstrap-containers/current/done", "by-command"]`,
    '',
  ].join('\n');
}

test('command and environment from boot user data run as written; apiclient set replaces only that container; bad values are refused', async () => {
  const imagesDir = await testImagesDir(root);
  const archive = await testImageArchive({ extraFiles: { '/usr/bin/start': START_SCRIPT }, entrypoint: ['/usr/bin/start'], env: ['MY_VAR=image', 'IMAGE_VAR=image'] });
  const file = path.join(root, 'user-data.toml');
  await writeFile(file, userData(`oci-archive:${archive}`));
  berthd = await startBerthd({ root, args: ['--images-dir', imagesDir, '--user-data', file] });
  const b = berthd;

  // The bootstrap container ran its command, not the image's entrypoint.
  assert.equal(await readFile(path.join(b.paths.bootstrapContainers, 'setup', 'done'), 'utf8'), 'ran by-command\n');

  // agent runs exactly its command, with the image's environment under the settings' and berth's on top.
  const agent = await until('agent running', runningPid(b, 'agent'));
  assert.deepEqual(await argvOf(agent), AGENT_COMMAND);
  const env = await envOf(agent);
  for (const v of ['PATH=/bin', 'IMAGE_VAR=image', 'MY_VAR=from settings', 'GREETING=hello world', 'BERTH_API_SOCKET=/run/berth/api.sock']) {
    assert.ok(env.includes(v), `${v} in ${JSON.stringify(env)}`);
  }
  assert.ok(!env.includes('MY_VAR=image'), 'the settings value replaces the image one');
  // peer has no command: the image's entrypoint and cmd (the base image's /bin/sh), run by its shebang.
  const peer = await until('peer running', runningPid(b, 'peer'));
  assert.deepEqual(await argvOf(peer), ['/bin/sh', '/usr/bin/start', '/bin/sh']);
  assert.ok((await envOf(peer)).includes('PEER=1'));
  const control = await until('control running', runningPid(b, 'control'));

  // A new command replaces agent alone.
  const newCommand = ['/bin/sh', '-c', LOOP, 'second'];
  const set1 = await setJson({ 'host-containers': { agent: { command: newCommand } } });
  assert.equal(set1.code, 0, set1.stderr);
  const agent2 = await until('agent replaced', runningPid(b, 'agent', agent));
  assert.deepEqual(await argvOf(agent2), newCommand);
  assert.ok((await envOf(agent2)).includes('GREETING=hello world'), 'the environment is kept');

  // A new environment replaces agent alone, as a whole table.
  const set2 = await setJson({ 'host-containers': { agent: { environment: { GREETING: 'bye' } } } });
  assert.equal(set2.code, 0, set2.stderr);
  const agent3 = await until('agent replaced again', runningPid(b, 'agent', agent2));
  const env3 = await envOf(agent3);
  assert.ok(env3.includes('GREETING=bye'));
  assert.ok(env3.includes('MY_VAR=image'), 'MY_VAR is no longer set by the settings: the image value shows again');
  assert.equal((await statusOf('peer')).pid, peer, 'peer untouched');
  assert.equal((await statusOf('control')).pid, control, 'control untouched');

  // Bad values: refused with the key named, and nothing changes.
  const before = (await b.apiclient('raw', '-u', '/settings')).stdout;
  const refused: Array<[string[], RegExp]> = [
    [['set', 'host-containers.agent.command=/bin/sh'], /Invalid setting 'host-containers\.agent\.command': expected a list of strings, got "\/bin\/sh"/],
    [['set', '--json', JSON.stringify({ 'host-containers': { agent: { command: ['/bin/sh', 7] } } })], /'host-containers\.agent\.command': item 1 is not a string/],
    [['set', '--json', JSON.stringify({ 'host-containers': { agent: { environment: { 'A=B': 'x' } } } })], /'host-containers\.agent\.environment': variable name "A=B"/],
    [['set', '--json', JSON.stringify({ 'host-containers': { agent: { environment: { 'A\0B': 'x' } } } })], /'host-containers\.agent\.environment': variable name "A\\u0000B"/],
    [['set', '--json', JSON.stringify({ 'host-containers': { agent: { environment: { A: 'x\0y' } } } })], /'host-containers\.agent\.environment': variable A: value contains a NUL/],
  ];
  for (const [args, message] of refused) {
    const r = await b.apiclient(...args);
    assert.notEqual(r.code, 0, args.join(' '));
    assert.match(r.stderr, message);
  }
  assert.equal((await b.apiclient('raw', '-u', '/settings')).stdout, before, 'settings byte-identical');
  assert.equal((await statusOf('agent')).pid, agent3, 'agent untouched by refused input');
});
