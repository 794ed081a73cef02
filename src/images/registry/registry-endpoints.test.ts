import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isLoopbackHost, registryEndpoints } from './registry-endpoints.js';
import { BerthError } from '../../errors/index.js';

test('registryEndpoints() maps docker.io to registry-1.docker.io over https', () => {
  assert.deepEqual(registryEndpoints('docker.io'), [
    { host: 'registry-1.docker.io', base: 'https://registry-1.docker.io/v2', mirror: false, httpFallback: false },
  ]);
});

test('registryEndpoints() lets a loopback registry fall back to plain http, and nothing else', () => {
  assert.equal(registryEndpoints('127.0.0.1:5000')[0]?.httpFallback, true);
  assert.equal(registryEndpoints('localhost:5000')[0]?.httpFallback, true);
  assert.equal(registryEndpoints('registry.example.com:5000')[0]?.httpFallback, false);
  assert.equal(registryEndpoints('10.0.0.1:5000')[0]?.httpFallback, false);
});

test('registryEndpoints() puts the exact mirror entry first, in order, then the registry; * only when no entry matches', () => {
  const mirrors = [
    { registry: '*', endpoint: ['https://everything.example'] },
    { registry: 'docker.io', endpoint: ['https://hub-mirror.example', 'http://127.0.0.1:5001/'] },
  ];
  assert.deepEqual(
    registryEndpoints('docker.io', { mirrors }).map((e) => [e.base, e.mirror]),
    [
      ['https://hub-mirror.example/v2', true],
      ['http://127.0.0.1:5001/v2', true],
      ['https://registry-1.docker.io/v2', false],
    ],
  );
  assert.deepEqual(
    registryEndpoints('quay.io', { mirrors }).map((e) => e.base),
    ['https://everything.example/v2', 'https://quay.io/v2'],
  );
  // An entry keyed by the API host serves docker.io too; a path given is kept.
  assert.deepEqual(
    registryEndpoints('docker.io', { mirrors: [{ registry: 'registry-1.docker.io', endpoint: ['https://m.example/prefix/v2/'] }] })[0]?.base,
    'https://m.example/prefix/v2',
  );
});

test('registryEndpoints() refuses an http:// mirror for a host that is not loopback, naming it', () => {
  assert.throws(
    () => registryEndpoints('docker.io', { mirrors: [{ registry: 'docker.io', endpoint: ['http://mirror.example.com'] }] }),
    (e: unknown) => BerthError.is(e) && e.code === 'INVALID_ARGUMENT' && /container-registry\.mirrors/.test(e.message) && /http:\/\/mirror\.example\.com/.test(e.message),
  );
  assert.throws(() => registryEndpoints('docker.io', { mirrors: [{ registry: '*', endpoint: ['ftp://m.example'] }] }), /must start with https/);
  assert.throws(() => registryEndpoints('docker.io', { mirrors: [{ registry: '*', endpoint: ['https://u:p@m.example'] }] }), /credentials/);
});

test('isLoopbackHost() knows 127.0.0.0/8, ::1 and localhost, with or without a port', () => {
  for (const h of ['127.0.0.1', '127.1.2.3:80', 'localhost', 'LOCALHOST:5000', '[::1]', '[::1]:5000', '::1', 'a.localhost']) assert.ok(isLoopbackHost(h), h);
  for (const h of ['128.0.0.1', '10.0.0.1:5000', 'example.com', 'localhost.example.com', '[::2]:80', '127.example.com']) assert.ok(!isLoopbackHost(h), h);
});
