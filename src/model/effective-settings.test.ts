import { test } from 'node:test';
import assert from 'node:assert/strict';
import { changedKeys, mergeSettings } from './effective-settings.js';
import { defaultSettings } from './defaults.js';

const defaults = defaultSettings({ controlSource: 'oci-archive:/c.tar', adminSource: 'oci-archive:/a.tar' });

test('defaultSettings() enables control and leaves the superpowered admin disabled', () => {
  assert.deepEqual(defaults['host-containers']?.control, { source: 'oci-archive:/c.tar', enabled: true, superpowered: false });
  assert.deepEqual(defaults['host-containers']?.admin, { source: 'oci-archive:/a.tar', enabled: false, superpowered: true });
});

test('mergeSettings() merges tables and replaces leaves, arrays included', () => {
  const merged = mergeSettings(
    { ...defaults, 'container-registry': { mirrors: [{ registry: 'a.io', endpoint: ['https://1'] }] } },
    { 'host-containers': { admin: { enabled: true }, box: { source: 'box' } }, 'container-registry': { mirrors: [] } },
  );
  assert.deepEqual(merged, {
    'host-containers': {
      admin: { source: 'oci-archive:/a.tar', enabled: true, superpowered: true },
      control: { source: 'oci-archive:/c.tar', enabled: true, superpowered: false },
      box: { source: 'box' },
    },
    'container-registry': { mirrors: [] },
  });
});

test('changedKeys() lists only leaves whose effective value differs', () => {
  const sameAsDefault = mergeSettings(defaults, { 'host-containers': { admin: { enabled: false } } });
  assert.deepEqual(changedKeys(defaults, sameAsDefault), []);
  const enabled = mergeSettings(defaults, { 'host-containers': { admin: { enabled: true }, box: { enabled: true } } });
  assert.deepEqual(changedKeys(defaults, enabled), ['settings.host-containers.admin.enabled', 'settings.host-containers.box.enabled']);
  assert.deepEqual(changedKeys(enabled, defaults), ['settings.host-containers.admin.enabled', 'settings.host-containers.box.enabled']);
  const m1 = { 'container-registry': { mirrors: [{ registry: 'a.io', endpoint: ['https://1'] }] } };
  const m2 = { 'container-registry': { mirrors: [{ registry: 'a.io', endpoint: ['https://1'] }] } };
  const m3 = { 'container-registry': { mirrors: [{ registry: 'a.io', endpoint: ['https://2'] }] } };
  assert.deepEqual(changedKeys(m1, m2), []);
  assert.deepEqual(changedKeys(m1, m3), ['settings.container-registry.mirrors']);
});
