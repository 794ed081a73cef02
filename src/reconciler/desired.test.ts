import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { BUILD_VERSION, desiredBootstrapContainer, desiredContainer, desiredHostContainers, type ContainerInputs } from './desired.js';

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
});

test('desiredHostContainers() carries command, environment and the registry settings the runtime builds with', () => {
  const registry = { mirrors: [{ registry: '*', endpoint: ['https://m.example'] }] };
  const d = desiredHostContainers(
    {
      'host-containers': { box: { source: 'oci-archive:/b.tar', enabled: true, command: ['/bin/agent', '-v'], environment: { A: '1' } }, plain: { source: 'oci-archive:/p.tar', enabled: true } },
      'container-registry': registry,
    },
    now,
  );
  assert.deepEqual(d.get('box'), { ...d.get('box'), command: ['/bin/agent', '-v'], environment: { A: '1' }, registry });
  assert.deepEqual(d.get('plain'), { ...d.get('plain'), command: [], environment: {}, registry });
});

test('desiredContainer() hashes every field the runtime builds from, the name aside', () => {
  const inputs: ContainerInputs = {
    name: 'box',
    kind: 'host',
    source: 'oci-archive:/a.tar',
    superpowered: false,
    userData: Buffer.from('hi'),
    resources: { memoryBytes: 64 * 1024 * 1024 },
    command: ['/bin/sh'],
    environment: { A: '1' },
    apiAccess: 'admin',
    registry: { credentials: [{ registry: 'r.example', identitytoken: 't' }] },
  };
  const other: { [K in keyof ContainerInputs]: ContainerInputs[K] } = {
    name: 'other',
    kind: 'bootstrap',
    source: 'oci-archive:/b.tar',
    superpowered: true,
    userData: Buffer.from('ho'),
    resources: { memoryBytes: 64 * 1024 * 1024, pidsMax: 100 },
    command: ['/bin/sh', '-c', 'true'],
    environment: { A: '2' },
    apiAccess: 'read-only',
    registry: {},
  };
  const h = desiredContainer(inputs).hash;
  for (const field of Object.keys(inputs) as Array<keyof ContainerInputs>) {
    const changed = desiredContainer({ ...inputs, [field]: other[field] }).hash;
    if (field === 'name') assert.equal(changed, h, 'the name is the key, not an input');
    else assert.notEqual(changed, h, `${field} is part of the hash`);
  }
});

test('desiredContainer() gives a container without command or environment the hash an older berth gave it', () => {
  const registry = { mirrors: [{ registry: '*', endpoint: ['https://m.example'] }] };
  const settings = { 'host-containers': { admin: { source: 'oci-archive:/a.tar', enabled: true, superpowered: true, 'user-data': 'aGk=' } }, 'container-registry': registry };
  const before = createHash('sha256')
    .update(JSON.stringify({ v: BUILD_VERSION, kind: 'host', source: 'oci-archive:/a.tar', superpowered: true, userData: 'aGk=', registry }))
    .digest('hex')
    .slice(0, 32);
  assert.equal(desiredHostContainers(settings, now).get('admin')?.hash, before, 'an upgrade does not restart it');
});

test('desiredBootstrapContainer() carries its command and the registry settings; none without a source', () => {
  const settings = {
    'bootstrap-containers': { setup: { source: 'oci-archive:/s.tar', mode: 'once' as const, command: ['/bin/setup'] }, nosource: { mode: 'always' as const } },
    'container-registry': { mirrors: [{ registry: '*', endpoint: ['https://m.example'] }] },
  };
  const d = desiredBootstrapContainer('setup', settings);
  assert.deepEqual(d, { ...d, kind: 'bootstrap', command: ['/bin/setup'], environment: {}, registry: settings['container-registry'] });
  assert.equal(desiredBootstrapContainer('nosource', settings), undefined);
  assert.equal(desiredBootstrapContainer('missing', settings), undefined);
});

test('desiredHostContainers() carries api-access, admin by default; only another level changes the hash', () => {
  const box = { source: 'oci-archive:/b.tar', enabled: true };
  const settings = {
    'host-containers': { plain: box, admin: { ...box, 'api-access': 'admin' as const }, ro: { ...box, 'api-access': 'read-only' as const }, none: { ...box, 'api-access': 'none' as const } },
  };
  const d = desiredHostContainers(settings, now);
  assert.deepEqual([...d.values()].map((c) => [c.name, c.apiAccess]), [['plain', 'admin'], ['admin', 'admin'], ['ro', 'read-only'], ['none', 'none']]);
  assert.equal(d.get('admin')?.hash, d.get('plain')?.hash, 'admin written out is the default: no restart');
  assert.equal(new Set([...d.values()].map((c) => c.hash)).size, 3, 'read-only and none each replace the container');
  assert.equal(desiredBootstrapContainer('setup', { 'bootstrap-containers': { setup: { source: 'oci-archive:/s.tar' } } })?.apiAccess, 'admin');
});
