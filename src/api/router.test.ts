import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Router, type Route } from './router.js';

const route = (method: string, path: string): Route => ({ method, path, handler: async () => ({ status: 204 }) });

test('Router matches literal and :param segments, and tells a wrong method from a missing path', () => {
  const r = new Router();
  const get = route('GET', '/settings');
  const patch = route('PATCH', '/settings');
  const one = route('GET', '/host-containers/:name');
  [get, patch, one].forEach((x) => r.add(x));
  assert.deepEqual(r.match('GET', '/settings'), { kind: 'found', route: get, params: {} });
  assert.deepEqual(r.match('GET', '/host-containers/ad%2Dmin'), { kind: 'found', route: one, params: { name: 'ad-min' } });
  assert.deepEqual(r.match('PUT', '/settings'), { kind: 'wrong-method', allowed: ['GET', 'PATCH'] });
  assert.deepEqual(r.match('GET', '/settings/'), { kind: 'none' });
  assert.deepEqual(r.match('GET', '/host-containers/'), { kind: 'none' });
  assert.deepEqual(r.match('GET', '/host-containers/a/b'), { kind: 'none' });
  assert.throws(() => r.match('GET', '/host-containers/%E0%A4%A'), { code: 'INVALID_ARGUMENT' });
});
