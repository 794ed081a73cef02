import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeKey, describeValue } from './describe-value.js';

test('describeValue() renders values on one short line', () => {
  assert.equal(describeValue('yes'), '"yes"');
  assert.equal(describeValue(1), '1');
  assert.equal(describeValue(false), 'false');
  assert.equal(describeValue(null), 'null');
  assert.equal(describeValue([1]), 'an array');
  assert.equal(describeValue({}), 'an object');
  assert.equal(describeValue('a\nb'), '"a\\nb"');
  assert.ok(describeValue('x'.repeat(10000)).length < 70);
});

test('describeKey() quotes keys and escapes control characters', () => {
  assert.equal(describeKey(['host-containers', 'admin', 'enabled']), "'host-containers.admin.enabled'");
  assert.equal(describeKey(['host-containers', 'a\nb']), '"host-containers.a\\nb"');
  assert.ok(!describeKey(['x'.repeat(5000)]).includes('\n'));
  assert.ok(describeKey(['x'.repeat(5000)]).length < 70);
});
