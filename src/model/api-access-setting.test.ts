import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertRefused } from './_assert-refused.js';
import { API_ACCESS_LEVELS, validateApiAccess } from './api-access-setting.js';
import { validateSettingsPatch } from './validate-settings.js';

const key = ['host-containers', 'box', 'api-access'];

test('validateApiAccess() accepts admin, read-only and none', () => {
  for (const level of API_ACCESS_LEVELS) assert.equal(validateApiAccess(level, key), level);
});

test('validateApiAccess() refuses anything else, naming the key and the value', () => {
  const cases: Array<[unknown, RegExp]> = [
    ['readonly', /^Invalid setting 'host-containers\.box\.api-access': expected one of "admin", "read-only", "none", got "readonly"$/],
    ['Admin', /got "Admin"$/],
    ['', /got ""$/],
    [true, /got true$/],
    [null, /got null$/],
    [['admin'], /got an array$/],
  ];
  for (const [value, message] of cases) {
    assertRefused(() => validateApiAccess(value, key), { key: 'host-containers.box.api-access', message, what: JSON.stringify(value) });
  }
});

test('host-containers.<name>.api-access is a setting of host containers only', () => {
  assert.doesNotThrow(() => validateSettingsPatch({ 'host-containers': { box: { 'api-access': 'read-only' } } }));
  assertRefused(() => validateSettingsPatch({ 'bootstrap-containers': { box: { 'api-access': 'none' } } }), {
    key: 'bootstrap-containers.box.api-access',
    message: /^Unknown setting 'bootstrap-containers\.box\.api-access'/,
    what: 'bootstrap',
  });
});
