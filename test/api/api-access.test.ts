import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { PassThrough } from 'node:stream';
import type { ApiAccessControl, ApiCaller } from '../../src/api/index.js';
import { runExec } from '../../src/apiclient/exec-client.js';
import { call, startApi } from './api-fixture.js';

/** An access control that says every caller is `caller` and keeps what it refused. */
function fixedCaller(caller: ApiCaller): ApiAccessControl & { refusals: string[] } {
  const refusals: string[] = [];
  return {
    refusals,
    callerOf: async () => caller,
    refused: async (_socket, _caller, error) => void refusals.push(error.message),
  };
}

/** The status line and body of a raw `GET /exec` WebSocket upgrade. */
function upgradeExec(socketPath: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = net.connect(socketPath, () => {
      s.write('GET /exec HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n');
    });
    let text = '';
    s.setEncoding('utf8').on('data', (d: string) => (text += d));
    s.on('end', () => resolve(text));
    s.on('error', reject);
  });
}

test('a read-only caller reads, and its writes and exec upgrades get 403, are recorded and change nothing', async (t) => {
  const access = fixedCaller({ kind: 'container', name: 'ro', access: 'read-only' });
  let execs = 0;
  const { client, datastore, socketPath } = await startApi(t, { access, upgrades: { '/exec': ({ socket }) => void (execs++, socket.destroy()) } });
  const before = JSON.stringify(datastore.stored());
  assert.equal((await call(client, 'GET', '/settings')).status, 200);
  const patch = await call(client, 'PATCH', '/settings?tx=t1', '{"host-containers":{"ro":{"api-access":"admin"}}}');
  assert.deepEqual([patch.status, patch.json], [403, { code: 'PERMISSION_DENIED', message: "Host container 'ro' has api-access read-only: PATCH /settings is not allowed" }]);
  assert.equal((await call(client, 'POST', '/tx/commit_and_apply')).status, 403);
  const exec = await upgradeExec(socketPath);
  assert.match(exec, /^HTTP\/1\.1 403 Forbidden\r\n/);
  assert.match(exec, /"message":"Host container 'ro' has api-access read-only: GET \/exec is not allowed"/);
  const statuses: string[] = [];
  await assert.rejects(runExec({ socketPath, target: 'control', command: ['true'], stdin: new PassThrough(), stdout: new PassThrough(), onStatus: (l) => statuses.push(l) }), {
    code: 'PERMISSION_DENIED',
    message: "Host container 'ro' has api-access read-only: GET /exec is not allowed",
  });
  assert.deepEqual(statuses, ['HTTP/1.1 403 Forbidden'], 'the refusal status, for apiclient -v');
  assert.equal(execs, 0, 'the exec handler never saw either');
  assert.deepEqual(access.refusals, [
    "Host container 'ro' has api-access read-only: PATCH /settings is not allowed",
    "Host container 'ro' has api-access read-only: POST /tx/commit_and_apply is not allowed",
    "Host container 'ro' has api-access read-only: GET /exec is not allowed",
    "Host container 'ro' has api-access read-only: GET /exec is not allowed",
  ]);
  assert.equal(JSON.stringify(datastore.stored()), before);
  assert.deepEqual(datastore.listTransactions(), [], 'no pending transaction either');
});

test('a none caller gets 403 even for reads; host callers and admin containers keep full access', async (t) => {
  const none = await startApi(t, { access: fixedCaller({ kind: 'container', name: 'n', access: 'none' }) });
  assert.equal((await call(none.client, 'GET', '/settings')).status, 403);
  const unidentified = await startApi(t, { access: fixedCaller({ kind: 'unidentified', why: 'process 7 is gone' }) });
  assert.equal((await call(unidentified.client, 'GET', '/settings')).status, 403);
  for (const caller of [{ kind: 'host' }, { kind: 'container', name: 'a', access: 'admin' }] as const) {
    const { client } = await startApi(t, { access: fixedCaller(caller) });
    assert.equal((await call(client, 'PATCH', '/settings', '{"host-containers":{"admin":{"enabled":true}}}')).status, 204, caller.kind);
    assert.equal((await call(client, 'POST', '/tx/commit_and_apply')).status, 200, caller.kind);
  }
});
