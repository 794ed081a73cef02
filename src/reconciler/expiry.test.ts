import { test } from 'node:test';
import assert from 'node:assert/strict';
import { expired, expiryPlan } from './expiry.js';

test('expiryPlan() lists enabled containers past enabled-until and the next deadline', () => {
  const now = new Date('2026-11-25T12:00:00Z');
  const plan = expiryPlan(
    {
      'host-containers': {
        admin: { enabled: true, 'enabled-until': '2026-11-25T11:00:00Z' },
        late: { enabled: true, 'enabled-until': '2026-11-25T12:00:00+00:00' },
        soon: { enabled: true, 'enabled-until': '2026-11-25T13:30:00+01:00' },
        later: { enabled: true, 'enabled-until': '2026-11-25T15:00:00Z' },
        off: { enabled: false, 'enabled-until': '2026-11-25T10:00:00Z' },
        forever: { enabled: true },
      },
    },
    now,
  );
  assert.deepEqual(plan.expired, ['admin', 'late']);
  assert.equal(plan.next?.toISOString(), '2026-11-25T12:30:00.000Z', 'soon is 12:30Z, written in +01:00');
  assert.deepEqual(expiryPlan({}, now), { expired: [] });
});

test('expired() is true from the enabled-until time on, and never without one', () => {
  const now = new Date('2026-11-25T12:00:00Z');
  assert.ok(expired('2026-11-25T12:00:00Z', now));
  assert.ok(!expired('2026-11-25T12:00:01Z', now));
  assert.ok(!expired(undefined, now));
});
