import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpTransport, isNotTls, readBody } from './http-transport.js';
import { BerthError } from '../../errors/index.js';

async function serve(handler: http.RequestListener): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => {
      server.closeAllConnections();
      return new Promise((r) => server.close(() => r()));
    },
  };
}

test('HttpTransport follows a redirect to another origin without the Authorization header', async (t) => {
  const seen: Array<string | undefined> = [];
  const storage = await serve((req, res) => {
    seen.push(req.headers.authorization);
    res.end('blob bytes');
  });
  const registry = await serve((req, res) => {
    seen.push(req.headers.authorization);
    res.writeHead(307, { location: `${storage.url}/bucket/blob?sig=1` }).end();
  });
  const transport = new HttpTransport();
  t.after(async () => {
    transport.close();
    await storage.close();
    await registry.close();
  });
  const res = await transport.request(new URL(`${registry.url}/v2/a/blobs/x`), { headers: { authorization: 'Bearer secret' } });
  assert.equal((await readBody(res, 100)).toString(), 'blob bytes');
  assert.equal(res.url.href, `${storage.url}/bucket/blob?sig=1`);
  assert.deepEqual(seen, ['Bearer secret', undefined]);
});

test('HttpTransport reports a refused connection as UNAVAILABLE and TLS to a plain server as not TLS', async (t) => {
  const gone = await serve((_req, res) => res.end());
  const url = gone.url;
  await gone.close();
  const transport = new HttpTransport();
  t.after(() => transport.close());
  await assert.rejects(transport.request(new URL(`${url}/v2/`)), (e: unknown) => BerthError.is(e) && e.code === 'UNAVAILABLE' && /ECONNREFUSED/.test(e.message));

  const plain = await serve((_req, res) => res.end('plain'));
  t.after(() => plain.close());
  await assert.rejects(transport.request(new URL(`${plain.url.replace('http:', 'https:')}/v2/`)), (e: unknown) => isNotTls(e));
});

test('HttpTransport refuses plain http to a host that is not loopback', async (t) => {
  const transport = new HttpTransport();
  t.after(() => transport.close());
  await assert.rejects(transport.request(new URL('http://registry.example.com/v2/')), /plain http is used only for loopback/);
});

test('HttpTransport times out a silent server and readBody() enforces its limit', async (t) => {
  const server = await serve((req, res) => {
    if (req.url === '/big') res.end('x'.repeat(1000));
    // else: never answer
  });
  const transport = new HttpTransport({ idleTimeoutMs: 100 });
  t.after(async () => {
    transport.close();
    await server.close();
  });
  await assert.rejects(transport.request(new URL(`${server.url}/silent`)), (e: unknown) => BerthError.is(e) && e.code === 'UNAVAILABLE' && /ETIMEDOUT/.test(e.message));
  await assert.rejects(readBody(await transport.request(new URL(`${server.url}/big`)), 10), (e: unknown) => BerthError.is(e) && e.code === 'PAYLOAD_TOO_LARGE');
});
