import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deepFreeze, flattenSettings, isUnderKey, keySegments, toFullKey, unflattenSettings } from './settings-keys.js';

test('toFullKey() makes the settings. prefix optional', () => {
  assert.equal(toFullKey('host-containers.admin.enabled'), 'settings.host-containers.admin.enabled');
  assert.equal(toFullKey('settings.host-containers.admin.enabled'), 'settings.host-containers.admin.enabled');
  assert.equal(toFullKey('settings'), 'settings');
  assert.deepEqual(keySegments('settings.a.b'), ['a', 'b']);
});

test('keySegments() rejects empty, oversized and odd keys', () => {
  for (const key of ['', 'a..b', '.a', 'a.', 'a/b', '__proto__.x', 'a b', 'x'.repeat(2000), '"a.b"']) {
    assert.throws(() => keySegments(key), (err: Error & { code?: string }) => err.code === 'INVALID_ARGUMENT' && /^Invalid key/.test(err.message), key);
  }
});

test('flattenSettings() and unflattenSettings() go between the tree and dotted leaves', () => {
  const tree = { 'host-containers': { admin: { enabled: true, source: 'x' } }, 'container-registry': { mirrors: [{ registry: 'a', endpoint: ['b'] }] } };
  const flat = flattenSettings(tree);
  assert.deepEqual([...flat.keys()], ['settings.host-containers.admin.enabled', 'settings.host-containers.admin.source', 'settings.container-registry.mirrors']);
  assert.deepEqual(unflattenSettings(flat), tree);
  assert.throws(() => unflattenSettings([['settings.a', 1], ['settings.a.b', 2]]), { message: /^Conflicting keys: 'settings\.a\.b'/ });
  assert.throws(() => unflattenSettings([['settings.a.b', 1], ['settings.a', 2]]), { message: /^Conflicting keys: 'settings\.a'/ });
});

test('isUnderKey() matches whole segments only', () => {
  assert.ok(isUnderKey('settings.a.b', 'settings.a'));
  assert.ok(isUnderKey('settings.a', 'settings.a'));
  assert.ok(!isUnderKey('settings.ab', 'settings.a'));
});

test('deepFreeze() freezes nested objects and arrays', () => {
  const v = deepFreeze({ a: { b: [1, { c: 2 }] } });
  assert.throws(() => {
    (v.a.b as unknown[]).push(3);
  }, TypeError);
  assert.ok(Object.isFrozen(v.a.b[1]));
});

test('flattenSettings() keeps a host container environment as one leaf: its names are not key segments', () => {
  const tree = { 'host-containers': { box: { environment: { MY_VAR: '1', B: '2' }, command: ['/bin/sh'] } } };
  const flat = flattenSettings(tree);
  assert.deepEqual([...flat.keys()], ['settings.host-containers.box.environment', 'settings.host-containers.box.command']);
  assert.deepEqual(flat.get('settings.host-containers.box.environment'), { MY_VAR: '1', B: '2' });
  assert.deepEqual(unflattenSettings(flat), tree);
});
