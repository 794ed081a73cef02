import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultChecks, exactFileContext, needsBerth } from './initramfs.js';

test('exactFileContext() escapes the path so the entry matches that path only', () => {
  assert.equal(
    exactFileContext({ path: '/usr/lib/berth-vm/api.sock', context: 'system_u:object_r:api_socket_t:s0' }),
    '/usr/lib/berth-vm/api\\.sock\tsystem_u:object_r:api_socket_t:s0',
  );
  assert.equal(
    exactFileContext({ path: '/x/a+b(1)', context: 'system_u:object_r:data_t:s0:c1,c2' }),
    '/x/a\\+b\\(1\\)\tsystem_u:object_r:data_t:s0:c1,c2',
  );
});

test('exactFileContext() refuses relative paths and malformed contexts', () => {
  assert.throws(() => exactFileContext({ path: 'usr/x', context: 'system_u:object_r:os_t:s0' }), {
    code: 'INVALID_ARGUMENT',
    message: "Label path 'usr/x' must be absolute",
  });
  assert.throws(() => exactFileContext({ path: '/x', context: 'os_t' }), {
    code: 'INVALID_ARGUMENT',
    message: "Invalid SELinux context 'os_t' for '/x'",
  });
});

test('defaultChecks() lists the guest check scripts in the order the guest runs them', async () => {
  const names = (await defaultChecks()).map((p) => p.split('/').pop());
  assert.deepEqual(names, ['10-mechanism.sh', '20-runtime.sh', '30-berth.sh']);
});

test('defaultChecks() without berth leaves out the scripts that say they need it', async () => {
  const names = (await defaultChecks({ berth: false })).map((p) => p.split('/').pop());
  assert.deepEqual(names, ['10-mechanism.sh', '20-runtime.sh']);
});

test('needsBerth() wants the marker on a line of its own', () => {
  assert.equal(needsBerth('#!/bin/sh\n# needs: berth\n. lib.sh\n'), true);
  assert.equal(needsBerth('#!/bin/sh\n# this one needs: berth, maybe\n'), false);
  assert.equal(needsBerth('#!/bin/sh\n'), false);
});
