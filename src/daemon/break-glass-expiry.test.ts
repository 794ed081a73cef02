import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { AuditLog } from '../audit/audit-log.js';
import { Datastore } from '../datastore/index.js';
import { silentLogger } from '../lib/logger.js';
import { defaultSettings } from '../model/index.js';
import { BreakGlassExpiry } from './break-glass-expiry.js';

async function fixture(t: { after(fn: () => unknown): void }) {
  const dir = await mkdtemp(path.join(tmpdir(), 'expiry-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const datastore = await Datastore.open({
    dir: path.join(dir, 'datastore'),
    defaults: defaultSettings({ controlSource: 'oci-archive:/c.tar', adminSource: 'oci-archive:/a.tar' }),
  });
  const audit = new AuditLog({ file: path.join(dir, 'audit.log') });
  const expiry = new BreakGlassExpiry({ datastore, audit, logger: silentLogger });
  t.after(() => expiry.stop());
  const enableAdminUntil = async (until: Date) => {
    await datastore.patch('t', { 'host-containers': { admin: { enabled: true, 'enabled-until': until.toISOString() } } });
    await datastore.commit('t');
  };
  const admin = () => datastore.live()['host-containers']?.['admin'];
  const expiries = async () => (await audit.read()).filter((r) => r.event === 'break-glass-expired').map((r) => r.target);
  return { expiry, enableAdminUntil, admin, expiries };
}

test('BreakGlassExpiry.start() disables a container whose enabled-until passed while nobody watched, and audits it', async (t) => {
  const { expiry, enableAdminUntil, admin, expiries } = await fixture(t);
  await enableAdminUntil(new Date(Date.now() - 1000));
  await expiry.start();
  assert.equal(admin()?.enabled, false);
  assert.equal(admin()?.['enabled-until'], undefined, 'the deadline is cleared');
  assert.deepEqual(await expiries(), ['admin']);
});

test('BreakGlassExpiry follows the settings itself: a deadline set after start() is enforced when it passes', async (t) => {
  const { expiry, enableAdminUntil, admin, expiries } = await fixture(t);
  await expiry.start();
  await enableAdminUntil(new Date(Date.now() + 300));
  assert.equal(admin()?.enabled, true);
  for (let i = 0; i < 40 && admin()?.enabled; i++) await new Promise((r) => setTimeout(r, 50));
  assert.equal(admin()?.enabled, false);
  assert.deepEqual(await expiries(), ['admin']);
});

test('BreakGlassExpiry.stop() ends the watch: a deadline passing afterwards is left alone', async (t) => {
  const { expiry, enableAdminUntil, admin, expiries } = await fixture(t);
  await expiry.start();
  await enableAdminUntil(new Date(Date.now() + 100));
  expiry.stop();
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(admin()?.enabled, true);
  assert.deepEqual(await expiries(), []);
});
