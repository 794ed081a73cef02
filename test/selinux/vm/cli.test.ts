import { test } from 'node:test';
import assert from 'node:assert/strict';
import { main, parseCli } from './cli.js';

test('parseCli() reads checks, files, labels and limits', () => {
  const o = parseCli([
    '--check', '/x/30-berth.sh',
    '--add', '/work/main/dist:/usr/lib/berth/dist',
    '--add', '/etc/hostname',
    '--label', '/usr/lib/berth/x=system_u:object_r:secret_t:s0',
    '--timeout', '300',
    '--check-timeout', '600',
    '--memory', '3072',
  ]);
  assert.deepEqual(o.extraChecks, ['/x/30-berth.sh']);
  assert.equal(o.onlyExtraChecks, false);
  assert.deepEqual(o.files, [{ host: '/work/main/dist', guest: '/usr/lib/berth/dist' }, { host: '/etc/hostname' }]);
  assert.deepEqual(o.labels, [{ path: '/usr/lib/berth/x', context: 'system_u:object_r:secret_t:s0' }]);
  assert.equal(o.timeoutMs, 300_000);
  assert.equal(o.checkTimeoutSeconds, 600);
  assert.equal(o.memoryMiB, 3072);
  assert.equal(o.verbose, false);
  assert.equal(o.berth, true);
});

test('parseCli() defaults: berth in the guest, a 15-minute limit; --no-berth leaves berth out', () => {
  const o = parseCli([]);
  assert.equal(o.berth, true);
  assert.equal(o.timeoutMs, 900_000);
  assert.equal(o.memoryMiB, undefined);
  assert.equal(parseCli(['--no-berth']).berth, false);
});

test('parseCli() rejects bad flags with a message naming them', () => {
  assert.throws(() => parseCli(['--timeout', 'soon']), /Invalid --timeout 'soon'/);
  assert.throws(() => parseCli(['--memory', '0']), /Invalid --memory '0'/);
  assert.throws(() => parseCli(['--label', 'nocontext']), /Invalid --label 'nocontext'/);
  assert.throws(() => parseCli(['--add', '/a:relative']), /guest path must be absolute/);
  assert.throws(() => parseCli(['--only']), /no --check given/);
  assert.throws(() => parseCli(['--frobnicate']), /frobnicate/);
});

test('main() prints the usage and returns 2 on a bad command line, starting no VM', async () => {
  let printed = '';
  const status = await main(['--timeout=-1'], (t) => (printed += t));
  assert.equal(status, 2);
  assert.match(printed, /Invalid --timeout '-1'/);
  assert.match(printed, /usage: selinux-vm/);
});
