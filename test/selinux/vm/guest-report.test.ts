import { test } from 'node:test';
import assert from 'node:assert/strict';
import { judge, parseGuestOutput } from './guest-report.js';

const AVC_ETC =
  'audit: type=1400 audit(1.2:3): avc:  denied  { write } for  pid=9 comm="sh" name="etc.conf" ' +
  'scontext=system_u:system_r:control_t:s0-s0:c0.c1023 tcontext=system_u:object_r:etc_t:s0 tclass=file permissive=0';
const AVC_OTHER =
  'audit: type=1400 audit(1.2:4): avc:  denied  { read } for  pid=9 comm="cat" name="x" ' +
  'scontext=system_u:system_r:control_t:s0-s0:c0.c1023 tcontext=system_u:object_r:private_t:s0 tclass=file permissive=0';

function output(lines: string[]): string {
  return ['SeaBIOS (version 1.16)', 'Booting from ROM..', ...lines.map((l) => `@@berth ${l}\r`)].join('\n');
}

test('parseGuestOutput() reads checks, expected denials, AVCs, notes and the end marker', () => {
  const report = parseGuestOutput(
    output([
      'check pass boot:load-policy',
      'check fail control_t:writes its storage (secret_t) -- expected success, got: Permission denied',
      'expect-denial control_t etc_t file write',
      `avc ${AVC_ETC}`,
      'policy-note SELinux:  Class mctp_socket not defined in policy.',
      'info enforce=1 mls=1 policyvers=33',
      'done',
    ]),
  );
  assert.deepEqual(report.checks, [
    { name: 'boot:load-policy', ok: true, detail: '' },
    { name: 'control_t:writes its storage (secret_t)', ok: false, detail: 'expected success, got: Permission denied' },
  ]);
  assert.deepEqual(report.expected, [{ stype: 'control_t', ttype: 'etc_t', tclass: 'file', perm: 'write' }]);
  assert.equal(report.denials.length, 1);
  assert.deepEqual(report.policyNotes, ['SELinux:  Class mctp_socket not defined in policy.']);
  assert.deepEqual(report.infos, ['enforce=1 mls=1 policyvers=33']);
  assert.equal(report.done, true);
});

test('judge() passes a run whose denials are exactly the expected ones', () => {
  const verdict = judge(
    parseGuestOutput(output(['check pass a', 'expect-denial control_t etc_t file write', `avc ${AVC_ETC}`, `avc ${AVC_ETC}`, 'done'])),
  );
  assert.deepEqual(verdict.failures, []);
  assert.equal(verdict.ok, true);
  assert.equal(verdict.seenDenials.length, 1);
});

test('judge() gives each expected denial an AVC message of its own', () => {
  const twice = ['check pass a', 'expect-denial control_t etc_t file write', 'expect-denial control_t etc_t file write'];
  assert.deepEqual(judge(parseGuestOutput(output([...twice, `avc ${AVC_ETC}`, 'done']))).failures, [
    'expected denial did not happen: control_t -> etc_t:file { write }',
  ]);
  assert.deepEqual(judge(parseGuestOutput(output([...twice, `avc ${AVC_ETC}`, `avc ${AVC_ETC}`, 'done']))).failures, []);
});

test('judge() fails on an unexpected denial, a missing denial, a failed check or no end marker', () => {
  const verdict = judge(
    parseGuestOutput(
      output(['check pass a', 'check fail b -- boom', 'expect-denial container_t secret_t file read', `avc ${AVC_OTHER}`]),
    ),
  );
  assert.equal(verdict.ok, false);
  assert.deepEqual(verdict.failures, [
    'the guest did not finish its checks (crash, panic or timeout)',
    'check failed: b: boom',
    'expected denial did not happen: container_t -> secret_t:file { read }',
    'unexpected denial: control_t -> private_t:file { read } (comm=cat name=x)',
  ]);
});

test('judge() matches the object name when the expectation gives one', () => {
  const verdict = judge(
    parseGuestOutput(
      output([
        'check pass a',
        'expect-denial control_t etc_t file write etc.conf',
        'expect-denial control_t etc_t file write other.conf',
        `avc ${AVC_ETC}`,
        'done',
      ]),
    ),
  );
  assert.deepEqual(verdict.failures, ['expected denial did not happen: control_t -> etc_t:file { write } (name=other.conf)']);
});

test('judge() fails a run with no checks and a kernel that lacks part of the policy', () => {
  const verdict = judge(parseGuestOutput(output(['policy-note SELinux:  Class bpf not defined in policy.', 'done'])));
  assert.deepEqual(verdict.failures, [
    'the guest reported no checks',
    'the kernel lacks part of the policy: SELinux:  Class bpf not defined in policy.',
  ]);
});
