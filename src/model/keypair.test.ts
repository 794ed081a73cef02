import { test } from 'node:test';
import assert from 'node:assert/strict';
import { keypairsToTree, parseKeypair, typeKeypairValue } from './keypair.js';

test('typeKeypairValue() tries bool, then number, then string', () => {
  assert.equal(typeKeypairValue('true'), true);
  assert.equal(typeKeypairValue('false'), false);
  assert.equal(typeKeypairValue('42'), 42);
  assert.equal(typeKeypairValue('-1.5e3'), -1500);
  assert.equal(typeKeypairValue('0123'), '0123');
  assert.equal(typeKeypairValue('True'), 'True');
  assert.equal(typeKeypairValue(''), '');
  assert.equal(typeKeypairValue('1e999'), '1e999');
  assert.equal(typeKeypairValue('a=b'), 'a=b');
});

test('parseKeypair() splits at the first = and adds the settings. prefix', () => {
  assert.deepEqual(parseKeypair('host-containers.admin.enabled=true'), { key: 'settings.host-containers.admin.enabled', value: true });
  assert.deepEqual(parseKeypair('settings.host-containers.admin.user-data=eyJ9=='), { key: 'settings.host-containers.admin.user-data', value: 'eyJ9==' });
  assert.throws(() => parseKeypair('host-containers.admin.enabled'), { message: /^Invalid key=value pair "host-containers\.admin\.enabled": expected KEY=VALUE$/ });
  assert.throws(() => parseKeypair('motd=hi'), { message: /^Unknown setting 'motd'/ });
  assert.throws(() => parseKeypair('host-containers.a_b.enabled=true'), { message: /^Invalid key/ });
  assert.throws(() => parseKeypair('=x'), { message: /^Invalid key ""/ });
});

test('keypairsToTree() builds the patch tree and refuses repeated keys', () => {
  assert.deepEqual(keypairsToTree(['host-containers.admin.enabled=true', 'settings.host-containers.admin.superpowered=false']), {
    'host-containers': { admin: { enabled: true, superpowered: false } },
  });
  assert.throws(() => keypairsToTree(['host-containers.admin.enabled=true', 'settings.host-containers.admin.enabled=false']), { message: /given more than once/ });
});
