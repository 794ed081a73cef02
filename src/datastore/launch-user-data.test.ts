import { test } from 'node:test';
import assert from 'node:assert/strict';
import { access, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { defaultSettings } from '../model/index.js';
import { Datastore } from './datastore.js';
import { applyLaunchUserData } from './launch-user-data.js';

const defaults = defaultSettings({ controlSource: 'oci-archive:/c.tar', adminSource: 'oci-archive:/a.tar' });

async function setup(t: { after(fn: () => Promise<void>): void }) {
  const root = await mkdtemp(path.join(tmpdir(), 'berth-launch-'));
  t.after(() => rm(root, { recursive: true, force: true }));
  const datastore = await Datastore.open({ dir: path.join(root, 'datastore'), defaults });
  return { datastore, marker: path.join(root, 'data/launch-user-data.applied') };
}

const missing = async (file: string): Promise<boolean> => access(file).then(() => false, () => true);
const doc = (text: string, name = "'/etc/berth/user-data.toml'") => ({ name, text });

test('applyLaunchUserData() commits the [settings] tables once, as berth-launch, later documents winning', async (t) => {
  const { datastore, marker } = await setup(t);
  const seen: string[][] = [];
  datastore.subscribe((keys) => seen.push(keys));
  const documents = [doc('[settings.host-containers.admin]\nenabled = true\nsuperpowered = false\n'), doc('[settings.host-containers.admin]\nsuperpowered = true\n', 'the NoCloud seed')];
  assert.deepEqual(await applyLaunchUserData({ datastore, documents, marker }), { applied: true, changedKeys: ['settings.host-containers.admin.enabled'], skipped: [] });
  assert.deepEqual(seen, [['settings.host-containers.admin.enabled']]);
  assert.equal(datastore.live()['host-containers']?.admin?.enabled, true);
  assert.equal(datastore.live()['host-containers']?.admin?.superpowered, true);
  // A later start finds the marker and leaves settings alone, even if the documents changed.
  await datastore.patch('default', { 'host-containers': { admin: { enabled: false } } });
  await datastore.commit('default');
  assert.deepEqual(await applyLaunchUserData({ datastore, documents, marker }), { applied: false, changedKeys: [], skipped: [] });
  assert.equal(datastore.live()['host-containers']?.admin?.enabled, false);
});

test('applyLaunchUserData() names the document and the TOML line or setting, and applies none of them', async (t) => {
  const { datastore, marker } = await setup(t);
  const good = doc('[settings.host-containers.admin]\nenabled = true\n', "'/etc/berth/user-data.toml'");
  const cases: Array<[string, RegExp]> = [
    ['[settings.host-containers.admin]\nenabled = true\nsuperpowered = \n', /^Invalid TOML in the NoCloud seed at line 3, column 16: /],
    ['[settings.host-containers.admin]\nenabled = "yes"\n', /^Invalid user data in the NoCloud seed: Invalid setting 'host-containers\.admin\.enabled': expected a boolean, got "yes"$/],
    ['[settings.host-containers.admin]\nenabled = true\n[settings.frobnicate]\nx = 1\n', /Unknown setting 'frobnicate'/],
    ['[settings.kubernetes]\ncluster-name = "c"\n[settings.host-containers.admin]\ncolour = "red"\n', /Unknown setting 'host-containers\.admin\.colour'/],
    ['[host-containers.admin]\nenabled = true\n', /unknown top-level key 'host-containers'/],
  ];
  for (const [text, want] of cases) {
    await assert.rejects(applyLaunchUserData({ datastore, documents: [good, doc(text, 'the NoCloud seed')], marker }), (err: Error & { code?: string }) => {
      assert.equal(err.code, 'INVALID_ARGUMENT');
      assert.match(err.message, want);
      return true;
    });
    assert.equal(datastore.generation, 0, 'the valid document was not applied either');
    assert.deepEqual(datastore.listTransactions(), []);
    assert.ok(await missing(marker));
  }
});

test('applyLaunchUserData() with an empty [settings] table, or no document, writes the marker and commits nothing', async (t) => {
  const { datastore, marker } = await setup(t);
  assert.deepEqual(await applyLaunchUserData({ datastore, documents: [doc('[settings]\n')], marker }), { applied: true, changedKeys: [], skipped: [] });
  assert.equal(datastore.generation, 0);
  assert.ok(!(await missing(marker)));
});

test('applyLaunchUserData() skips the sections of other parts of a Bottlerocket host, naming each once, and applies the rest', async (t) => {
  const { datastore, marker } = await setup(t);
  const documents = [
    doc('[settings]\nmotd = "Welcome"\n[settings.kubernetes]\ncluster-name = "prod"\n[settings.host-containers.admin]\nenabled = true\n'),
    doc('[settings.ntp]\ntime-servers = ["169.254.169.123"]\n[settings.kubernetes.node-labels]\nteam = "a"\n', 'the NoCloud seed'),
  ];
  assert.deepEqual(await applyLaunchUserData({ datastore, documents, marker }), {
    applied: true,
    changedKeys: ['settings.host-containers.admin.enabled'],
    skipped: ['motd', 'kubernetes', 'ntp'],
  });
  assert.deepEqual(Object.keys(datastore.live()), ['host-containers'], 'nothing of the skipped sections is stored');
});
