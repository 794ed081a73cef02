import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdir, writeFile, copyFile } from 'node:fs/promises';
import path from 'node:path';
import { pullImage, TokenCache } from '../../src/images/registry/index.js';
import { hostPlatform } from '../../src/images/platform.js';
import type { ProgressEvent } from '../../src/images/progress-events.js';
import { BerthError } from '../../src/errors/index.js';
import { TestRegistry } from './registry-process.js';
import { TokenServer } from './token-server.js';
import { selfSignedCert } from './tls-material.js';
import { pushLayout, testLayout } from './registry-images.js';
import { registryRef, usePullFixture } from './pull-fixture.js';

const platform = hostPlatform(process.arch);
const retry = { attempts: 3, baseMs: 50, maxMs: 200 };
const f = usePullFixture({ withRegistry: false });

function deniedWith(pattern: RegExp) {
  return (e: unknown) => {
    assert.ok(BerthError.is(e), String(e));
    assert.equal(e.code, 'PERMISSION_DENIED', e.message);
    assert.match(e.message, pattern);
    return true;
  };
}

test('pullImage() answers a Basic challenge with credentials from settings, by the host contacted, then the upstream, then docker config', async () => {
  const dir = path.join(f.work, 'basic');
  await mkdir(dir, { recursive: true });
  const htpasswd = path.join(dir, 'htpasswd');
  await writeFile(htpasswd, execFileSync('htpasswd', ['-Bbn', 'tester', 's3cret']));
  const registry = await TestRegistry.start(dir, { htpasswd });
  f.cleanups.push(() => registry.kill());
  const layout = await testLayout({ extraFiles: { '/basic': 'basic auth\n' } });
  const name = `${registry.host}/test/basic:v1`;
  pushLayout(layout, 'latest', name, { creds: 'tester:s3cret' });
  const ref = registryRef(name);

  await assert.rejects(pullImage(f.ctrd.client, ref, { name, platform, retry }), deniedWith(new RegExp(`${registry.host}.*no credentials`)));
  const events: ProgressEvent[] = [];
  await assert.rejects(
    pullImage(f.ctrd.client, ref, {
      name,
      platform,
      retry,
      onProgress: (e) => events.push(e),
      registry: { credentials: [{ registry: registry.host, username: 'tester', password: 'wrong' }] },
    }),
    deniedWith(/refused the credentials from settings\.container-registry\.credentials/),
  );
  assert.ok(!events.some((e) => e.kind === 'retry'), 'a refused password is not retried');

  const good = await pullImage(f.ctrd.client, ref, {
    name,
    platform,
    retry,
    registry: { credentials: [{ registry: registry.host, auth: Buffer.from('tester:s3cret').toString('base64') }] },
  });
  await f.ctrd.client.snapshots.stat(good.chainId);

  // docker's config.json is the fallback when settings have nothing for the host.
  const dockerConfig = path.join(dir, 'config.json');
  await writeFile(dockerConfig, JSON.stringify({ auths: { [`http://${registry.host}/v1/`]: { auth: Buffer.from('tester:s3cret').toString('base64') } } }));
  const fromDocker = await pullImage(f.ctrd.client, ref, { name: `${name}-docker`, platform, retry, dockerConfigPath: dockerConfig });
  assert.equal(fromDocker.manifestDigest, good.manifestDigest);
  await writeFile(dockerConfig, '{ not json');
  await assert.rejects(pullImage(f.ctrd.client, ref, { name, platform, retry, dockerConfigPath: dockerConfig }), (e: unknown) => {
    return BerthError.is(e) && e.code === 'INVALID_ARGUMENT' && e.message.includes(dockerConfig);
  });

  // Through a mirror: credentials for the mirror host come first, the upstream's are the fallback.
  const upstream = 'upstream.invalid:5000';
  const mirrored = `${upstream}/test/basic:v1`;
  const mirrors = [{ registry: upstream, endpoint: [`http://${registry.host}`] }];
  const byMirror = await pullImage(f.ctrd.client, registryRef(mirrored), {
    name: mirrored,
    platform,
    retry,
    registry: {
      mirrors,
      credentials: [
        { registry: upstream, username: 'tester', password: 'wrong' },
        { registry: registry.host, username: 'tester', password: 's3cret' },
      ],
    },
  });
  assert.equal(byMirror.endpoint, `http://${registry.host}/v2`);
  const byUpstream = await pullImage(f.ctrd.client, registryRef(mirrored), {
    name: mirrored,
    platform,
    retry,
    registry: { mirrors, credentials: [{ registry: upstream, username: 'tester', password: 's3cret' }] },
  });
  assert.equal(byUpstream.manifestDigest, good.manifestDigest);
});

test('pullImage() gets bearer tokens from the realm of the challenge over TLS, caches them per scope, and uses identity tokens', async () => {
  const dir = path.join(f.work, 'bearer');
  await mkdir(dir, { recursive: true });
  const signer = selfSignedCert(dir, 'token-signer');
  const tls = selfSignedCert(dir, 'registry');
  const service = 'berth-test-registry';
  const issuer = 'berth-test-issuer';
  const tokens = await TokenServer.start({ signer, issuer, service, users: { puller: 'pw' }, refreshTokens: { 'refresh-abc': 'puller' } });
  f.cleanups.push(() => tokens.close());
  const registry = await TestRegistry.start(dir, { tls, token: { realm: tokens.realm, service, issuer, rootCertBundle: signer.certFile } });
  f.cleanups.push(() => registry.kill());
  const certDir = path.join(dir, 'certs');
  await mkdir(certDir);
  await copyFile(tls.certFile, path.join(certDir, 'ca.crt'));
  const layout = await testLayout({ extraFiles: { '/bearer': 'bearer auth\n' } });
  const name = `${registry.host}/test/bearer:v1`;
  pushLayout(layout, 'latest', name, { certDir, token: tokens.mint([{ type: 'repository', name: 'test/bearer', actions: ['pull', 'push'] }]) });
  const ref = registryRef(name);
  const credentials = [{ registry: registry.host, username: 'puller', password: 'pw' }];

  await assert.rejects(pullImage(f.ctrd.client, ref, { name, platform, retry, registry: { credentials } }), (e: unknown) => {
    return BerthError.is(e) && e.code === 'FAILED_PRECONDITION' && /not trusted/.test(e.message) && /caFile/.test(e.message);
  });
  await assert.rejects(pullImage(f.ctrd.client, ref, { name, platform, retry, caFile: tls.certFile }), deniedWith(/refused anonymous access/));

  tokens.requests.length = 0;
  const cache = new TokenCache();
  const res = await pullImage(f.ctrd.client, ref, { name, platform, retry, caFile: tls.certFile, registry: { credentials }, tokenCache: cache });
  assert.equal(res.endpoint, `https://${registry.host}/v2`);
  await f.ctrd.client.snapshots.stat(res.chainId);
  assert.deepEqual(
    tokens.requests.map((r) => ({ method: r.method, user: r.user, scopes: r.scopes, service: r.service, status: r.status })),
    [{ method: 'GET', user: 'puller', scopes: ['repository:test/bearer:pull'], service, status: 200 }],
    'one token for the manifest, the config and both layers',
  );
  await pullImage(f.ctrd.client, ref, { name, platform, retry, caFile: tls.certFile, registry: { credentials }, tokenCache: cache });
  assert.equal(tokens.requests.length, 1, 'the cached token is used until it expires');
  let now = Date.now();
  const expiring = new TokenCache({ now: () => now });
  await pullImage(f.ctrd.client, ref, { name, platform, retry, caFile: tls.certFile, registry: { credentials }, tokenCache: expiring });
  now += 301_000;
  await pullImage(f.ctrd.client, ref, { name, platform, retry, caFile: tls.certFile, registry: { credentials }, tokenCache: expiring });
  assert.equal(tokens.requests.length, 3, 'an expired token is fetched again');

  tokens.requests.length = 0;
  const viaRefresh = await pullImage(f.ctrd.client, ref, {
    name,
    platform,
    retry,
    caFile: tls.certFile,
    registry: { credentials: [{ registry: registry.host, identitytoken: 'refresh-abc' }] },
  });
  assert.equal(viaRefresh.manifestDigest, res.manifestDigest);
  assert.deepEqual(
    tokens.requests.map((r) => ({ method: r.method, grantType: r.grantType, user: r.user, status: r.status })),
    [{ method: 'POST', grantType: 'refresh_token', user: 'puller', status: 200 }],
  );
  await assert.rejects(
    pullImage(f.ctrd.client, ref, { name, platform, retry, caFile: tls.certFile, registry: { credentials: [{ registry: registry.host, identitytoken: 'revoked' }] } }),
    deniedWith(/Token server .* refused the credentials from settings/),
  );
});
