import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateSettingsPatch } from '../model/index.js';
import { applyChange, changeKeys, changeToTree, emptyChange, isEmptyChange, mergeChange } from './pending-change.js';

const patch = validateSettingsPatch;

test('mergeChange() replays patches in order: a later unset drops earlier sets below it', () => {
  let c = emptyChange();
  c = mergeChange(c, patch({ 'host-containers': { a: { enabled: true, superpowered: true }, b: { enabled: true } } }));
  c = mergeChange(c, patch({ 'host-containers': { a: null } }));
  assert.deepEqual([...c.set], [['settings.host-containers.b.enabled', true]]);
  assert.deepEqual(c.unset, ['settings.host-containers.a']);
  c = mergeChange(c, patch({ 'host-containers': { a: { source: 'x' } } }));
  assert.deepEqual(c.unset, ['settings.host-containers.a'], 'a set below an unset keeps the unset');
  c = mergeChange(c, patch({ 'host-containers': { b: { enabled: null } } }));
  c = mergeChange(c, patch({ 'host-containers': { b: { enabled: false } } }));
  assert.deepEqual(c.unset, ['settings.host-containers.a'], 'a set of the same leaf replaces its unset');
  assert.equal(c.set.get('settings.host-containers.b.enabled'), false);
});

test('applyChange() resets unset keys to nothing, then writes the sets', () => {
  const stored = new Map<string, never | boolean | string>([
    ['settings.host-containers.a.enabled', true],
    ['settings.host-containers.a.user-data', 'eA=='],
    ['settings.host-containers.ab.enabled', true],
  ]);
  let c = mergeChange(emptyChange(), patch({ 'host-containers': { a: null } }));
  c = mergeChange(c, patch({ 'host-containers': { a: { source: 'x' } } }));
  assert.deepEqual([...applyChange(stored, c)], [
    ['settings.host-containers.ab.enabled', true],
    ['settings.host-containers.a.source', 'x'],
  ]);
  assert.equal(stored.size, 3, 'input untouched');
});

test('changeToTree() and changeKeys() describe the pending change', () => {
  let c = mergeChange(emptyChange(), patch({ 'host-containers': { a: { enabled: true }, b: null }, 'container-registry': { mirrors: null } }));
  assert.deepEqual(changeToTree(c), { 'host-containers': { a: { enabled: true }, b: null }, 'container-registry': { mirrors: null } });
  assert.deepEqual(changeKeys(c), ['settings.container-registry.mirrors', 'settings.host-containers.a.enabled', 'settings.host-containers.b']);
  c = mergeChange(c, patch({ 'host-containers': null }));
  assert.deepEqual(changeToTree(c), { 'container-registry': { mirrors: null }, 'host-containers': null });
  assert.ok(!isEmptyChange(c));
  assert.ok(isEmptyChange(emptyChange()));
});
