import { test } from 'node:test';
import assert from 'node:assert/strict';
import { call, startApi, TEST_DEFAULTS } from './api-fixture.js';

test('GET / and GET /settings return the effective settings, whole or by keys or prefix', async (t) => {
  const { client } = await startApi(t);
  assert.deepEqual(await call(client, 'GET', '/'), { status: 200, json: { settings: TEST_DEFAULTS }, text: JSON.stringify({ settings: TEST_DEFAULTS }) });
  assert.deepEqual((await call(client, 'GET', '/?prefix=settings.host-containers.admin.en')).json, { settings: { 'host-containers': { admin: { enabled: false } } } });
  assert.deepEqual((await call(client, 'GET', '/settings')).json, TEST_DEFAULTS);
  assert.deepEqual((await call(client, 'GET', '/settings?keys=host-containers.admin.enabled,settings.host-containers.control.superpowered')).json, {
    'host-containers': { admin: { enabled: false }, control: { superpowered: false } },
  });
  assert.deepEqual((await call(client, 'GET', '/settings?prefix=host-containers.control')).json, { 'host-containers': { control: TEST_DEFAULTS['host-containers']!.control! } });
  assert.deepEqual((await call(client, 'GET', '/settings?prefix=container-registry')).json, {});
  const both = await call(client, 'GET', '/settings?keys=a&prefix=b');
  assert.deepEqual(both, { status: 400, json: { code: 'INVALID_ARGUMENT', message: "Give either 'keys' or 'prefix', not both" }, text: both.text });
  assert.equal((await call(client, 'GET', '/settings?keys=')).status, 400);
  assert.equal((await call(client, 'GET', '/settings?prefix=')).status, 400);
  assert.deepEqual((await call(client, 'GET', '/settings?keys=motd')).json, { code: 'INVALID_ARGUMENT', message: "Unknown setting 'motd' (allowed here: host-containers, bootstrap-containers, bootstrap-commands, container-registry)" });
});

test('PATCH /settings fills a transaction; GET /tx shows it; commit makes it live and returns the changed keys', async (t) => {
  const { client } = await startApi(t);
  const patch = await call(client, 'PATCH', '/settings?tx=t1', JSON.stringify({ 'host-containers': { admin: { enabled: true }, box: { source: 'localhost:5000/box', enabled: true } } }));
  assert.equal(patch.status, 204);
  assert.equal(patch.text, '');
  assert.deepEqual((await call(client, 'GET', '/tx?tx=t1')).json, { 'host-containers': { admin: { enabled: true }, box: { source: 'localhost:5000/box', enabled: true } } });
  assert.deepEqual((await call(client, 'GET', '/tx/list')).json, ['t1']);
  assert.equal((await client.getSettings({ keys: ['host-containers.admin.enabled'] }))['host-containers']?.admin?.enabled, false, 'not live yet');
  const commit = await call(client, 'POST', '/tx/commit?tx=t1');
  assert.equal(commit.status, 200);
  assert.deepEqual(commit.json, ['settings.host-containers.admin.enabled', 'settings.host-containers.box.enabled', 'settings.host-containers.box.source']);
  assert.deepEqual((await call(client, 'GET', '/tx/list')).json, []);
  assert.equal((await client.getSettings())['host-containers']?.box?.source, 'localhost:5000/box');
});

test('the default transaction is "default" for every transaction endpoint', async (t) => {
  const { client } = await startApi(t);
  assert.equal((await call(client, 'PATCH', '/settings', '{"host-containers":{"admin":{"enabled":true}}}')).status, 204);
  assert.deepEqual(await client.listTransactions(), ['default']);
  assert.deepEqual(await client.getTransaction(), { 'host-containers': { admin: { enabled: true } } });
  assert.deepEqual(await client.getTransaction({ tx: 'default' }), await client.getTransaction());
  assert.deepEqual(await client.commit(), ['settings.host-containers.admin.enabled']);
  await client.patchKeypairs(['host-containers.control.enabled=false']);
  assert.deepEqual(await client.deleteTransaction(), ['settings.host-containers.control.enabled']);
  await client.patchSettings({ 'host-containers': { control: { enabled: false } } });
  assert.deepEqual(await client.commitAndApply(), ['settings.host-containers.control.enabled']);
});

test('PATCH /settings/keypair types values bool → number → string and takes keys with or without settings.', async (t) => {
  const { client, datastore } = await startApi(t);
  const ok = await call(client, 'PATCH', '/settings/keypair?tx=kp', JSON.stringify({ request_payload: ['settings.host-containers.admin.enabled=true', 'host-containers.box.source=localhost:5000/box:1', 'host-containers.box.user-data=eyJhIjoxfQ=='] }));
  assert.equal(ok.status, 204);
  assert.deepEqual(datastore.transaction('kp'), { 'host-containers': { admin: { enabled: true }, box: { source: 'localhost:5000/box:1', 'user-data': 'eyJhIjoxfQ==' } } });
  const numberForBool = await call(client, 'PATCH', '/settings/keypair?tx=kp', JSON.stringify({ request_payload: ['host-containers.admin.superpowered=1'] }));
  assert.deepEqual(numberForBool.json, { code: 'INVALID_ARGUMENT', message: "Invalid setting 'host-containers.admin.superpowered': expected a boolean, got 1" });
  const stringForBool = await call(client, 'PATCH', '/settings/keypair?tx=kp', JSON.stringify({ request_payload: ['host-containers.admin.superpowered=yes'] }));
  assert.deepEqual(stringForBool.json, { code: 'INVALID_ARGUMENT', message: "Invalid setting 'host-containers.admin.superpowered': expected a boolean, got \"yes\"" });
  for (const body of ['{}', '{"request_payload":"a=b"}', '{"request_payload":["novalue"]}', '{"request_payload":[1]}', '{"request_payload":[],"x":1}', '[]']) {
    const res = await call(client, 'PATCH', '/settings/keypair?tx=kp', body);
    assert.equal(res.status, 400, body);
    assert.equal((res.json as { code: string }).code, 'INVALID_ARGUMENT');
  }
  assert.deepEqual(datastore.transaction('kp'), { 'host-containers': { admin: { enabled: true }, box: { source: 'localhost:5000/box:1', 'user-data': 'eyJhIjoxfQ==' } } });
});

test('DELETE /tx returns the deleted keys; an unknown transaction holds none', async (t) => {
  const { client } = await startApi(t);
  await client.patchSettings({ 'host-containers': { admin: { enabled: true, superpowered: false } } }, { tx: 'd' });
  const del = await call(client, 'DELETE', '/tx?tx=d');
  assert.deepEqual([del.status, del.json], [200, ['settings.host-containers.admin.enabled', 'settings.host-containers.admin.superpowered']]);
  assert.deepEqual((await call(client, 'DELETE', '/tx?tx=d')).json, []);
  assert.deepEqual((await call(client, 'GET', '/tx?tx=d')).json, {});
  assert.equal((await call(client, 'GET', '/tx?tx=../etc')).status, 400);
});

test('committing with nothing pending is 422; re-setting a value commits and changes nothing', async (t) => {
  const { client } = await startApi(t);
  for (const uri of ['/tx/commit', '/tx/commit?tx=empty', '/tx/commit_and_apply?tx=empty']) {
    const res = await call(client, 'POST', uri);
    assert.equal(res.status, 422, uri);
    assert.equal((res.json as { code: string }).code, 'FAILED_PRECONDITION');
    assert.match((res.json as { message: string }).message, /has no pending changes to commit/);
  }
  await client.patchKeypairs(['host-containers.admin.enabled=false'], { tx: 'same' });
  assert.deepEqual(await client.commitAndApply({ tx: 'same' }), []);
});

test('commits and POST /tx/apply reach subscribers with the keys', async (t) => {
  const { client, datastore } = await startApi(t);
  const heard: string[][] = [];
  datastore.subscribe((keys) => heard.push(keys));
  await client.patchKeypairs(['host-containers.admin.enabled=true'], { tx: 'a' });
  await client.commitAndApply({ tx: 'a' });
  assert.equal((await call(client, 'POST', '/tx/apply?keys=host-containers.control.enabled,settings.host-containers.admin')).status, 204);
  assert.equal((await call(client, 'POST', '/tx/apply')).status, 204);
  assert.deepEqual(heard.slice(0, 2), [['settings.host-containers.admin.enabled'], ['settings.host-containers.control.enabled', 'settings.host-containers.admin']]);
  assert.equal(heard[2]!.length, 6, 'apply without keys announces every key');
  assert.equal((await call(client, 'POST', '/tx/apply?keys=nope.x')).status, 400);
  assert.equal(heard.length, 3);
});

test('a rejected PATCH leaves pending and live settings untouched', async (t) => {
  const { client } = await startApi(t);
  await client.patchKeypairs(['host-containers.admin.enabled=true'], { tx: 'keep' });
  await client.commit({ tx: 'keep' });
  await client.patchKeypairs(['host-containers.control.enabled=false'], { tx: 'keep' });
  const before = { live: await client.getSettings(), tx: await client.getTransaction({ tx: 'keep' }), list: await client.listTransactions() };
  const res = await call(client, 'PATCH', '/settings?tx=keep', JSON.stringify({ 'host-containers': { control: { enabled: true }, admin: { 'user-data': 'bad base64!' } } }));
  assert.equal(res.status, 400);
  assert.equal((res.json as { message: string }).message, "Invalid setting 'host-containers.admin.user-data': not valid base64: it contains whitespace or line breaks (encode with `base64 -w0`)");
  assert.equal((await call(client, 'PATCH', '/settings?tx=other', '{"host-containers":{"admin":{"enabled":"on"}}}')).status, 400);
  assert.deepEqual({ live: await client.getSettings(), tx: await client.getTransaction({ tx: 'keep' }), list: await client.listTransactions() }, before);
});

test('unknown endpoints are 404, wrong methods 405, unknown query parameters 400', async (t) => {
  const { client } = await startApi(t);
  assert.deepEqual((await call(client, 'GET', '/nope')).json, { code: 'NOT_FOUND', message: 'No such endpoint: GET /nope' });
  assert.equal((await call(client, 'GET', '/nope')).status, 404);
  const put = await client.requestRaw('PUT', '/settings', '{}');
  assert.equal(put.status, 405);
  assert.deepEqual(JSON.parse(put.body.toString()), { code: 'INVALID_ARGUMENT', message: 'Method PUT is not allowed on /settings (allowed: GET, PATCH)' });
  assert.deepEqual((await call(client, 'GET', '/tx/list?verbose=1')).json, { code: 'INVALID_ARGUMENT', message: 'Unknown query parameter "verbose" (this endpoint takes no query parameters)' });
  assert.equal((await call(client, 'PATCH', '/settings?txn=x', '{}')).status, 400);
});

test('too many pending transactions is 409', async (t) => {
  const { client } = await startApi(t);
  for (let i = 0; i < 64; i++) await client.patchKeypairs(['host-containers.admin.enabled=true'], { tx: `t${i}` });
  const res = await call(client, 'PATCH', '/settings/keypair?tx=one-more', '{"request_payload":["host-containers.admin.enabled=true"]}');
  assert.equal(res.status, 409);
  assert.equal((res.json as { code: string }).code, 'CONFLICT');
});
