import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { startBerthd, until, type BerthdProcess } from '../helpers/berthd-process.js';
import { makeTempRoot } from '../helpers/temp-root.js';
import { hostContainerStatus, runningPid } from '../helpers/container-probe.js';
import { REPO } from '../helpers/repo.js';
import type { AuditRecord } from '../../src/audit/audit-log.js';

/**
 * `api-access` against a real berthd: containers made from the control image (it has what the
 * bind-mounted apiclient needs) call the API from inside, through `apiclient exec`. A read-only
 * container reads but is refused every write, commit and exec with 403, recorded in the audit log,
 * with the settings byte-identical; a `none` container has no socket and no apiclient; control
 * (admin by default) does everything, and a changed api-access replaces only that container.
 */
const root = await makeTempRoot('bacc');
const IMAGES = path.join(REPO, 'build/images');
let berthd: BerthdProcess | undefined;
after(async () => {
  await berthd?.cleanup();
});

/** Where host containers find apiclient (CONTAINER_PATHS.apiclient). */
const APICLIENT_INSIDE = '/usr/local/bin/apiclient';

const statusOf = (name: string) => hostContainerStatus(berthd!, name);
/** `apiclient exec NAME …`: the command runs inside the container, as a user's would. */
const inside = (name: string, ...command: string[]) => berthd!.apiclient('exec', name, ...command);
const apiclientIn = (name: string, ...args: string[]) => inside(name, APICLIENT_INSIDE, ...args);
/** What the API holds, read from the host: the settings and the pending transactions. */
const snapshot = async () => [(await berthd!.apiclient('raw', '-u', '/settings')).stdout, (await berthd!.apiclient('raw', '-u', '/tx/list')).stdout];

const USER_DATA = [
  '[settings.host-containers.ro]',
  'enabled = true',
  `source = "oci-archive:${IMAGES}/control.tar"`,
  'api-access = "read-only"',
  '[settings.host-containers.nope]',
  'enabled = true',
  `source = "oci-archive:${IMAGES}/control.tar"`,
  'api-access = "none"',
  '',
].join('\n');

test('api-access: read-only reads and is refused writes, commits and exec; none has no socket; control keeps full access', async () => {
  const file = path.join(root, 'user-data.toml');
  await writeFile(file, USER_DATA);
  berthd = await startBerthd({ root, args: ['--images-dir', IMAGES, '--user-data', file] });
  const b = berthd;
  const ro = await until('ro running', runningPid(b, 'ro'), 90_000);
  const nope = await until('nope running', runningPid(b, 'nope'), 90_000);
  const control = await until('control running', runningPid(b, 'control'), 90_000);

  // read-only: the GET endpoints work from inside.
  const got = await apiclientIn('ro', 'get', 'host-containers.ro');
  assert.equal(got.code, 0, got.stderr);
  assert.match(got.stdout, /"api-access": "read-only"/);
  for (const args of [['status'], ['audit'], ['logs', 'ro']]) {
    const r = await apiclientIn('ro', ...args);
    assert.equal(r.code, 0, `${args.join(' ')}: ${r.stderr}`);
  }

  // Every change is refused with 403 (exit status 6), naming the container, its level and the request.
  const before = await snapshot();
  const refused: Array<[string[], string]> = [
    [['set', 'host-containers.ro.api-access=admin'], 'PATCH /settings/keypair'],
    [['set', '--json', '{"host-containers":{"ro":{"api-access":"admin"}}}'], 'PATCH /settings'],
    [['raw', '-m', 'PATCH', '-u', '/settings', '-d', '{"host-containers":{"control":{"enabled":false}}}'], 'PATCH /settings'],
    [['raw', '-m', 'POST', '-u', '/tx/commit_and_apply'], 'POST /tx/commit_and_apply'],
    [['exec', 'control', 'true'], 'GET /exec'],
  ];
  for (const [args, request] of refused) {
    const r = await apiclientIn('ro', '-v', ...args);
    assert.equal(r.code, 6, `${args.join(' ')}: ${r.stdout}${r.stderr}`);
    assert.match(`${r.stdout}${r.stderr}`, /^HTTP\/1\.1 403 Forbidden\r?$/m, `${args.join(' ')}: the API's answer is 403: ${r.stdout}${r.stderr}`);
    assert.ok(`${r.stdout}${r.stderr}`.includes(`Host container 'ro' has api-access read-only: ${request} is not allowed`), `${args.join(' ')}: ${r.stdout}${r.stderr}`);
  }
  assert.deepEqual(await snapshot(), before, 'settings and transactions byte-identical');
  assert.equal((await statusOf('control')).pid, control, 'control untouched');

  // Each refusal is in the audit log, with the peer process.
  const audit = await b.apiclient('audit', '--target', 'ro', '--json');
  assert.equal(audit.code, 0, audit.stderr);
  const records = (JSON.parse(audit.stdout) as AuditRecord[]).filter((r) => r.event === 'api-refused');
  // In order; `apiclient set` also tries to drop its transaction after the refusal, refused as well.
  const reasons = records.map((r) => r.reason ?? '');
  let at = 0;
  for (const [, request] of refused) {
    at = reasons.indexOf(`Host container 'ro' has api-access read-only: ${request} is not allowed`, at) + 1;
    assert.ok(at > 0, `${request} refusal in ${JSON.stringify(reasons)}`);
  }
  assert.ok(reasons.every((r) => r.startsWith("Host container 'ro' has api-access read-only: ")), JSON.stringify(reasons));
  for (const r of records) assert.ok(r.actor?.pid !== undefined && r.actor.uid === 0, JSON.stringify(r));

  // none: no socket (neither path), no apiclient, no socket variable; read-only has all of them.
  for (const p of ['/run/api.sock', '/run/berth/api.sock']) {
    assert.equal((await inside('ro', 'test', '-S', p)).code, 0, `ro has ${p}`);
    assert.notEqual((await inside('nope', 'test', '-e', p)).code, 0, `nope has no ${p}`);
  }
  assert.equal((await inside('ro', 'test', '-x', APICLIENT_INSIDE)).code, 0, 'ro has apiclient');
  assert.notEqual((await inside('nope', 'test', '-e', APICLIENT_INSIDE)).code, 0, 'nope has no apiclient');
  assert.doesNotMatch((await inside('nope', 'env')).stdout, /BERTH_API_SOCKET/);

  // control is admin by default: it reads as before, and changes ro's level, which replaces ro alone.
  for (const args of [['get', 'host-containers.ro'], ['status'], ['audit']]) {
    const r = await apiclientIn('control', ...args);
    assert.equal(r.code, 0, `control: ${args.join(' ')}: ${r.stderr}`);
  }
  const set = await apiclientIn('control', 'set', 'host-containers.ro.api-access=admin');
  assert.equal(set.code, 0, set.stderr);
  const ro2 = await until('ro replaced', runningPid(b, 'ro', ro), 90_000);
  assert.equal((await statusOf('control')).pid, control, 'control untouched');
  assert.equal((await statusOf('nope')).pid, nope, 'nope untouched');
  // Now admin, ro may exec; control may exec into it.
  const execFromRo = await apiclientIn('ro', 'exec', 'control', 'true');
  assert.equal(execFromRo.code, 0, execFromRo.stderr);
  const execFromControl = await apiclientIn('control', 'exec', 'ro', 'true');
  assert.equal(execFromControl.code, 0, execFromControl.stderr);
  assert.equal((await statusOf('ro')).pid, ro2);
});
