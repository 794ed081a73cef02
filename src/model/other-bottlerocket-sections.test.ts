import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OTHER_BOTTLEROCKET_SECTIONS, withoutOtherBottlerocketSections } from './other-bottlerocket-sections.js';
import { SETTINGS_SCHEMA } from './settings-schema.js';

test('withoutOtherBottlerocketSections() leaves out only the listed Bottlerocket sections, keeping berth\'s and unknown ones', () => {
  const admin = { admin: { enabled: true } };
  const { owned, skipped } = withoutOtherBottlerocketSections({
    kubernetes: { 'cluster-name': 'c' },
    'host-containers': admin,
    motd: 'hello',
    frobnicate: { x: 1 },
  });
  assert.deepEqual(owned, { 'host-containers': admin, frobnicate: { x: 1 } });
  assert.deepEqual(skipped, ['kubernetes', 'motd']);
});

test('OTHER_BOTTLEROCKET_SECTIONS is sorted and names none of berth\'s own sections', () => {
  assert.deepEqual([...OTHER_BOTTLEROCKET_SECTIONS].sort(), OTHER_BOTTLEROCKET_SECTIONS);
  for (const section of Object.keys(SETTINGS_SCHEMA)) assert.ok(!OTHER_BOTTLEROCKET_SECTIONS.includes(section), section);
  assert.ok(Object.hasOwn(SETTINGS_SCHEMA, 'bootstrap-commands'), "bootstrap commands are berth's: applied, never skipped");
});
