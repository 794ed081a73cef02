import { test } from 'node:test';
import assert from 'node:assert/strict';
import { desiredHostContainers, expired } from './desired.js';

const now = new Date('2026-11-25T12:00:00Z');

test('desiredHostContainers() wants enabled containers with a source, decoding user data', () => {
  const d = desiredHostContainers(
    {
      'host-containers': {
        control: { source: 'oci-archive:/c.tar', enabled: true },
        admin: { source: 'oci-archive:/a.tar', enabled: false, superpowered: true },
        custom: { source: 'registry.example/x:1', enabled: true, 'user-data': Buffer.from('hello').toString('base64') },
        nosource: { enabled: true },
      },
    },
    now,
  );
  assert.deepEqual([...d.keys()].sort(), ['control', 'custom']);
  assert.equal(d.get('custom')?.userData?.toString(), 'hello');
  assert.equal(d.get('control')?.superpowered, false);
});

test('desiredHostContainers() hashes exactly the inputs that shape a container', () => {
  const base = { source: 'oci-archive:/a.tar', enabled: true, superpowered: true };
  const hash = (s: object) => desiredHostContainers(s, now).get('admin')?.hash;
  const h = hash({ 'host-containers': { admin: base } });
  assert.equal(hash({ 'host-containers': { admin: { ...base } } }), h, 'same inputs, same hash');
  assert.notEqual(hash({ 'host-containers': { admin: { ...base, superpowered: false } } }), h);
  assert.notEqual(hash({ 'host-containers': { admin: { ...base, source: 'oci-archive:/b.tar' } } }), h);
  assert.notEqual(hash({ 'host-containers': { admin: { ...base, 'user-data': 'aGk=' } } }), h);
  assert.notEqual(hash({ 'host-containers': { admin: base }, 'container-registry': { mirrors: [{ registry: '*', endpoint: ['https://m'] }] } }), h);
  assert.equal(
    hash({ 'host-containers': { admin: base, other: { source: 'oci-archive:/o.tar', enabled: true } } }),
    h,
    'another container does not change this one',
  );
});

test('desiredHostContainers() drops a container whose enabled-until has passed', () => {
  const s = { 'host-containers': { admin: { source: 'oci-archive:/a.tar', enabled: true, 'enabled-until': '2026-11-25T11:59:59Z' } } };
  assert.equal(desiredHostContainers(s, now).size, 0);
  assert.ok(expired('2026-11-25T12:00:00Z', now));
  assert.ok(!expired('2026-11-25T12:00:01Z', now));
  assert.ok(!expired(undefined, now));
});
