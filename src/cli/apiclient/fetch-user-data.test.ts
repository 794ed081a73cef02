import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { fetchUserData, isLoopbackHost } from './fetch-user-data.js';

async function serve(t: { after(fn: () => Promise<void>): void }, handler: http.RequestListener, host = '127.0.0.1'): Promise<string> {
  const server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  t.after(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  const { port } = server.address() as AddressInfo;
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

const USER_DATA = '[settings.host-containers.admin]\nenabled = true\n';

test('isLoopbackHost() accepts localhost, 127.0.0.0/8 and ::1 as URL spells them, nothing else', () => {
  for (const url of ['http://localhost/', 'http://LOCALHOST/', 'http://127.0.0.1/', 'http://127.255.0.9/', 'http://[::1]/', 'http://[0:0:0:0:0:0:0:1]/', 'http://2130706433/']) {
    assert.ok(isLoopbackHost(new URL(url).hostname), url);
  }
  for (const url of ['http://10.0.0.1/', 'http://128.0.0.1/', 'http://[::2]/', 'http://[::ffff:10.0.0.1]/', 'http://localhost.example/', 'http://example.com/']) {
    assert.ok(!isLoopbackHost(new URL(url).hostname), url);
  }
});

test('fetchUserData() reads http:// from loopback addresses and names, reporting the status line', async (t) => {
  const seen: string[] = [];
  const base = await serve(t, (req, res) => res.end(USER_DATA));
  assert.equal(await fetchUserData(`${base}/user-data.toml`, { limit: 1024, onStatus: (l) => seen.push(l) }), USER_DATA);
  assert.deepEqual(seen, ['HTTP/1.1 200 OK']);
  assert.equal(await fetchUserData(base.replace('127.0.0.1', 'localhost'), { limit: 1024 }), USER_DATA);
  const v6 = await serve(t, (req, res) => res.end(USER_DATA), '::1');
  assert.equal(await fetchUserData(v6, { limit: 1024 }), USER_DATA);
});

test('fetchUserData() refuses other schemes, plain http off the host, and bad URLs before connecting', async () => {
  const cases: Array<[string, string]> = [
    ['ftp://127.0.0.1/u.toml', "Cannot apply 'ftp://127.0.0.1/u.toml': only https:// (and http:// to a loopback address) can be fetched, not ftp://"],
    ['s3://bucket/u.toml', "Cannot apply 's3://bucket/u.toml': only https:// (and http:// to a loopback address) can be fetched, not s3://"],
    ['http://192.0.2.1/u.toml', "Cannot apply 'http://192.0.2.1/u.toml': http:// is allowed only to a loopback address (127.0.0.0/8, ::1, localhost): use https://"],
    ['http://example.com/u.toml', "Cannot apply 'http://example.com/u.toml': http:// is allowed only to a loopback address (127.0.0.0/8, ::1, localhost): use https://"],
    ['https://', "Cannot apply 'https://': not a valid URL"],
  ];
  for (const [source, message] of cases) {
    await assert.rejects(fetchUserData(source, { limit: 1024 }), { code: 'INVALID_ARGUMENT', message });
  }
});

test('fetchUserData() fails on a non-2xx reply, a body over the limit (declared or not) and a server that does not finish', async (t) => {
  const base = await serve(t, (req, res) => {
    if (req.url === '/missing') return res.writeHead(404).end('nope');
    if (req.url === '/redirect') return res.writeHead(302, { location: '/ok' }).end();
    if (req.url === '/declared') return res.writeHead(200, { 'content-length': 2048 }).end('x'.repeat(2048));
    if (req.url === '/chunked') {
      res.write('x'.repeat(1000));
      return setTimeout(() => res.end('x'.repeat(1000)), 10);
    }
    if (req.url === '/exact') return res.end('x'.repeat(1024));
    res.write('[settings]\n'); // and never ends
  });
  await assert.rejects(fetchUserData(`${base}/missing`, { limit: 1024 }), { code: 'UNAVAILABLE', message: `Cannot apply '${base}/missing': the server answered 404 Not Found` });
  await assert.rejects(fetchUserData(`${base}/redirect`, { limit: 1024 }), { code: 'UNAVAILABLE', message: `Cannot apply '${base}/redirect': the server answered 302 Found` });
  for (const path of ['/declared', '/chunked']) {
    await assert.rejects(fetchUserData(`${base}${path}`, { limit: 1024 }), {
      code: 'PAYLOAD_TOO_LARGE',
      message: `Cannot apply '${base}${path}': the user data is larger than the limit of 1024 bytes`,
    });
  }
  assert.equal((await fetchUserData(`${base}/exact`, { limit: 1024 })).length, 1024);
  await assert.rejects(fetchUserData(`${base}/hang`, { limit: 1024, timeoutMs: 200 }), {
    code: 'DEADLINE_EXCEEDED',
    message: `Cannot apply '${base}/hang': no complete reply within 200 ms`,
  });
});

test('fetchUserData() says why it cannot connect', async (t) => {
  const base = await serve(t, (req, res) => res.end());
  const closed = base.replace(/:\d+$/, ':1');
  await assert.rejects(fetchUserData(closed, { limit: 1024 }), (err: Error & { code?: string }) => {
    assert.equal(err.code, 'UNAVAILABLE');
    assert.match(err.message, /^Cannot apply 'http:\/\/127\.0\.0\.1:1': connect ECONNREFUSED 127\.0\.0\.1:1$/);
    return true;
  });
});
