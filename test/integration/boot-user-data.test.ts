import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { startBerthd, until, type BerthdProcess } from '../helpers/berthd-process.js';
import { makeTempRoot, removeTempRoot } from '../helpers/temp-root.js';
import { testImagesDir } from '../helpers/test-images-dir.js';

/**
 * Boot user data as a real host gets it: a cloud-init NoCloud seed (a filesystem labelled CIDATA
 * holding `user-data`; here an ext4 image berthd mounts through a loop device) and a file, applied
 * on the first start. Invalid user data must not lock the operator out: berthd comes up with the
 * settings it had, and the error is in `apiclient status`.
 */
async function seedImage(dir: string, userData: string): Promise<string> {
  const content = path.join(dir, 'seed');
  await mkdir(content, { recursive: true });
  await writeFile(path.join(content, 'user-data'), userData);
  await writeFile(path.join(content, 'meta-data'), 'instance-id: berth-test\n');
  const image = path.join(dir, 'seed.img');
  execFileSync('mke2fs', ['-q', '-t', 'ext4', '-L', 'CIDATA', '-d', content, image, '4M'], { stdio: 'ignore' });
  return image;
}

async function boot(t: { after(fn: () => Promise<void>): void }, userData: string, extra: string[] = []): Promise<BerthdProcess> {
  const root = await makeTempRoot('bud');
  const b = await startBerthd({ root, args: ['--images-dir', await testImagesDir(root), '--nocloud', await seedImage(root, userData), ...extra] });
  t.after(async () => {
    await b.cleanup();
  });
  await until('control running', async () => (await b.get<{ state: string }>('/host-containers/control')).state === 'running');
  return b;
}

const adminEnabled = async (b: BerthdProcess) => (await b.get<{ 'host-containers': { admin: { enabled: boolean } } }>('/settings'))['host-containers'].admin.enabled;

test('a NoCloud seed and a user-data file are applied on the first start, the file winning', async (t) => {
  const root = await makeTempRoot('budf');
  t.after(() => removeTempRoot(root).then(() => undefined));
  const file = path.join(root, 'user-data.toml');
  await writeFile(file, '[settings.host-containers.admin]\nsuperpowered = false\n');
  const b = await boot(t, '[settings.host-containers.admin]\nenabled = true\nsuperpowered = true\n', ['--user-data', file]);
  await until('admin enabled by the seed', () => adminEnabled(b));
  const admin = (await b.get<{ 'host-containers': { admin: { superpowered: boolean } } }>('/settings'))['host-containers'].admin;
  assert.equal(admin.superpowered, false, 'the file is applied after the seed');
  const status = JSON.parse((await b.apiclient('status', '--json')).stdout) as { boot: { userData: { applied: boolean; sources: string[] } } };
  assert.equal(status.boot.userData.applied, true);
  assert.deepEqual(status.boot.userData.sources.length, 2);
  assert.ok(await readFile(path.join(b.paths.userDataMarker), 'utf8'));
});

for (const [what, userData, error] of [
  ['invalid TOML', '[settings.host-containers.admin]\nenabled = true\nsuperpowered = \n', /Invalid TOML in the NoCloud seed \(.*seed\.img\) at line 3/],
  ['an unknown setting', '[settings.host-containers.admin]\nenabled = true\n[settings.frobnicate]\nx = 1\n', /Unknown setting 'frobnicate'/],
] as const) {
  test(`a NoCloud seed with ${what}: berthd comes up with its defaults, nothing applied, the error in apiclient status`, async (t) => {
    const b = await boot(t, userData);
    assert.equal(await adminEnabled(b), false, 'nothing was half-applied');
    const table = await b.apiclient('status');
    assert.equal(table.code, 0, table.stderr);
    assert.match(table.stdout, /^BOOT: user data not applied \(the NoCloud seed/);
    assert.match(table.stdout, error);
    assert.match(table.stdout, /^control\s+running/m);
    assert.ok(b.lines.some((l) => l.includes('boot user data refused')), 'the journal says so too');
  });
}

test('a NoCloud seed written for a Bottlerocket host: its kubernetes and motd settings are skipped with a warning, its host containers run', async (t) => {
  const userData = [
    '[settings]',
    'motd = "Welcome to a node"',
    '[settings.kubernetes]',
    'cluster-name = "prod"',
    'api-server = "https://k8s.example"',
    '[settings.kubernetes.node-labels]',
    'team = "infra"',
    '[settings.host-containers.admin]',
    'enabled = true',
    '',
  ].join('\n');
  const b = await boot(t, userData);
  await until('admin running', async () => (await b.get<{ state: string }>('/host-containers/admin')).state === 'running');
  const status = JSON.parse((await b.apiclient('status', '--json')).stdout) as { boot: { userData: { applied: boolean; skipped: string[]; error?: string } } };
  assert.deepEqual(status.boot.userData, { ...status.boot.userData, applied: true, skipped: ['motd', 'kubernetes'] });
  assert.equal(status.boot.userData.error, undefined);
  const table = await b.apiclient('status');
  assert.match(table.stdout, /^BOOT: user data applied \(the NoCloud seed .*\); skipped settings berth does not own: motd, kubernetes$/m);
  assert.match(table.stdout, /^admin\s+running/m);
  const warning = b.lines.find((l) => l.includes('skipped settings berth does not own'));
  assert.ok(warning, 'the journal names them too');
  assert.deepEqual((JSON.parse(warning) as { skipped: string[] }).skipped, ['motd', 'kubernetes']);
});
