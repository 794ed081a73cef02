import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertRefused } from './_assert-refused.js';
import { COMMAND_MAX_BYTES, COMMAND_MAX_ITEMS, validateCommand } from './command-setting.js';

const key = ['host-containers', 'box', 'command'];

test('validateCommand() accepts a list of strings, the empty list, and empty arguments after the program', () => {
  assert.deepEqual(validateCommand(['/bin/sh', '-c', 'echo hi'], key), ['/bin/sh', '-c', 'echo hi']);
  assert.deepEqual(validateCommand([], key), []);
  assert.deepEqual(validateCommand(['ssh-keygen', '-N', ''], key), ['ssh-keygen', '-N', '']);
  assert.deepEqual(validateCommand(['x'.repeat(COMMAND_MAX_BYTES)], key), ['x'.repeat(COMMAND_MAX_BYTES)]);
});

test('validateCommand() refuses what is not a list of strings, naming the key and the item', () => {
  const cases: Array<[unknown, RegExp]> = [
    ['/bin/sh -c true', /^Invalid setting 'host-containers\.box\.command': expected a list of strings, got "\/bin\/sh -c true"$/],
    [{ 0: '/bin/sh' }, /expected a list of strings, got an object$/],
    [['/bin/sh', 42], /^Invalid setting 'host-containers\.box\.command': item 1 is not a string: got 42$/],
    [[['/bin/sh']], /item 0 is not a string: got an array$/],
    [['/bin/sh', null], /item 1 is not a string: got null$/],
    [['', 'x'], /item 0 \(the program\) is empty$/],
    [['/bin/echo', 'a\0b'], /item 1 contains a NUL character$/],
    [Array(COMMAND_MAX_ITEMS + 1).fill('x'), new RegExp(`${COMMAND_MAX_ITEMS + 1} items exceed the limit of ${COMMAND_MAX_ITEMS}$`)],
    [['x'.repeat(COMMAND_MAX_BYTES), 'y'], new RegExp(`${COMMAND_MAX_BYTES + 1} bytes exceed the limit of ${COMMAND_MAX_BYTES}$`)],
    [['é'.repeat(COMMAND_MAX_BYTES / 2 + 1)], /bytes exceed the limit/],
  ];
  for (const [value, message] of cases) {
    assertRefused(() => validateCommand(value, key), { key: 'host-containers.box.command', message, what: JSON.stringify(value).slice(0, 60) });
  }
});
