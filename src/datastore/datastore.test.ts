import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { defaultSettings, type Settings } from '../model/index.js';
import { Datastore } from './datastore.js';
import { DATASTORE_FILE } from './datastore-file.js';

const defaults = defaultSettings({ controlSource: 'oci-archive:/images/control.tar', adminSource: 'oci-archive:/images/admin.tar' });

async function tempDir(t: { after(fn: () => Promise<void>): void }): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'berth-ds-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

test('a new datastore reads the defaults and stores nothing', async (t) => {
  const dir = await tempDir(t);
  const ds = await Datastore.open({ dir, defaults });
  assert.deepEqual(ds.live(), defaults);
  assert.deepEqual(ds.stored(), {});
  assert.equal(ds.generation, 0);
  assert.deepEqual(ds.listTransactions(), []);
  assert.ok(Object.isFrozen(ds.live()['host-containers']?.admin));
});

test('patch, read the pending transaction, commit: changed keys, live settings, and they survive a reopen', async (t) => {
  const dir = await tempDir(t);
  const ds = await Datastore.open({ dir, defaults });
  await ds.patch('default', { 'host-containers': { admin: { enabled: true } } });
  await ds.patch('default', { 'host-containers': { box: { source: 'localhost:5000/box', enabled: true } } });
  assert.deepEqual(ds.listTransactions(), ['default']);
  assert.deepEqual(ds.transaction('default'), { 'host-containers': { admin: { enabled: true }, box: { source: 'localhost:5000/box', enabled: true } } });
  assert.equal(ds.live()['host-containers']?.admin?.enabled, false, 'pending is not live');
  const changed = await ds.commit('default');
  assert.deepEqual(changed, ['settings.host-containers.admin.enabled', 'settings.host-containers.box.enabled', 'settings.host-containers.box.source']);
  assert.deepEqual(ds.listTransactions(), []);
  assert.equal(ds.live()['host-containers']?.admin?.enabled, true);
  assert.equal(ds.live()['host-containers']?.admin?.superpowered, true, 'defaults still merged in');
  const again = await Datastore.open({ dir, defaults });
  assert.deepEqual(again.live(), ds.live());
  assert.deepEqual(again.stored(), { 'host-containers': { admin: { enabled: true }, box: { source: 'localhost:5000/box', enabled: true } } });
  assert.equal(again.generation, 1);
});

test('setting a key to the value it has, even a default one, changes nothing', async (t) => {
  const ds = await Datastore.open({ dir: await tempDir(t), defaults });
  await ds.patch('tx1', { 'host-containers': { admin: { enabled: false }, control: { enabled: true } } });
  assert.deepEqual(await ds.commit('tx1'), []);
  assert.deepEqual(ds.listTransactions(), []);
});

test('committing a transaction with nothing pending is FAILED_PRECONDITION', async (t) => {
  const ds = await Datastore.open({ dir: await tempDir(t), defaults });
  await assert.rejects(ds.commit('nothing'), { code: 'FAILED_PRECONDITION', message: "Transaction 'nothing' has no pending changes to commit" });
  await ds.patch('empty', {});
  assert.deepEqual(ds.listTransactions(), [], 'an empty patch opens no transaction');
});

test('a rejected patch leaves pending and live settings and the file untouched', async (t) => {
  const dir = await tempDir(t);
  const ds = await Datastore.open({ dir, defaults });
  await ds.patch('default', { 'host-containers': { admin: { enabled: true } } });
  await ds.commit('default');
  await ds.patch('default', { 'host-containers': { control: { enabled: false } } });
  const file = await readFile(path.join(dir, DATASTORE_FILE), 'utf8');
  const before = { live: ds.live(), tx: ds.transaction('default') };
  for (const bad of [
    { 'host-containers': { control: { enabled: true }, admin: { enabled: 'yes' } } },
    { 'host-containers': { 'bad/name': { enabled: true } } },
    { unknown: 1 },
    [],
    'x',
  ]) {
    await assert.rejects(ds.patch('default', bad), { code: 'INVALID_ARGUMENT' });
  }
  await assert.rejects(ds.patch('../x', { 'host-containers': { admin: { enabled: true } } }), { code: 'INVALID_ARGUMENT', message: /Invalid transaction name/ });
  assert.deepEqual({ live: ds.live(), tx: ds.transaction('default') }, before);
  assert.equal(await readFile(path.join(dir, DATASTORE_FILE), 'utf8'), file);
});

test('null resets a key or a whole container to its default', async (t) => {
  const ds = await Datastore.open({ dir: await tempDir(t), defaults });
  await ds.patch('a', { 'host-containers': { admin: { enabled: true, 'user-data': 'eA==' }, box: { source: 'box', enabled: true } } });
  await ds.commit('a');
  await ds.patch('b', { 'host-containers': { admin: { 'user-data': null }, box: null } });
  assert.deepEqual(ds.transaction('b'), { 'host-containers': { admin: { 'user-data': null }, box: null } });
  assert.deepEqual(await ds.commit('b'), ['settings.host-containers.admin.user-data', 'settings.host-containers.box.enabled', 'settings.host-containers.box.source']);
  assert.deepEqual(ds.stored(), { 'host-containers': { admin: { enabled: true } } });
  await ds.patch('c', { 'host-containers': { admin: null } });
  assert.deepEqual(await ds.commit('c'), ['settings.host-containers.admin.enabled']);
  assert.deepEqual(ds.live(), defaults);
});

test('dropTransaction() returns the keys it held and nothing for an unknown transaction', async (t) => {
  const ds = await Datastore.open({ dir: await tempDir(t), defaults });
  await ds.patch('x', { 'host-containers': { admin: { enabled: true, superpowered: false }, old: null } });
  assert.deepEqual(await ds.dropTransaction('x'), ['settings.host-containers.admin.enabled', 'settings.host-containers.admin.superpowered', 'settings.host-containers.old']);
  assert.deepEqual(await ds.dropTransaction('x'), []);
  assert.deepEqual(ds.transaction('x'), {});
});

test('subscribers hear changed keys after a commit and announced keys; a failing one is logged', async (t) => {
  const errors: unknown[] = [];
  const ds = await Datastore.open({ dir: await tempDir(t), defaults, logger: { error: (o) => errors.push(o) } });
  const heard: Array<[string[], Settings]> = [];
  const off = ds.subscribe((keys, live) => heard.push([keys, live]));
  ds.subscribe(() => {
    throw new Error('boom');
  });
  await ds.patch('default', { 'host-containers': { admin: { enabled: true } } });
  await ds.commit('default');
  assert.deepEqual(heard.map(([k]) => k), [['settings.host-containers.admin.enabled']]);
  assert.equal(heard[0]![1]['host-containers']?.admin?.enabled, true);
  await ds.patch('default', { 'host-containers': { admin: { enabled: true } } });
  await ds.commit('default');
  assert.equal(heard.length, 1, 'no change, no notification');
  assert.deepEqual(ds.announce(['host-containers.control.enabled']), ['settings.host-containers.control.enabled']);
  assert.deepEqual(heard[1]![0], ['settings.host-containers.control.enabled']);
  assert.equal(ds.announce().length, 6);
  assert.throws(() => ds.announce(['nope']), { code: 'INVALID_ARGUMENT' });
  off();
  ds.announce();
  assert.equal(heard.length, 3);
  assert.equal(errors.length, 4, "the failing listener is still subscribed");
});

test('getByKeys() and getByPrefix() select effective settings', async (t) => {
  const ds = await Datastore.open({ dir: await tempDir(t), defaults });
  assert.deepEqual(ds.getByKeys(['host-containers.admin.enabled', 'settings.host-containers.control']), {
    'host-containers': { admin: { enabled: false }, control: { source: 'oci-archive:/images/control.tar', enabled: true, superpowered: false } },
  });
  assert.deepEqual(ds.getByPrefix('host-containers.adm'), { 'host-containers': { admin: ds.live()['host-containers']!.admin! } });
  assert.deepEqual(ds.getByPrefix('settings.host-containers.control.en'), { 'host-containers': { control: { enabled: true } } });
  assert.deepEqual(ds.getByPrefix('container-registry'), {});
  assert.deepEqual(ds.getByKeys(['host-containers.nobody']), {});
  assert.throws(() => ds.getByKeys(['host-containers.admin.colour']), { code: 'INVALID_ARGUMENT', message: /Unknown setting 'host-containers\.admin\.colour'/ });
  assert.throws(() => ds.getByPrefix(''), { code: 'INVALID_ARGUMENT' });
});

test('concurrent patches are applied one after another and all kept', async (t) => {
  const dir = await tempDir(t);
  const ds = await Datastore.open({ dir, defaults });
  await Promise.all(Array.from({ length: 20 }, (_, i) => ds.patch(`tx-${i}`, { 'host-containers': { [`c${i}`]: { enabled: true } } })));
  const again = await Datastore.open({ dir, defaults });
  assert.equal(again.listTransactions().length, 20);
  const commits = await Promise.all(again.listTransactions().map((tx) => again.commit(tx)));
  assert.equal(commits.flat().length, 20);
  assert.equal(again.generation, 20);
});

test('too many pending transactions is CONFLICT, and the existing ones still take patches', async (t) => {
  const ds = await Datastore.open({ dir: await tempDir(t), defaults, maxPendingTransactions: 2 });
  await ds.patch('a', { 'host-containers': { admin: { enabled: true } } });
  await ds.patch('b', { 'host-containers': { admin: { enabled: true } } });
  await assert.rejects(ds.patch('c', { 'host-containers': { admin: { enabled: true } } }), { code: 'CONFLICT' });
  await ds.patch('a', { 'host-containers': { control: { enabled: false } } });
  assert.deepEqual(ds.listTransactions(), ['a', 'b']);
});

test('a damaged datastore file stops open() with FAILED_PRECONDITION naming the file', async (t) => {
  const dir = await tempDir(t);
  const file = path.join(dir, DATASTORE_FILE);
  for (const [text, reason] of [
    ['{"format":"berth-datastore","version":1,"generation":1,"live":{}', /JSON/],
    ['{"format":"other"}', /not a berth-datastore file/],
    ['{"format":"berth-datastore","version":9}', /version 9/],
    ['{"format":"berth-datastore","version":1,"generation":1,"live":{"host-containers":{"a":{"enabled":"x"}}},"pending":{}}', /expected a boolean/],
  ] as const) {
    await writeFile(file, text);
    await assert.rejects(Datastore.open({ dir, defaults }), (err: Error & { code?: string }) => {
      assert.equal(err.code, 'FAILED_PRECONDITION');
      assert.ok(err.message.includes(file), err.message);
      assert.match(err.message, reason);
      return true;
    });
  }
});

test('a host container environment is one setting: a patch replaces the whole table, and it survives a reopen', async (t) => {
  const dir = await tempDir(t);
  const ds = await Datastore.open({ dir, defaults });
  const setEnv = async (environment: Record<string, string> | null) => {
    await ds.patch('default', { 'host-containers': { admin: { environment } } });
    return ds.commit('default');
  };
  assert.deepEqual(await setEnv({ MY_VAR: '1', OTHER: '2' }), ['settings.host-containers.admin.environment']);
  assert.deepEqual(await setEnv({ MY_VAR: '3' }), ['settings.host-containers.admin.environment']);
  assert.deepEqual(ds.live()['host-containers']?.admin?.environment, { MY_VAR: '3' }, 'replaced, not merged');
  assert.deepEqual(ds.getByKeys(['host-containers.admin.environment']), { 'host-containers': { admin: { environment: { MY_VAR: '3' } } } });
  const reopened = await Datastore.open({ dir, defaults });
  assert.deepEqual(reopened.live()['host-containers']?.admin?.environment, { MY_VAR: '3' });
  assert.deepEqual(await setEnv(null), ['settings.host-containers.admin.environment']);
  assert.equal(ds.live()['host-containers']?.admin?.environment, undefined);
});
