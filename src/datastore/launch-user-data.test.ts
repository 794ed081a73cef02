import { test } from 'node:test';
import assert from 'node:assert/strict';
import { access, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { defaultSettings } from '../model/index.js';
import { Datastore } from './datastore.js';
import { applyLaunchUserData, LAUNCH_MARKER } from './launch-user-data.js';

const defaults = defaultSettings({ controlSource: 'oci-archive:/c.tar', adminSource: 'oci-archive:/a.tar' });

async function setup(t: { after(fn: () => Promise<void>): void }) {
  const root = await mkdtemp(path.join(tmpdir(), 'berth-launch-'));
  t.after(() => rm(root, { recursive: true, force: true }));
  const datastore = await Datastore.open({ dir: path.join(root, 'datastore'), defaults });
  return { root, datastore, file: path.join(root, 'user-data.toml'), markerDir: root };
}

const missing = async (file: string): Promise<boolean> => access(file).then(() => false, () => true);

test('applyLaunchUserData() commits the [settings] table once, as berth-launch', async (t) => {
  const { datastore, file, markerDir } = await setup(t);
  await writeFile(file, '[settings.host-containers.admin]\nenabled = true\n');
  const seen: string[][] = [];
  datastore.subscribe((keys) => seen.push(keys));
  assert.deepEqual(await applyLaunchUserData({ datastore, file, markerDir }), { applied: true, changedKeys: ['settings.host-containers.admin.enabled'] });
  assert.deepEqual(seen, [['settings.host-containers.admin.enabled']]);
  assert.equal(datastore.live()['host-containers']?.admin?.enabled, true);
  // A later start finds the marker and leaves settings alone, even if the file changed.
  await datastore.patch('default', { 'host-containers': { admin: { enabled: false } } });
  await datastore.commit('default');
  await writeFile(file, '[settings.host-containers.admin]\nenabled = true\n');
  assert.deepEqual(await applyLaunchUserData({ datastore, file, markerDir }), { applied: false, changedKeys: [] });
  assert.equal(datastore.live()['host-containers']?.admin?.enabled, false);
});

test('applyLaunchUserData() names the TOML line or the setting, and commits nothing', async (t) => {
  const { datastore, file, markerDir } = await setup(t);
  const cases: Array<[string, RegExp]> = [
    ['[settings.host-containers.admin]\nenabled = true\nsuperpowered = \n', /^Invalid TOML in '.*user-data\.toml' at line 3, column 16: /],
    ['[settings.host-containers.admin]\nenabled = "yes"\n', /^Invalid user data in '.*user-data\.toml': Invalid setting 'host-containers\.admin\.enabled': expected a boolean, got "yes"$/],
    ['[settings.host-containers.admin]\nenabled = true\n[settings.motd]\nx = 1\n', /Unknown setting 'motd'/],
    ['[host-containers.admin]\nenabled = true\n', /unknown top-level key 'host-containers'/],
  ];
  for (const [text, want] of cases) {
    await writeFile(file, text);
    await assert.rejects(applyLaunchUserData({ datastore, file, markerDir }), (err: Error & { code?: string }) => {
      assert.equal(err.code, 'INVALID_ARGUMENT');
      assert.match(err.message, want);
      return true;
    });
    assert.equal(datastore.generation, 0);
    assert.deepEqual(datastore.listTransactions(), []);
    assert.ok(await missing(path.join(markerDir, LAUNCH_MARKER)));
  }
  await assert.rejects(applyLaunchUserData({ datastore, file: path.join(markerDir, 'nope.toml'), markerDir }), { code: 'NOT_FOUND' });
});

test('applyLaunchUserData() with an empty [settings] table writes the marker and commits nothing', async (t) => {
  const { datastore, file, markerDir } = await setup(t);
  await writeFile(file, '[settings]\n');
  assert.deepEqual(await applyLaunchUserData({ datastore, file, markerDir }), { applied: true, changedKeys: [] });
  assert.equal(datastore.generation, 0);
  assert.ok(!(await missing(path.join(markerDir, LAUNCH_MARKER))));
});
