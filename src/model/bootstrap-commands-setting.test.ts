import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertRefused } from './_assert-refused.js';
import { BOOTSTRAP_COMMAND_MAX_CALLS, validateApiclientCalls } from './bootstrap-commands-setting.js';
import { COMMAND_MAX_BYTES as CALL_MAX_BYTES, COMMAND_MAX_ITEMS as CALL_MAX_ITEMS } from './command-setting.js';
import { validateSettings } from './validate-settings.js';
import { parseSettingsDocument } from './settings-document.js';

const key = ['bootstrap-commands', 'setup', 'commands'];

test('validateApiclientCalls() accepts lists of apiclient calls, and the empty list', () => {
  const calls = [
    ['apiclient', 'set', 'host-containers.admin.enabled=true'],
    ['apiclient', 'set', '--json', '{"host-containers": {"admin": {"superpowered": false}}}'],
    ['apiclient', 'get', ''],
    ['apiclient'],
  ];
  assert.deepEqual(validateApiclientCalls(calls, key), calls);
  assert.deepEqual(validateApiclientCalls([], key), []);
  assert.deepEqual(validateApiclientCalls([['apiclient', 'x'.repeat(CALL_MAX_BYTES - 9)]], key), [['apiclient', 'x'.repeat(CALL_MAX_BYTES - 9)]]);
});

test('validateApiclientCalls() refuses what is not a list of apiclient calls, naming the key and the call', () => {
  const cases: Array<[unknown, string, RegExp]> = [
    ['apiclient set a=b', 'commands', /^Invalid setting 'bootstrap-commands\.setup\.commands': expected a list of apiclient calls \(each a list of strings\), got "apiclient set a=b"$/],
    [['apiclient', 'set', 'a=b'], 'commands[0]', /^Invalid setting 'bootstrap-commands\.setup\.commands\[0\]': expected a list of strings, got "apiclient"$/],
    [{ 0: ['apiclient'] }, 'commands', /got an object$/],
    [[['/usr/bin/touch', 'x']], 'commands[0]', /^Invalid setting 'bootstrap-commands\.setup\.commands\[0\]': a bootstrap command runs only apiclient: the call must start with "apiclient", got "\/usr\/bin\/touch"$/],
    [[['apiclient', 'get'], ['sh', '-c', 'apiclient get']], 'commands[1]', /must start with "apiclient", got "sh"$/],
    [[['/usr/bin/apiclient', 'get']], 'commands[0]', /must start with "apiclient", got "\/usr\/bin\/apiclient"$/],
    [[[]], 'commands[0]', /must start with "apiclient", got an empty list$/],
    [[['apiclient', 7]], 'commands[0]', /item 1 is not a string: got 7$/],
    [[['apiclient', ['get']]], 'commands[0]', /item 1 is not a string: got an array$/],
    [[['apiclient', 'set', 'a=b\0c']], 'commands[0]', /item 2 contains a NUL character$/],
    [[['apiclient\0', 'get']], 'commands[0]', /item 0 contains a NUL character$/],
    [Array(BOOTSTRAP_COMMAND_MAX_CALLS + 1).fill(['apiclient', 'get']), 'commands', new RegExp(`${BOOTSTRAP_COMMAND_MAX_CALLS + 1} calls exceed the limit of ${BOOTSTRAP_COMMAND_MAX_CALLS}$`)],
    [[['apiclient', ...Array(CALL_MAX_ITEMS).fill('x')]], 'commands[0]', new RegExp(`${CALL_MAX_ITEMS + 1} items exceed the limit of ${CALL_MAX_ITEMS}$`)],
    [[['apiclient', 'x'.repeat(CALL_MAX_BYTES)]], 'commands[0]', new RegExp(`${CALL_MAX_BYTES + 9} bytes exceed the limit of ${CALL_MAX_BYTES}$`)],
  ];
  for (const [value, at, message] of cases) {
    assertRefused(() => validateApiclientCalls(value, key), { key: `bootstrap-commands.setup.${at}`, message, what: JSON.stringify(value).slice(0, 60) });
  }
});

test('validateSettings() takes bootstrap-commands as Bottlerocket documents them, and checks mode and essential as for bootstrap containers', () => {
  const toml = [
    '[settings.bootstrap-commands.001-enable-admin]',
    'commands = [["apiclient", "set", "host-containers.admin.enabled=true"], ["apiclient", "set", "host-containers.admin.superpowered=false"]]',
    'essential = true',
    'mode = "always"',
    '',
  ].join('\n');
  assert.deepEqual(validateSettings(parseSettingsDocument(toml, { name: 'user data' })), {
    'bootstrap-commands': {
      '001-enable-admin': {
        commands: [
          ['apiclient', 'set', 'host-containers.admin.enabled=true'],
          ['apiclient', 'set', 'host-containers.admin.superpowered=false'],
        ],
        essential: true,
        mode: 'always',
      },
    },
  });
  const refused: Array<[unknown, string, RegExp]> = [
    [{ b: { mode: 'sometimes' } }, 'b.mode', /^Invalid setting 'bootstrap-commands\.b\.mode': expected one of "off", "once", "always", got "sometimes"$/],
    [{ b: { essential: 'yes' } }, 'b.essential', /essential': expected a boolean, got "yes"$/],
    [{ b: { command: [['apiclient']] } }, 'b.command', /^Unknown setting 'bootstrap-commands\.b\.command' \(allowed here: commands, mode, essential\)$/],
    [{ b_c: { mode: 'once' } }, 'b_c', /^Invalid setting 'bootstrap-commands\.b_c': .*must be 1 to 76 characters/],
  ];
  for (const [value, at, message] of refused) {
    assertRefused(() => validateSettings({ 'bootstrap-commands': value }), { key: `bootstrap-commands.${at}`, message, what: at });
  }
});
