import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { selfSignedCert } from '../registry/tls-material.js';
import { startApi } from './api-fixture.js';
import { runCli } from './run-apiclient.js';

/**
 * `apiclient apply URL` as a boot script runs it: the built CLI fetching user data from an https
 * server whose self-signed CA it is told to trust (NODE_EXTRA_CA_CERTS), and from a loopback http one.
 */
type Cleanup = { after(fn: () => Promise<void>): void };

async function listen(t: Cleanup, server: http.Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  return (server.address() as AddressInfo).port;
}

function userDataHandler(req: http.IncomingMessage, res: http.ServerResponse): void {
  if (req.url === '/user-data.toml') res.end('[settings.host-containers.admin]\nenabled = true\n');
  else if (req.url === '/big.toml') res.end(`# ${'x'.repeat(1024 * 1024)}\n`);
  else res.writeHead(404).end();
}

test('apiclient apply https://… fetches user data from a server with a trusted certificate, and -v prints the status lines', async (t) => {
  const api = await startApi(t);
  const cert = selfSignedCert(api.root, 'user-data-server');
  const port = await listen(t, https.createServer({ cert: cert.certPem, key: cert.keyPem }, userDataHandler));
  const url = `https://localhost:${port}/user-data.toml`;
  const trusted = { env: { NODE_EXTRA_CA_CERTS: cert.certFile } };

  const untrusted = await runCli(['-s', api.socketPath, 'apply', url]);
  assert.equal(untrusted.code, 7, untrusted.stderr);
  assert.equal(untrusted.stderr, `apiclient: Cannot apply '${url}': self-signed certificate\n`);
  assert.equal(api.datastore.live()['host-containers']?.admin?.enabled, false, 'nothing applied');

  const run = await runCli(['-v', '-s', api.socketPath, 'apply', url], trusted);
  assert.equal(run.code, 0, run.stderr);
  assert.equal(api.datastore.live()['host-containers']?.admin?.enabled, true);
  // The fetch, then PATCH /settings and POST /tx/commit_and_apply on berth's API.
  assert.equal(run.stderr, 'HTTP/1.1 200 OK\nHTTP/1.1 204 No Content\nHTTP/1.1 200 OK\n');

  const missing = await runCli(['-s', api.socketPath, 'apply', `https://127.0.0.1:${port}/nope.toml`], trusted);
  assert.deepEqual([missing.code, missing.stderr], [7, `apiclient: Cannot apply 'https://127.0.0.1:${port}/nope.toml': the server answered 404 Not Found\n`]);
  const big = await runCli(['-s', api.socketPath, 'apply', `https://127.0.0.1:${port}/big.toml`], trusted);
  assert.deepEqual([big.code, big.stderr], [2, `apiclient: Cannot apply 'https://127.0.0.1:${port}/big.toml': the user data is larger than the limit of 1048576 bytes\n`]);
});

test('apiclient apply http://… works only to loopback; other schemes are refused with nothing changed', async (t) => {
  const api = await startApi(t);
  const port = await listen(t, http.createServer(userDataHandler));
  const run = await runCli(['-s', api.socketPath, 'apply', `http://127.0.0.1:${port}/user-data.toml`]);
  assert.equal(run.code, 0, run.stderr);
  assert.equal(api.datastore.live()['host-containers']?.admin?.enabled, true);
  const before = api.datastore.live();
  for (const [source, reason] of [
    ['http://192.0.2.10/user-data.toml', 'http:// is allowed only to a loopback address (127.0.0.0/8, ::1, localhost): use https://'],
    ['ftp://127.0.0.1/user-data.toml', 'only https:// (and http:// to a loopback address) can be fetched, not ftp://'],
  ]) {
    const refused = await runCli(['-s', api.socketPath, 'apply', source!]);
    assert.deepEqual([refused.code, refused.stdout, refused.stderr], [2, '', `apiclient: Cannot apply '${source}': ${reason}\n`]);
  }
  assert.deepEqual(api.datastore.live(), before);
  assert.deepEqual(api.datastore.listTransactions(), []);
});
