import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpTransport } from './http-transport.js';
import { RegistryAuth } from './registry-auth.js';
import { RegistryBlobProvider } from './registry-blob-provider.js';
import { CredentialLookup } from './registry-credentials.js';
import { registryEndpoints } from './registry-endpoints.js';
import { RegistrySession } from './registry-session.js';
import { TokenCache } from './token-cache.js';
import { BerthError } from '../../errors/index.js';
import { silentLogger } from '../../lib/logger.js';

const blob = Buffer.from('0123456789'.repeat(100_000));
const desc = { mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: 'sha256:' + createHash('sha256').update(blob).digest('hex'), size: blob.length };

/** A fake registry answering blob GETs in one of several ways, for what docker-registry never does. */
async function fakeRegistry(t: { after: (fn: () => unknown) => void }, mode: 'ignore-range' | 'break' | 'flaky-500') {
  const requests: Array<{ range?: string }> = [];
  const server = http.createServer((req, res) => {
    requests.push(req.headers.range ? { range: req.headers.range } : {});
    if (mode === 'flaky-500' && requests.length === 1) return void res.writeHead(503).end();
    if (mode === 'break') {
      res.writeHead(200, { 'content-length': String(blob.length) });
      res.write(blob.subarray(0, 1000), () => res.destroy());
      return;
    }
    res.writeHead(200, { 'content-length': String(blob.length) }).end(blob);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  const transport = new HttpTransport();
  const ref = { kind: 'registry' as const, registry: host, repository: 'team/app', tag: 'v1' };
  const auth = new RegistryAuth({ credentials: new CredentialLookup(), registry: host, transport, cache: new TokenCache() });
  // Plain http straight away: these fakes do not speak TLS.
  const endpoints = registryEndpoints(host, { mirrors: [{ registry: host, endpoint: [`http://${host}`] }] });
  const session = new RegistrySession({ ref, endpoints: endpoints.slice(0, 1), auth, transport, logger: silentLogger });
  t.after(() => {
    transport.close();
    server.closeAllConnections();
    server.close();
  });
  return { provider: new RegistryBlobProvider(session), requests, host };
}

async function collect(source: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of source) parts.push(Buffer.from(c));
  return Buffer.concat(parts);
}

test('RegistryBlobProvider asks for the rest with Range and skips the head when the registry ignores it', async (t) => {
  const { provider, requests } = await fakeRegistry(t, 'ignore-range');
  const rest = await collect(provider.open(desc, 123_456));
  assert.deepEqual(requests, [{ range: 'bytes=123456-' }]);
  assert.ok(rest.equals(blob.subarray(123_456)));
  assert.ok((await collect(provider.open(desc, 0))).equals(blob));
  assert.equal((await collect(provider.open(desc, desc.size))).length, 0, 'nothing is asked for a complete blob');
  assert.equal(requests.length, 2);
});

test('RegistryBlobProvider reports a connection that breaks off as UNAVAILABLE with the host', async (t) => {
  const { provider, host } = await fakeRegistry(t, 'break');
  await assert.rejects(collect(provider.open(desc, 0)), (e: unknown) => {
    return BerthError.is(e) && e.code === 'UNAVAILABLE' && /broke off/.test(e.message) && (e.details?.hosts as string[])[0] === host;
  });
});

test('RegistryBlobProvider passes a 5xx on as UNAVAILABLE (retried by the caller)', async (t) => {
  const { provider } = await fakeRegistry(t, 'flaky-500');
  await assert.rejects(collect(provider.open(desc, 0)), (e: unknown) => BerthError.is(e) && e.code === 'UNAVAILABLE' && /HTTP 503/.test(e.message));
  assert.ok((await collect(provider.open(desc, 0))).equals(blob));
});
