import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hostPlatform, platformMatches, formatPlatform } from './platform.js';

test('hostPlatform() maps Node arch names to OCI platforms', () => {
  assert.deepEqual(hostPlatform('x64'), { os: 'linux', architecture: 'amd64' });
  assert.deepEqual(hostPlatform('arm64'), { os: 'linux', architecture: 'arm64', variant: 'v8' });
  assert.equal(formatPlatform(hostPlatform('arm64')), 'linux/arm64/v8');
});

test('platformMatches() compares os, architecture and variant', () => {
  const amd64 = hostPlatform('x64');
  assert.ok(platformMatches(amd64, { os: 'linux', architecture: 'amd64' }));
  assert.ok(!platformMatches(amd64, { os: 'linux', architecture: 'arm64' }));
  assert.ok(!platformMatches(amd64, { os: 'windows', architecture: 'amd64' }));
  assert.ok(platformMatches(amd64, undefined), 'no platform means any');
  const arm = hostPlatform('arm64');
  assert.ok(platformMatches(arm, { os: 'linux', architecture: 'arm64' }), 'v8 is the default arm64 variant');
  assert.ok(!platformMatches(hostPlatform('arm'), { os: 'linux', architecture: 'arm', variant: 'v6' }));
});
