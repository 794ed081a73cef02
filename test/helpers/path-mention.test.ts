import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mentionsPath } from './path-mention.js';

test('mentionsPath() finds a directory or a path below it anywhere in the text', () => {
  for (const text of ['/t/r', '/t/r/x', '--root=/t/r', 'unix:///t/r/s.sock', '{"dataDir":"/t/r/var"}']) {
    assert.ok(mentionsPath(text, '/t/r'), text);
  }
});

test('mentionsPath() ignores siblings that only start like the directory', () => {
  for (const text of ['/t/r-sibling', '/t/rx/y', '/t/r.old', '/t', '']) assert.ok(!mentionsPath(text, '/t/r'), text);
});
