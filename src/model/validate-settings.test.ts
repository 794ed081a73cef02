import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateSettings, validateSettingsPatch } from './validate-settings.js';
import { USER_DATA_MAX_BYTES } from './settings.js';
import { parseSettingsDocument } from './settings-document.js';

const b64 = (s: string): string => Buffer.from(s).toString('base64');

test('validateSettings() accepts every documented key and returns the same tree', () => {
  const input = {
    'host-containers': {
      admin: { source: 'public.ecr.aws/bottlerocket/bottlerocket-admin:v0.11.13', enabled: true, superpowered: true, 'user-data': b64('{"ssh":{}}'), 'enabled-until': '2030-01-01T00:00:00Z' },
      'my-box-1': { source: 'oci-archive:/images/box.tar', enabled: false },
    },
    'bootstrap-containers': { setup: { source: 'localhost:5000/setup', mode: 'once', essential: true, 'user-data': '' } },
    'container-registry': {
      mirrors: [{ registry: '*', endpoint: ['https://mirror.example'] }, { registry: 'docker.io', endpoint: ['http://127.0.0.1:5000'] }],
      credentials: [{ registry: 'docker.io', username: 'u', password: 'p' }, { registry: 'r.example:5000', auth: b64('u:p') }, { registry: 'ecr.example', identitytoken: 't' }],
    },
  };
  assert.deepEqual(validateSettings(input), input);
  assert.deepEqual(validateSettings({}), {});
  assert.deepEqual(validateSettings({ 'host-containers': { x: {} } }), {}, 'empty tables are dropped');
  const longName = 'a'.repeat(76);
  assert.deepEqual(validateSettings({ 'host-containers': { [longName]: { enabled: true } } }), { 'host-containers': { [longName]: { enabled: true } } });
});

test('validateSettings() rejects bad input naming the key and the reason', () => {
  const cases: Array<[unknown, RegExp]> = [
    [null, /^Invalid settings: expected a table, got null$/],
    [[], /expected a table, got an array/],
    [{ motd: 'hi' }, /^Unknown setting 'motd' \(allowed here: host-containers, bootstrap-containers, bootstrap-commands, container-registry\)$/],
    [{ 'host-containers': [] }, /^Invalid setting 'host-containers': expected a table, got an array$/],
    [{ 'host-containers': { admin: { enabled: 'yes' } } }, /^Invalid setting 'host-containers\.admin\.enabled': expected a boolean, got "yes"$/],
    [{ 'host-containers': { admin: { enabled: 1 } } }, /'host-containers\.admin\.enabled': expected a boolean, got 1$/],
    [{ 'host-containers': { admin: { colour: 'red' } } }, /^Unknown setting 'host-containers\.admin\.colour' \(allowed here: source, enabled, superpowered, user-data, enabled-until, command, environment, api-access, resources\)$/],
    [{ 'host-containers': { my_box: {} } }, /^Invalid setting 'host-containers\.my_box': container name must be 1 to 76/],
    [{ 'host-containers': { '../etc': {} } }, /'host-containers\.\.\.\/etc': container name/],
    [{ 'host-containers': { ['a'.repeat(77)]: {} } }, /container name must be 1 to 76/],
    [{ 'host-containers': { '': {} } }, /container name/],
    [{ 'host-containers': { 'a.b': {} } }, /container name/],
    [{ 'host-containers': { admin: { source: 'Bad Ref' } } }, /^Invalid setting 'host-containers\.admin\.source': invalid image reference "Bad Ref": it contains whitespace$/],
    [{ 'host-containers': { admin: { source: 42 } } }, /source': expected an image reference string, got 42$/],
    [{ 'host-containers': { admin: { 'user-data': 'not base64!' } } }, /'host-containers\.admin\.user-data': not valid base64: it contains whitespace/],
    [{ 'host-containers': { admin: { 'user-data': 'abc$' } } }, /user-data': not valid base64: it has characters outside/],
    [{ 'host-containers': { admin: { 'user-data': Buffer.alloc(USER_DATA_MAX_BYTES + 1).toString('base64') } } }, new RegExp(`decoded size ${USER_DATA_MAX_BYTES + 1} bytes exceeds the limit of ${USER_DATA_MAX_BYTES} bytes`)],
    [{ 'host-containers': { admin: { 'enabled-until': '2030-01-01T00:00:00' } } }, /enabled-until': "2030-01-01T00:00:00": expected an RFC 3339 time with a timezone/],
    [{ 'bootstrap-containers': { b: { mode: 'sometimes' } } }, /^Invalid setting 'bootstrap-containers\.b\.mode': expected one of "off", "once", "always", got "sometimes"$/],
    [{ 'bootstrap-containers': { b: { essential: 'true' } } }, /essential': expected a boolean, got "true"/],
    [{ 'container-registry': { mirrors: 'https://m' } }, /'container-registry\.mirrors': expected an array of tables, got "https:\/\/m"$/],
    [{ 'container-registry': { mirrors: [{ registry: 'docker.io', endpoint: 'https://m' }] } }, /'container-registry\.mirrors\[0\]\.endpoint': expected an array of URLs/],
    [{ 'container-registry': { mirrors: [{ registry: 'docker.io', endpoint: ['ftp://m'] }] } }, /mirrors\[0\]\.endpoint\[0\]': "ftp:\/\/m" must start with https:\/\/ or http:\/\//],
    [{ 'container-registry': { mirrors: { 'docker.io': 'https://m' } } }, /^Invalid setting 'container-registry\.mirrors\.docker\.io': expected an array of URLs, got "https:\/\/m"$/],
    [{ 'container-registry': { mirrors: { 'docker.io': [] } } }, /'container-registry\.mirrors\.docker\.io': expected 1 to 256 URLs$/],
    [{ 'container-registry': { mirrors: { 'a b': ['https://m'] } } }, /'container-registry\.mirrors\.a b': "a b" is not a registry host/],
    [{ 'container-registry': { mirrors: { 'docker.io': ['https://m', 'ftp://m'] } } }, /^Invalid setting 'container-registry\.mirrors\.docker\.io\[1\]': "ftp:\/\/m" must start with/],
    [{ 'container-registry': { mirrors: [{ registry: 'docker.io', endpoint: ['x'], extra: 1 }] } }, /mirrors\[0\]\.extra': unknown field/],
    [{ 'container-registry': { mirrors: [{ registry: 'a b', endpoint: ['https://m'] }] } }, /mirrors\[0\]\.registry': "a b" is not a registry host/],
    [{ 'container-registry': { mirrors: [{ registry: 'x.io', endpoint: ['https://m'] }, { registry: 'x.io', endpoint: ['https://n'] }] } }, /mirrors\[1\]\.registry': registry "x\.io" is listed twice/],
    [{ 'container-registry': { credentials: [{ registry: 'docker.io', username: 'u' }] } }, /credentials\[0\]': username and password must be given together/],
    [{ 'container-registry': { credentials: [{ registry: 'docker.io' }] } }, /credentials\[0\]': expected username and password, auth, or identitytoken/],
    [{ 'container-registry': { credentials: [{ registry: 'docker.io', auth: b64('nocolon') }] } }, /credentials\[0\]\.auth': expected base64 of "user:password"/],
    [{ 'container-registry': { colour: [] } }, /^Unknown setting 'container-registry\.colour' \(allowed here: mirrors, credentials\)$/],
    [{ 'host-containers': { admin: null } }, /^Invalid setting 'host-containers\.admin': expected a value, got null$/],
  ];
  for (const [input, want] of cases) {
    assert.throws(
      () => validateSettings(input),
      (err: Error & { code?: string }) => {
        assert.equal(err.code, 'INVALID_ARGUMENT');
        assert.match(err.message, want);
        assert.ok(!err.message.includes('\n'), 'one line');
        return true;
      },
      JSON.stringify(input).slice(0, 200),
    );
  }
});

test('validateSettings() stores the table form of mirrors in the array form, in table order', () => {
  const table = { 'docker.io': ['https://mirror-1.example', 'http://127.0.0.1:5000'], '*': ['https://all.example'] };
  assert.deepEqual(validateSettings({ 'container-registry': { mirrors: table } }), {
    'container-registry': {
      mirrors: [
        { registry: 'docker.io', endpoint: ['https://mirror-1.example', 'http://127.0.0.1:5000'] },
        { registry: '*', endpoint: ['https://all.example'] },
      ],
    },
  });
  assert.deepEqual(validateSettings({ 'container-registry': { mirrors: {} } }), { 'container-registry': { mirrors: [] } });
});

test('validateSettings() refuses a mirror endpoint holding a control character, naming the key and the character', () => {
  const cases: Array<[string, string]> = [
    ['https://mirror.example/\u0000', 'U+0000 at position 23'],
    ['https://mirror.example/a\nb', 'U+000A at position 24'],
    ['https://mirror\r.example', 'U+000D at position 14'],
    ['\thttps://mirror.example', 'U+0009 at position 0'],
    ['https://mirror.example/\u007f', 'U+007F at position 23'],
    ['https://mirror.example/\u009b', 'U+009B at position 23'],
  ];
  for (const [endpoint, where] of cases) {
    assert.throws(() => validateSettings({ 'container-registry': { mirrors: [{ registry: 'docker.io', endpoint: ['https://ok.example', endpoint] }] } }), {
      code: 'INVALID_ARGUMENT',
      message: `Invalid setting 'container-registry.mirrors[0].endpoint[1]': holds the control character ${where}`,
    });
    assert.throws(() => validateSettingsPatch({ 'container-registry': { mirrors: { 'docker.io': [endpoint] } } }), {
      message: `Invalid setting 'container-registry.mirrors.docker.io[0]': holds the control character ${where}`,
    });
  }
});

test('validateSettings() accepts user-data of exactly the limit', () => {
  const data = Buffer.alloc(USER_DATA_MAX_BYTES, 7).toString('base64');
  assert.equal(validateSettings({ 'host-containers': { a: { 'user-data': data } } })['host-containers']?.a?.['user-data'], data);
});

test('validateSettingsPatch() turns a tree into leaves to set and keys to reset', () => {
  const change = validateSettingsPatch({
    'host-containers': { admin: { enabled: true, 'user-data': null }, old: null },
    'container-registry': null,
  });
  assert.deepEqual([...change.set], [['settings.host-containers.admin.enabled', true]]);
  assert.deepEqual(change.unset, ['settings.host-containers.admin.user-data', 'settings.host-containers.old', 'settings.container-registry']);
  assert.throws(() => validateSettingsPatch({ 'host-containers': { admin: { enabled: 'no' } } }), /expected a boolean/);
});

test('validateSettings() takes command and environment from TOML user data as Bottlerocket users write it', () => {
  const doc = parseSettingsDocument(
    [
      '[settings.host-containers.agent]',
      'enabled = true',
      'source = "registry.example/agent:1"',
      'command = ["/usr/bin/agent", "--verbose", ""]',
      '[settings.host-containers.agent.environment]',
      'HTTPS_PROXY = "http://proxy:3128"',
      'NO_PROXY = "localhost"',
      '[settings.bootstrap-containers.setup]',
      'source = "registry.example/setup:1"',
      'mode = "once"',
      'command = ["/bin/sh", "-c", "mkfs /dev/xvdb"]',
      '',
    ].join('\n'),
    { name: 'user-data.toml' },
  );
  assert.deepEqual(validateSettings(doc), {
    'host-containers': {
      agent: {
        enabled: true,
        source: 'registry.example/agent:1',
        command: ['/usr/bin/agent', '--verbose', ''],
        environment: { HTTPS_PROXY: 'http://proxy:3128', NO_PROXY: 'localhost' },
      },
    },
    'bootstrap-containers': { setup: { source: 'registry.example/setup:1', mode: 'once', command: ['/bin/sh', '-c', 'mkfs /dev/xvdb'] } },
  });
  assert.throws(() => validateSettings({ 'bootstrap-containers': { setup: { environment: { A: '1' } } } }), { message: /^Unknown setting 'bootstrap-containers\.setup\.environment'/ });
  assert.throws(() => validateSettings({ 'host-containers': { agent: { command: '/usr/bin/agent' } } }), {
    message: /^Invalid setting 'host-containers\.agent\.command': expected a list of strings/,
  });
});
