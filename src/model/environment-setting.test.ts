import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertRefused } from './_assert-refused.js';
import { ENVIRONMENT_MAX_BYTES, ENVIRONMENT_MAX_VARIABLES, validateEnvironment } from './environment-setting.js';

const key = ['host-containers', 'box', 'environment'];

test('validateEnvironment() accepts a table of POSIX names to strings, empty values and newlines included', () => {
  const env = { HTTPS_PROXY: 'http://proxy:3128', _private: '', Mixed9: 'two\nlines', LANG: 'C.UTF-8' };
  assert.deepEqual(validateEnvironment(env, key), env);
  assert.deepEqual(validateEnvironment({}, key), {});
});

test('validateEnvironment() keeps a __proto__ name as a plain variable, not a prototype', () => {
  const out = validateEnvironment(JSON.parse('{"__proto__":"x","A":"1"}'), key) as Record<string, string>;
  assert.deepEqual(Object.entries(out), [['__proto__', 'x'], ['A', '1']]);
  assert.equal(Object.getPrototypeOf(out), Object.prototype);
});

test('validateEnvironment() refuses bad names, non-string values, NUL and oversize tables, naming the key', () => {
  const many = Object.fromEntries(Array.from({ length: ENVIRONMENT_MAX_VARIABLES + 1 }, (_, i) => [`V${i}`, '']));
  const cases: Array<[unknown, RegExp]> = [
    [['A=1'], /^Invalid setting 'host-containers\.box\.environment': expected a table of variable names to strings, got an array$/],
    ['A=1', /expected a table of variable names to strings, got "A=1"$/],
    [{ 'A=B': '1' }, /^Invalid setting 'host-containers\.box\.environment': variable name "A=B" is not letters, digits and '_'/],
    [{ 'A\0B': '1' }, /variable name "A\\u0000B" is not/],
    [{ '1ABC': '1' }, /variable name "1ABC" is not/],
    [{ '': '1' }, /variable name "" is not/],
    [{ 'MY-VAR': '1' }, /variable name "MY-VAR" is not/],
    [{ DEBUG: 1 }, /^Invalid setting 'host-containers\.box\.environment': variable DEBUG: expected a string, got 1$/],
    [{ DEBUG: true }, /variable DEBUG: expected a string, got true$/],
    [{ DEBUG: null }, /variable DEBUG: expected a string, got null$/],
    [{ A: 'x\0y' }, /variable A: value contains a NUL character$/],
    [many, new RegExp(`${ENVIRONMENT_MAX_VARIABLES + 1} variables exceed the limit of ${ENVIRONMENT_MAX_VARIABLES}$`)],
    [{ A: 'x'.repeat(ENVIRONMENT_MAX_BYTES) }, new RegExp(`${ENVIRONMENT_MAX_BYTES + 2} bytes exceed the limit of ${ENVIRONMENT_MAX_BYTES}$`)],
  ];
  for (const [value, message] of cases) {
    assertRefused(() => validateEnvironment(value, key), { key: 'host-containers.box.environment', message, what: JSON.stringify(value).slice(0, 60) });
  }
});
