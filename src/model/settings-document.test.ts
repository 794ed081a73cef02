import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseSettingsDocument } from './settings-document.js';

test('parseSettingsDocument() reads Bottlerocket user-data TOML', () => {
  const toml = [
    '[settings.host-containers.admin]',
    'enabled = true',
    'superpowered = true',
    'user-data = "eyJzc2giOnt9fQ=="',
    '',
    '[settings.host-containers.custom]',
    'source = "localhost:5000/custom:1"',
    'enabled-until = 2030-01-01T00:00:00Z',
    '',
    '[[settings.container-registry.mirrors]]',
    'registry = "docker.io"',
    'endpoint = ["https://mirror.example"]',
  ].join('\n');
  assert.deepEqual(parseSettingsDocument(toml, { name: 'user-data.toml' }), {
    'host-containers': {
      admin: { enabled: true, superpowered: true, 'user-data': 'eyJzc2giOnt9fQ==' },
      custom: { source: 'localhost:5000/custom:1', 'enabled-until': '2030-01-01T00:00:00.000Z' },
    },
    'container-registry': { mirrors: [{ registry: 'docker.io', endpoint: ['https://mirror.example'] }] },
  });
});

test('parseSettingsDocument() reads the JSON form', () => {
  assert.deepEqual(parseSettingsDocument(' {"settings":{"host-containers":{"admin":{"enabled":true}}}}', { name: 'x' }), {
    'host-containers': { admin: { enabled: true } },
  });
});

test('parseSettingsDocument() names the line of a TOML error and the missing settings table', () => {
  const cases: Array<[string, RegExp]> = [
    ['[settings]\nx = \n', /^Invalid TOML in f\.toml at line 2, column 5: /],
    ['[settings.a]\nb = 1\nb = 2\n', /^Invalid TOML in f\.toml at line 3, column 1: trying to redefine/],
    ['[other]\nx = 1\n', /^Invalid user data in f\.toml: unknown top-level key 'other'/],
    ['x = 1\n', /unknown top-level key 'x'/],
    ['', /no top-level 'settings' table/],
    ['settings = 3', /'settings' must be a table/],
    ['{"settings": ', /^Invalid JSON in f\.toml: /],
    ['{"settings": []}', /'settings' must be a table/],
  ];
  for (const [text, want] of cases) {
    assert.throws(() => parseSettingsDocument(text, { name: 'f.toml' }), (err: Error & { code?: string }) => {
      assert.equal(err.code, 'INVALID_ARGUMENT');
      assert.match(err.message, want);
      assert.ok(!err.message.includes('\n'));
      return true;
    }, text);
  }
});
