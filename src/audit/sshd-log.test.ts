import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseSshdLine } from './sshd-log.js';

test('parseSshdLine() reads OpenSSH login and disconnect lines', () => {
  assert.deepEqual(parseSshdLine('Accepted publickey for berth from 127.0.0.1 port 51234 ssh2: ED25519 SHA256:AbCdEf0123'), {
    kind: 'login',
    method: 'publickey',
    user: 'berth',
    from: '127.0.0.1:51234',
    key: 'ED25519 SHA256:AbCdEf0123',
  });
  assert.deepEqual(parseSshdLine('Accepted publickey for ops from ::1 port 40000 ssh2: ED25519-CERT SHA256:x ID ops (serial 1) CA ED25519 SHA256:y'), {
    kind: 'login',
    method: 'publickey',
    user: 'ops',
    from: '::1:40000',
    key: 'ED25519-CERT SHA256:x ID ops (serial 1) CA ED25519 SHA256:y',
  });
  assert.deepEqual(parseSshdLine('Disconnected from user berth 127.0.0.1 port 51234'), { kind: 'logout', user: 'berth', from: '127.0.0.1:51234' });
  assert.equal(parseSshdLine('Failed publickey for berth from 127.0.0.1 port 1 ssh2'), undefined);
  assert.equal(parseSshdLine('Server listening on 0.0.0.0 port 22.'), undefined);
});
