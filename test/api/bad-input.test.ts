import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { DATASTORE_FILE } from '../../src/datastore/index.js';
import { call, startApi } from './api-fixture.js';

/**
 * Hundreds of malformed requests over the real socket: each gets a 4xx with a one-line message,
 * the server stays up, and neither live settings nor pending transactions (nor the file) change.
 */
interface BadRequest {
  method: string;
  uri: string;
  body?: string | Buffer;
}

const patch = (tree: unknown, tx = 'default'): BadRequest => ({ method: 'PATCH', uri: `/settings?tx=${tx}`, body: JSON.stringify(tree) });
const keypair = (pairs: unknown): BadRequest => ({ method: 'PATCH', uri: '/settings/keypair', body: JSON.stringify({ request_payload: pairs }) });
const host = (fields: unknown, name = 'admin'): unknown => ({ 'host-containers': { [name]: fields } });
const boot = (fields: unknown, name = 'bear'): unknown => ({ 'bootstrap-containers': { [name]: fields } });

function badRequests(): BadRequest[] {
  const out: BadRequest[] = [];
  // Wrong JSON: every truncation of a valid body, and assorted syntax errors.
  const valid = JSON.stringify(host({ enabled: true, source: 'localhost:5000/x' }));
  for (let i = 1; i < valid.length; i++) out.push({ method: 'PATCH', uri: '/settings', body: valid.slice(0, i) });
  for (const body of ["{'a':1}", '{a:1}', '{"a":1,}', '[1,]', 'nul', 'tru', '{"a":undefined}', '{"a":NaN}', '\u0000', '{"a":"\u0001"', '}{', '"unterminated', '0x10', '{"a":1}{"b":2}']) {
    out.push({ method: 'PATCH', uri: '/settings', body }, { method: 'PATCH', uri: '/settings/keypair', body });
  }
  // Wrong top-level shapes.
  for (const body of ['[]', '1', '"x"', 'true', 'null', '[{"host-containers":{}}]']) out.push({ method: 'PATCH', uri: '/settings', body });
  // Wrong types for every field.
  const notBool = ['true', 'yes', 1, 0, [], {}, [true], { a: 1 }, ''];
  const notString = [1, 0, true, false, [], {}, ['x'], { a: 'x' }];
  for (const field of ['enabled', 'superpowered']) for (const v of notBool) out.push(patch(host({ [field]: v })));
  for (const v of notBool) out.push(patch(boot({ essential: v })));
  for (const field of ['source', 'user-data', 'enabled-until']) for (const v of notString) out.push(patch(host({ [field]: v })));
  for (const field of ['source', 'user-data', 'mode']) for (const v of notString) out.push(patch(boot({ [field]: v })));
  // (An empty table is the table form of no mirrors, as `[]` is, so it is not here.)
  for (const v of ['x', 1, true, [1], ['x'], [[]], [null], [{}], [{ registry: 'docker.io' }], [{ registry: 1, endpoint: ['https://m'] }], [{ registry: 'docker.io', endpoint: [] }], [{ registry: 'docker.io', endpoint: [1] }], [{ registry: 'docker.io', endpoint: ['notaurl'] }], [{ registry: 'docker.io', endpoint: ['ftp://m'] }], [{ registry: 'docker.io', endpoint: ['https://u:p@m'] }], [{ registry: 'docker.io', endpoint: ['https://m/\u0000'] }], [{ registry: 'docker.io', endpoint: ['https://m/\n'] }], [{ registry: 'docker.io', endpoint: ['https://m/\u007f'] }], { 'docker.io': 'https://m' }, { 'docker.io': [] }, { 'a b': ['https://m'] }, { 'docker.io': ['https://m\r'] }]) {
    out.push(patch({ 'container-registry': { mirrors: v } }));
  }
  for (const v of ['x', 1, {}, [1], [{}], [{ registry: 'docker.io' }], [{ registry: 'docker.io', username: 'u' }], [{ registry: 'docker.io', password: 'p' }], [{ registry: 'docker.io', auth: 'bm9jb2xvbg==' }], [{ registry: '*', identitytoken: 't' }], [{ registry: 'docker.io', username: 1, password: 'p' }], [{ registry: 'a', identitytoken: 't' }, { registry: 'a', identitytoken: 'u' }]]) {
    out.push(patch({ 'container-registry': { credentials: v } }));
  }
  for (const v of [1, 'x', [], true]) out.push(patch({ 'host-containers': v }), patch({ 'bootstrap-containers': v }), patch({ 'container-registry': v }), patch(host(v)), patch(boot(v)));
  // Bad names.
  const badNames = ['', 'a_b', 'a.b', 'a/b', '../etc', '..', '.', 'a b', 'ü', 'a\nb', 'a\u0000b', 'x'.repeat(77), 'x'.repeat(5000), '%2e%2e', '__proto__', 'constructor/x', 'a:b', 'a@b', '*', '-/'];
  for (const name of badNames) out.push(patch(host({ enabled: true }, name)), patch(boot({ mode: 'once' }, name)));
  // Bad base64 and oversized user data.
  const badBase64 = ['not base64', 'abc$', 'eyJ9\n', 'ey J9', 'QR==', 'QQ=', 'Q', 'QQ===', '=QQ=', 'QQ==QQ==', 'aGVsbG8-', 'aGVs_bG8', '***', 'é', Buffer.alloc(64 * 1024 + 1).toString('base64'), Buffer.alloc(100 * 1024).toString('base64')];
  for (const v of badBase64) out.push(patch(host({ 'user-data': v })), patch(boot({ 'user-data': v })), patch(host({ 'user-data': v }, 'custom')));
  // Bad image references, times and modes.
  const badRefs = ['', ' ', 'UPPER', 'a b', 'https://r.example/x', 'r.example//x', 'r.example/x/', 'x:', 'x:-t', 'x@sha256:abc', `x@md5:${'a'.repeat(32)}`, 'r.example:0/x', 'r.example:70000/x', '-r.example/x', 'r.example/../x', 'oci-archive:', 'oci-archive:rel.tar', 'oci-archive:/a/../b.tar', 'oci-archive:/a.tar:', 'oci-archive:/a.tar:x y', 'x'.repeat(300), 'a\nb', 'x:' + 't'.repeat(200)];
  for (const v of badRefs) out.push(patch(host({ source: v })), patch(boot({ source: v })));
  for (const v of ['2030-01-01', '2030-01-01T00:00:00', '2030-02-30T00:00:00Z', '2030-01-01T25:00:00Z', 'tomorrow', '1893456000', '2030-01-01T00:00:00+2', '2030-01-01 00:00:00Z', '']) out.push(patch(host({ 'enabled-until': v })));
  for (const v of ['sometimes', 'ONCE', 'on', '', 'always ']) out.push(patch(boot({ mode: v })));
  // Unknown keys everywhere.
  for (const key of ['motd', 'settings', 'kernel', 'host-container', 'Host-Containers', '', 'os']) out.push(patch({ [key]: {} }), patch({ [key]: 1 }));
  for (const key of ['colour', 'Enabled', 'env', 'args', 'user_data', 'userdata', 'source ', '']) out.push(patch(host({ [key]: true })), patch(boot({ [key]: true })));
  for (const key of ['mirror', 'credential', 'proxy', '']) out.push(patch({ 'container-registry': { [key]: [] } }));
  // Keypair payloads.
  for (const pairs of [['a'], ['host-containers.admin.enabled'], [1], [null], [['x=y']], 'x=y', {}, ['=true'], ['.=x'], ['settings=x'], ['host-containers=x'], ['host-containers.admin=x'], ['host-containers..admin.enabled=true'], ['host-containers.admin.enabled.x=true'], ['host-containers.admin.enabled=1'], ['host-containers.admin.enabled=yes'], ['host-containers.admin.enabled=True'], ['host-containers.admin.source=UPPER'], ['host-containers.admin.user-data=bad base64'], ['host-containers.admin.user-data=1234'], ['host-containers.admin.enabled=true', 'host-containers.admin.enabled=false'], ['host-containers.admin.enabled=true', 'motd=x'], ['bootstrap-containers.b.mode=never'], ['container-registry.mirrors=x'], ['host-containers.../etc.enabled=true'], ['host-containers.a/b.enabled=true'], ['settings.settings.x=1'], ['host-containers.__proto__.enabled=true']]) {
    out.push(keypair(pairs));
  }
  out.push({ method: 'PATCH', uri: '/settings/keypair', body: '{"request_payload":["host-containers.admin.enabled=true"],"x":1}' });
  out.push({ method: 'PATCH', uri: '/settings/keypair', body: '{"payload":["host-containers.admin.enabled=true"]}' });
  // Path tricks and bad query strings on every endpoint.
  for (const uri of ['/settings/../tx/list', '/settings/%2e%2e/tx', '/./settings', '//settings', '/settings/', '/settings/keypair/..', '/tx/list/', '/%2E%2E/etc/passwd', '/settings%00', '/settings/keypair/../../', '/tx/./commit', '/../../etc/shadow']) {
    out.push({ method: 'GET', uri }, { method: 'PATCH', uri, body: valid });
  }
  const txNames = ['../x', '..', '.hidden', 'a/b', 'a%2Fb', '-x', '_x', 'a b', 'x'.repeat(200), 'ü', '%00', 'a\\b'];
  for (const tx of txNames) {
    const q = `tx=${encodeURIComponent(tx)}`;
    out.push(patch(host({ enabled: true }), encodeURIComponent(tx)), { method: 'GET', uri: `/tx?${q}` }, { method: 'DELETE', uri: `/tx?${q}` }, { method: 'POST', uri: `/tx/commit?${q}` }, { method: 'POST', uri: `/tx/commit_and_apply?${q}` });
  }
  for (const uri of ['/settings?keys=', '/settings?prefix=', '/settings?keys=a&prefix=b', '/settings?keys=../etc', '/settings?keys=host-containers.admin.colour', '/settings?keys=a,,b', '/settings?keys=%zz', '/settings?x=1', '/settings?keys=a&keys=b', '/?prefix=', '/?keys=x', '/tx/list?tx=x', '/tx?tx=a&tx=b', '/tx?txn=a', '/settings?prefix=%E0%A4%A']) {
    out.push({ method: 'GET', uri });
  }
  for (const uri of ['/tx/apply?keys=', '/tx/apply?keys=nope', '/tx/apply?keys=host-containers.admin.colour', '/tx/apply?keys=../x', '/tx/apply?tx=x', '/tx/commit?keys=x']) out.push({ method: 'POST', uri });
  // Wrong methods and unknown endpoints.
  for (const [method, uri] of [['PUT', '/settings'], ['POST', '/settings'], ['DELETE', '/settings'], ['GET', '/tx/commit'], ['PATCH', '/tx'], ['POST', '/tx/list'], ['GET', '/settings/keypair'], ['GET', '/nope'], ['GET', '/os'], ['POST', '/actions/reboot'], ['GET', '/tx/lists'], ['BREW', '/settings']]) {
    out.push({ method: method!, uri: uri!, body: '{}' });
  }
  // Oversized bodies (the body limit is 128 KiB here).
  for (let i = 0; i < 10; i++) {
    out.push({ method: 'PATCH', uri: '/settings', body: JSON.stringify(host({ 'user-data': 'A'.repeat(140_000 + i * 50_000) })) });
  }
  out.push({ method: 'PATCH', uri: '/settings/keypair', body: Buffer.alloc(2 * 1024 * 1024, 0x7b) });
  return out;
}

test('500+ malformed requests each get a 4xx with a message, and change nothing', { timeout: 120_000 }, async (t) => {
  const { client, datastore, root } = await startApi(t, { bodyLimit: 128 * 1024 });
  await client.patchKeypairs(['host-containers.admin.enabled=true'], { tx: 'base' });
  await client.commit({ tx: 'base' });
  await client.patchKeypairs(['host-containers.control.enabled=false'], { tx: 'keep' });
  const file = path.join(root, 'var/lib/berth/datastore', DATASTORE_FILE);
  const before = { live: await client.getSettings(), list: await client.listTransactions(), keep: await client.getTransaction({ tx: 'keep' }), file: await readFile(file, 'utf8') };

  const requests = badRequests();
  assert.ok(requests.length >= 500, `${requests.length} requests`);
  const statuses = new Map<number, number>();
  for (let i = 0; i < requests.length; i += 8) {
    await Promise.all(
      requests.slice(i, i + 8).map(async (r) => {
        const res = await call(client, r.method, r.uri, r.body);
        const what = `${r.method} ${r.uri} ${String(r.body ?? '').slice(0, 120)}`;
        assert.ok(res.status >= 400 && res.status < 500, `${what} → ${res.status} ${res.text.slice(0, 200)}`);
        const body = res.json as { code?: unknown; message?: unknown };
        assert.equal(typeof body?.code, 'string', what);
        assert.ok(typeof body.message === 'string' && body.message.length > 0 && !body.message.includes('\n'), `${what}: ${res.text.slice(0, 200)}`);
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      }),
    );
  }
  t.diagnostic(`${requests.length} requests; statuses ${JSON.stringify(Object.fromEntries(statuses))}`);
  assert.ok(statuses.get(400)! > 400 && statuses.get(413)! >= 11 && statuses.get(404)! > 0 && statuses.get(405)! > 0);
  const after = { live: await client.getSettings(), list: await client.listTransactions(), keep: await client.getTransaction({ tx: 'keep' }), file: await readFile(file, 'utf8') };
  assert.deepEqual(after, before, 'settings, pending transactions and the datastore file are unchanged');
  assert.equal(datastore.generation, 1);
});
