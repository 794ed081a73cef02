import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseLddOutput, sharedLibraries } from './shared-libraries.js';

test('parseLddOutput() lists resolved libraries and the loader, not the vDSO', () => {
  const out = [
    '\tlinux-vdso.so.1 (0x00007ffd5d5f2000)',
    '\tlibselinux.so.1 => /lib/x86_64-linux-gnu/libselinux.so.1 (0x00007f7f0e7ea000)',
    '\tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007f7f0e608000)',
    '\t/lib64/ld-linux-x86-64.so.2 (0x00007f7f0e838000)',
  ].join('\n');
  assert.deepEqual(parseLddOutput(out), [
    '/lib/x86_64-linux-gnu/libselinux.so.1',
    '/lib/x86_64-linux-gnu/libc.so.6',
    '/lib64/ld-linux-x86-64.so.2',
  ]);
});

test('sharedLibraries() finds libselinux for runcon and nothing for static busybox', async () => {
  const runcon = await sharedLibraries('/usr/bin/runcon');
  assert.ok(runcon.some((l) => l.endsWith('/libselinux.so.1')), runcon.join(' '));
  assert.ok(runcon.some((l) => l.includes('ld-linux')), runcon.join(' '));
  assert.deepEqual(await sharedLibraries('/bin/busybox'), []);
});
