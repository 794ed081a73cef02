import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createApiServer } from '../../src/api/index.js';
import { ApiClient } from '../../src/apiclient/index.js';
import { Datastore } from '../../src/datastore/index.js';
import { BerthError } from '../../src/errors/index.js';
import { call, startApi, TEST_DEFAULTS } from './api-fixture.js';

test('the socket is created with its parent directory, mode 0660 and the configured group', async (t) => {
  const byName = await startApi(t, { socketGroup: 'daemon' });
  const s = await stat(byName.socketPath);
  assert.ok(s.isSocket());
  assert.equal(s.mode & 0o777, 0o660);
  assert.equal(s.gid, 1, "Debian's 'daemon' group is gid 1");
  const byGid = await startApi(t, { socketGroup: 2, socketMode: 0o600 });
  const s2 = await stat(byGid.socketPath);
  assert.equal(s2.gid, 2);
  assert.equal(s2.mode & 0o777, 0o600);
  await byGid.server.close();
  await assert.rejects(stat(byGid.socketPath), { code: 'ENOENT' }, 'close() removes the socket');
});

test('listen() removes a stale socket, refuses a live one and anything that is not a socket', async (t) => {
  const root = await mkdtemp(path.join(tmpdir(), 'berth-sock-'));
  t.after(() => rm(root, { recursive: true, force: true }));
  const datastore = await Datastore.open({ dir: path.join(root, 'ds'), defaults: TEST_DEFAULTS });
  const socketPath = path.join(root, 'api.sock');
  // A stale socket: left by a process killed while listening.
  spawnSync(process.execPath, ['-e', `require('net').createServer().listen(${JSON.stringify(socketPath)}, () => process.kill(process.pid, 'SIGKILL'))`]);
  assert.ok((await stat(socketPath)).isSocket(), 'a dead socket file is there');
  await writeFile(path.join(root, 'marker'), '');
  const first = createApiServer({ datastore, socketPath });
  t.after(() => first.close());
  await first.listen();
  assert.deepEqual(await new ApiClient({ socketPath }).listTransactions(), []);
  const second = createApiServer({ datastore, socketPath });
  await assert.rejects(second.listen(), { code: 'CONFLICT', message: `Another server is already listening on '${socketPath}'` });
  assert.deepEqual(await new ApiClient({ socketPath }).listTransactions(), [], 'the first server is unharmed');
  const notSocket = path.join(root, 'marker');
  await assert.rejects(createApiServer({ datastore, socketPath: notSocket }).listen(), { code: 'FAILED_PRECONDITION', message: /exists and is not a socket/ });
  await assert.rejects(createApiServer({ datastore, socketPath: 'relative.sock' }).listen(), { code: 'INVALID_ARGUMENT' });
  await assert.rejects(createApiServer({ datastore, socketPath: '/tmp/' + 'x'.repeat(120) }).listen(), { code: 'INVALID_ARGUMENT', message: /longer than 107 bytes/ });
  await assert.rejects(createApiServer({ datastore, socketPath: path.join(root, 'g.sock'), socketGroup: 'no-such-group-here' }).listen(), { code: 'NOT_FOUND' });
});

test('bodies over the limit get 413 and the server keeps serving', async (t) => {
  const { client } = await startApi(t, { bodyLimit: 1000 });
  const big = JSON.stringify({ 'host-containers': { admin: { 'user-data': 'A'.repeat(2000) } } });
  const res = await call(client, 'PATCH', '/settings', big);
  assert.deepEqual([res.status, res.json], [413, { code: 'PAYLOAD_TOO_LARGE', message: 'Request body is larger than the limit of 1000 bytes' }]);
  const huge = await call(client, 'PATCH', '/settings', Buffer.alloc(5 * 1024 * 1024, 0x20));
  assert.equal(huge.status, 413);
  assert.deepEqual(await client.listTransactions(), []);
  assert.equal((await call(client, 'PATCH', '/settings', '{"host-containers":{"admin":{"enabled":true}}}')).status, 204);
});

/** Writes `head` (and nothing more) on a raw connection and returns the whole reply. */
function rawExchange(socketPath: string, head: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const c = net.connect(socketPath, () => c.write(head));
    let out = '';
    c.on('data', (d) => (out += d.toString()));
    c.on('end', () => resolve(out));
    c.on('error', reject);
  });
}

test('a request line or headers beyond 8 KiB get 431; a declared body beyond the limit gets 413 before any of it is sent', async (t) => {
  const { socketPath, client } = await startApi(t, { bodyLimit: 1000 });
  for (const head of [
    `GET /settings?${'k'.repeat(10_000)} HTTP/1.1\r\nhost: x\r\n\r\n`,
    `GET /settings HTTP/1.1\r\nhost: x\r\nx-big: ${'a'.repeat(20_000)}\r\n\r\n`,
  ]) {
    const reply = await rawExchange(socketPath, head);
    assert.match(reply, /^HTTP\/1\.1 431 /);
    assert.match(reply, /"code":"PAYLOAD_TOO_LARGE","message":"Request line and headers are larger than the limit of 8192 bytes"/);
  }
  // Only the head is written: the reply comes without the client sending a byte of its 10 GB.
  const declared = await rawExchange(socketPath, 'PATCH /settings HTTP/1.1\r\nhost: x\r\ncontent-length: 10737418240\r\n\r\n');
  assert.match(declared, /^HTTP\/1\.1 413 /);
  assert.match(declared, /Request body is larger than the limit of 1000 bytes/);
  const asked = await rawExchange(socketPath, 'PATCH /settings HTTP/1.1\r\nhost: x\r\nexpect: 100-continue\r\ncontent-length: 10737418240\r\n\r\n');
  assert.match(asked, /^HTTP\/1\.1 413 /, 'refused instead of 100 Continue');
  assert.doesNotMatch(asked, /100 Continue/);
  const small = await rawExchange(socketPath, 'PATCH /settings HTTP/1.1\r\nhost: x\r\nexpect: 100-continue\r\nconnection: close\r\ncontent-length: 46\r\n\r\n{"host-containers":{"admin":{"enabled":true}}}');
  assert.match(small, /^HTTP\/1\.1 100 Continue\r\n\r\nHTTP\/1\.1 204 /);
  assert.deepEqual(await client.listTransactions(), ['default'], 'the server keeps serving');
});

test('the default 1 MiB limit takes a 64 KiB user-data and refuses 2 MiB', async (t) => {
  const { client } = await startApi(t);
  const ud = Buffer.alloc(64 * 1024, 1).toString('base64');
  assert.equal((await call(client, 'PATCH', '/settings', JSON.stringify({ 'host-containers': { admin: { 'user-data': ud } } }))).status, 204);
  assert.equal((await call(client, 'PATCH', '/settings', JSON.stringify({ x: 'a'.repeat(2 * 1024 * 1024) }))).status, 413);
});

test('bad JSON and empty bodies are 400 with the reason', async (t) => {
  const { client } = await startApi(t);
  const bad = await call(client, 'PATCH', '/settings', '{"host-containers": ');
  assert.equal(bad.status, 400);
  assert.match((bad.json as { message: string }).message, /^Request body is not valid JSON: /);
  assert.deepEqual((await call(client, 'PATCH', '/settings')).json, { code: 'INVALID_ARGUMENT', message: 'Request body is empty: expected a JSON object' });
});

test('extra routes get params, query and body; their errors map to statuses, unexpected ones to 500', async (t) => {
  const { client } = await startApi(t, {
    routes: [
      { method: 'GET', path: '/host-containers/:name', handler: async ({ params, query }) => ({ status: 200, body: { name: params.name, query } }) },
      { method: 'POST', path: '/echo', query: [], handler: async ({ body }) => ({ status: 201, body: { got: body } }) },
      { method: 'GET', path: '/text', handler: async () => ({ status: 200, body: 'plain\n', contentType: 'text/plain' }) },
      {
        method: 'GET',
        path: '/missing/:name',
        handler: async ({ params }) => {
          throw new BerthError('NOT_FOUND', `Host container '${params.name}' not found`);
        },
      },
      {
        method: 'GET',
        path: '/down',
        handler: async () => {
          throw new BerthError('UNAVAILABLE', 'host-containerd is not answering');
        },
      },
      {
        method: 'GET',
        path: '/bug',
        handler: async () => {
          throw new TypeError("Cannot read properties of undefined (reading 'pid')");
        },
      },
    ],
  });
  assert.deepEqual((await call(client, 'GET', '/host-containers/admin?x=1')).json, { name: 'admin', query: { x: '1' } });
  assert.deepEqual(await call(client, 'POST', '/echo', '{"a":1}'), { status: 201, json: { got: { a: 1 } }, text: '{"got":{"a":1}}' });
  assert.equal((await call(client, 'GET', '/text')).text, 'plain\n');
  assert.deepEqual(await call(client, 'GET', '/missing/box'), { status: 404, json: { code: 'NOT_FOUND', message: "Host container 'box' not found" }, text: '{"code":"NOT_FOUND","message":"Host container \'box\' not found"}' });
  assert.equal((await call(client, 'GET', '/down')).status, 503);
  const bug = await call(client, 'GET', '/bug');
  assert.deepEqual([bug.status, bug.json], [500, { code: 'INTERNAL', message: "Internal error: Cannot read properties of undefined (reading 'pid')" }]);
  await assert.rejects(client.request('GET', '/bug'), { code: 'INTERNAL' });
  assert.deepEqual(await client.listTransactions(), [], 'the server keeps serving');
});

test('upgrade requests go to the handler of their path; a dot segment gets 400, another path 404, another method 405', async (t) => {
  const seen: string[] = [];
  const withHandler = await startApi(t, {
    upgrades: {
      '/exec': ({ req, socket }) => {
        seen.push(`${req.method} ${req.url}`);
        socket.end('HTTP/1.1 101 Switching Protocols\r\nconnection: upgrade\r\nupgrade: test\r\n\r\n');
      },
    },
  });
  const without = await startApi(t);
  const raw = (socketPath: string, requestLine = 'GET /exec'): Promise<string> =>
    new Promise((resolve, reject) => {
      const c = net.connect(socketPath, () => c.write(`${requestLine} HTTP/1.1\r\nhost: localhost\r\nconnection: upgrade\r\nupgrade: websocket\r\n\r\n`));
      let out = '';
      c.on('data', (d) => (out += d.toString()));
      c.on('end', () => resolve(out));
      c.on('error', reject);
    });
  assert.match(await raw(withHandler.socketPath), /^HTTP\/1\.1 101 /);
  assert.deepEqual(seen, ['GET /exec']);
  for (const path of ['/x/../exec', '/./exec', '/%2e%2e/exec', '//exec']) {
    const reply = await raw(withHandler.socketPath, `GET ${path}`);
    assert.match(reply, /^HTTP\/1\.1 400 /, path);
    assert.match(reply, /"code":"INVALID_ARGUMENT"/, path);
  }
  assert.match(await raw(withHandler.socketPath, 'GET /execute'), /^HTTP\/1\.1 404 /);
  assert.match(await raw(withHandler.socketPath, 'POST /exec'), /^HTTP\/1\.1 405 /);
  assert.deepEqual(seen, ['GET /exec'], 'only the valid request reached the handler');
  const reply = await raw(without.socketPath);
  assert.match(reply, /^HTTP\/1\.1 404 /);
  assert.match(reply, /"code":"NOT_FOUND"/);
});

test('the client reports a missing socket as UNAVAILABLE with what to check', async () => {
  const client = new ApiClient({ socketPath: '/tmp/berth-no-such-dir/api.sock' });
  await assert.rejects(client.listTransactions(), { code: 'UNAVAILABLE', message: /^Cannot reach the berth API at '\/tmp\/berth-no-such-dir\/api\.sock': no such socket/ });
});
