import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertRefused } from './_assert-refused.js';
import { flattenSettings } from './settings-keys.js';
import { parseKeypair } from './keypair.js';
import { parseSettingsDocument } from './settings-document.js';
import { knownFullKey } from './settings-schema.js';
import { validateSettings, validateSettingsPatch } from './validate-settings.js';
import { MEMORY_MAX_BYTES, MEMORY_MIN_BYTES, RESOURCES_FIELDS, resourceLimits } from './resources-setting.js';

const MI = 1024 * 1024;
const key = (name: string) => ['host-containers', 'box', 'resources', name];
const validate = (name: keyof typeof RESOURCES_FIELDS, value: unknown) => RESOURCES_FIELDS[name](value, key(name));

test('resources fields accept Kubernetes-style sizes and CPUs and store them as written', () => {
  const accepted: Array<[keyof typeof RESOURCES_FIELDS, unknown]> = [
    ['memory', '512Mi'],
    ['memory', '6Mi'],
    ['memory', '2Gi'],
    ['memory', '1024Ti'],
    ['memory', 16 * MI],
    ['memory', String(64 * MI)],
    ['cpu-shares', 2],
    ['cpu-shares', 262_144],
    ['cpu-quota', '500m'],
    ['cpu-quota', '10m'],
    ['cpu-quota', 0.25],
    ['cpu-quota', '1.5'],
    ['cpu-quota', 2],
    ['cpu-quota', 1024],
    ['pids-max', 16],
    ['pids-max', 4_194_304],
  ];
  for (const [name, value] of accepted) assert.equal(validate(name, value), value, `${name} = ${String(value)}`);
});

test('resources fields refuse non-numbers, negatives and absurd limits, naming the key', () => {
  const refused: Array<[keyof typeof RESOURCES_FIELDS, unknown, RegExp]> = [
    ['memory', 'lots', /^Invalid setting 'host-containers\.box\.resources\.memory': expected bytes as an integer or a string like "512Mi" \(suffixes Ki, Mi, Gi, Ti\), got "lots"$/],
    ['memory', '512M', /expected bytes as an integer or a string like "512Mi"/],
    ['memory', '1.5Gi', /expected bytes/],
    ['memory', '-1Gi', /expected bytes/],
    ['memory', -1, /'host-containers\.box\.resources\.memory': -1 bytes is out of range: expected 6Mi to 1024Ti$/],
    ['memory', 1.5, /expected bytes/],
    ['memory', true, /expected bytes .*, got true$/],
    ['memory', '4Mi', /4Mi is out of range: expected 6Mi to 1024Ti$/],
    ['memory', MEMORY_MIN_BYTES - 1, /out of range/],
    ['memory', '1025Ti', /out of range/],
    ['memory', MEMORY_MAX_BYTES + MI, /out of range/],
    ['cpu-shares', 1, /^Invalid setting 'host-containers\.box\.resources\.cpu-shares': 1 is out of range: expected 2 to 262144$/],
    ['cpu-shares', 262_145, /out of range/],
    ['cpu-shares', '1024', /expected an integer weight, got "1024"$/],
    ['cpu-shares', 10.5, /expected an integer weight/],
    ['cpu-quota', '5m', /^Invalid setting 'host-containers\.box\.resources\.cpu-quota': 5m is out of range: expected 10m to 1024000m$/],
    ['cpu-quota', 0, /0m is out of range/],
    ['cpu-quota', -1, /expected CPUs as a number \(0\.5, 2\) or millicores as a string \("500m"\) with at most 3 decimals, got -1$/],
    ['cpu-quota', 0.0001, /at most 3 decimals, got 0\.0001$/],
    ['cpu-quota', 1025, /out of range/],
    ['cpu-quota', 'half', /expected CPUs/],
    ['cpu-quota', '1.5m', /expected CPUs/],
    ['cpu-quota', Number.NaN, /expected CPUs/],
    ['cpu-quota', [1], /got an array$/],
    ['pids-max', 15, /^Invalid setting 'host-containers\.box\.resources\.pids-max': 15 is out of range: expected 16 to 4194304$/],
    ['pids-max', -1, /out of range/],
    ['pids-max', 4_194_305, /out of range/],
    ['pids-max', 'max', /expected an integer, got "max"$/],
  ];
  for (const [name, value, message] of refused) {
    assertRefused(() => validate(name, value), { key: `host-containers.box.resources.${name}`, message, what: `${name} = ${JSON.stringify(value)}` });
  }
});

test('resourceLimits() gives the numbers: bytes, millicpus, shares and pids; nothing for what is not set', () => {
  assert.deepEqual(resourceLimits({ memory: '16Mi', 'cpu-shares': 512, 'cpu-quota': '250m', 'pids-max': 64 }), {
    memoryBytes: 16 * MI,
    cpuShares: 512,
    cpuQuotaMillicpus: 250,
    pidsMax: 64,
  });
  assert.deepEqual(resourceLimits({ 'cpu-quota': 1.5 }), { cpuQuotaMillicpus: 1500 });
  assert.deepEqual(resourceLimits({ 'cpu-quota': '0.05' }), { cpuQuotaMillicpus: 50 });
  assert.deepEqual(resourceLimits({ memory: 7 * MI + 1 }), { memoryBytes: 7 * MI + 1 });
  assert.deepEqual(resourceLimits({}), {});
  assert.deepEqual(resourceLimits(undefined), {});
});

test('validateSettings() takes resources as a table of settings each on its own key, from TOML too', () => {
  const doc = parseSettingsDocument(
    ['[settings.host-containers.agent]', 'enabled = true', '[settings.host-containers.agent.resources]', 'memory = "512Mi"', 'cpu-quota = "500m"', 'pids-max = 256', ''].join('\n'),
    { name: 'user-data.toml' },
  );
  assert.deepEqual(validateSettings(doc), { 'host-containers': { agent: { enabled: true, resources: { memory: '512Mi', 'cpu-quota': '500m', 'pids-max': 256 } } } });
  assert.deepEqual(flattenSettings(validateSettings(doc)).get('settings.host-containers.agent.resources.pids-max'), 256);
  assert.deepEqual(validateSettings({ 'host-containers': { agent: { resources: {} } } }), {}, 'an empty table is dropped');
  const change = validateSettingsPatch({ 'host-containers': { agent: { resources: { memory: 64 * MI, 'cpu-shares': null } } } });
  assert.deepEqual([...change.set], [['settings.host-containers.agent.resources.memory', 64 * MI]]);
  assert.deepEqual(change.unset, ['settings.host-containers.agent.resources.cpu-shares']);
  assert.deepEqual(validateSettingsPatch({ 'host-containers': { agent: { resources: null } } }).unset, ['settings.host-containers.agent.resources']);
});

test('resources keys: apiclient set KEY=VALUE reaches each; unknown names and the table as a value are refused, naming the key', () => {
  assert.deepEqual(parseKeypair('host-containers.agent.resources.memory=256Mi'), { key: 'settings.host-containers.agent.resources.memory', value: '256Mi' });
  assert.deepEqual(parseKeypair('host-containers.agent.resources.cpu-quota=0.5'), { key: 'settings.host-containers.agent.resources.cpu-quota', value: 0.5 });
  assert.equal(knownFullKey('host-containers.agent.resources'), 'settings.host-containers.agent.resources');
  const unknownName = /^Unknown setting 'host-containers\.agent\.resources\.swap' \(allowed here: memory, cpu-shares, cpu-quota, pids-max\)$/;
  assertRefused(() => knownFullKey('host-containers.agent.resources.swap'), { key: 'host-containers.agent.resources.swap', message: unknownName, what: 'key' });
  assertRefused(() => validateSettings({ 'host-containers': { agent: { resources: { swap: '1Gi' } } } }), { key: 'host-containers.agent.resources.swap', message: unknownName, what: 'tree' });
  assertRefused(() => knownFullKey('host-containers.agent.resources.memory.max'), {
    key: 'host-containers.agent.resources.memory.max',
    message: /'host-containers\.agent\.resources\.memory' is a value, not a table/,
    what: 'below a leaf',
  });
  assertRefused(() => validateSettings({ 'host-containers': { agent: { resources: '512Mi' } } }), {
    key: 'host-containers.agent.resources',
    message: /^Invalid setting 'host-containers\.agent\.resources': expected a table, got "512Mi"$/,
    what: 'a value for the table',
  });
  assertRefused(() => validateSettings({ 'host-containers': { agent: { resources: { memory: '1Mi' } } } }), {
    key: 'host-containers.agent.resources.memory',
    message: /1Mi is out of range/,
    what: 'a bad value through the schema',
  });
  assert.throws(() => validateSettings({ 'bootstrap-containers': { setup: { resources: {} } } }), { message: /^Unknown setting 'bootstrap-containers\.setup\.resources'/ });
});
