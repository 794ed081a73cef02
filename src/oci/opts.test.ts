import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultSpec } from './spec.js';
import { withEnv, withEnvTable, withImageConfig, withUser } from './process-opts.js';
import { withHostNamespace } from './namespace-opts.js';
import { withMounts, withWritableMountType } from './mount-opts.js';
import { capabilitiesFromMask, capabilityMask, withAddedCapabilities } from './capability-opts.js';
import { deviceNumbers, withDefaultUnixDevices } from './device-opts.js';
import { withUnmaskedPaths } from './security-opts.js';
import { BLOCKED_SYSCALLS, defaultSeccompProfile } from './seccomp-profile.js';

const spec = () => defaultSpec({ namespace: 'default', id: 't' });

test('withImageConfig() takes entrypoint+cmd, env, workdir and a numeric user from the image', () => {
  const s = spec();
  withImageConfig({ Entrypoint: ['/bin/sh', '-c'], Cmd: ['echo hi'], Env: ['PATH=/bin', 'A=1'], WorkingDir: '/w', User: '10:20' })(s);
  assert.deepEqual(s.process.args, ['/bin/sh', '-c', 'echo hi']);
  assert.deepEqual(s.process.env, ['PATH=/bin', 'A=1'], 'the image PATH replaces the default');
  assert.equal(s.process.cwd, '/w');
  assert.deepEqual(s.process.user, { uid: 10, gid: 20 });
  assert.throws(() => withImageConfig({})(spec()), /neither an entrypoint nor a cmd/);
  assert.throws(() => withUser('nobody')(spec()), /numeric uid/);
});

test('withImageConfig() runs a non-empty command instead of entrypoint+cmd, even for an image with neither', () => {
  const image = { Entrypoint: ['/usr/bin/start'], Cmd: ['--flag'], Env: ['PATH=/bin'] };
  const s = spec();
  withImageConfig(image, { command: ['/bin/sh', '-c', 'echo ""', ''] })(s);
  assert.deepEqual(s.process.args, ['/bin/sh', '-c', 'echo ""', '']);
  assert.deepEqual(s.process.env, ['PATH=/bin'], 'the image env still applies');
  const t = spec();
  withImageConfig(image, { command: [] })(t);
  assert.deepEqual(t.process.args, ['/usr/bin/start', '--flag'], 'an empty command means the image one');
  const bare = spec();
  withImageConfig({}, { command: ['/bin/true'] })(bare);
  assert.deepEqual(bare.process.args, ['/bin/true']);
  assert.throws(() => withImageConfig({}, { command: [] })(spec()), /neither an entrypoint nor a cmd, and no command is set/);
});

test('withEnvTable() sets name=value pairs over earlier values', () => {
  const s = spec();
  withEnv(['PATH=/bin', 'A=image'])(s);
  withEnvTable({ A: 'mine', B: 'x=y' })(s);
  assert.deepEqual(s.process.env, ['PATH=/bin', 'A=mine', 'B=x=y']);
});

test('withEnv() replaces variables by name and appends new ones', () => {
  const s = spec();
  withEnv(['A=1', 'B=2'])(s);
  withEnv(['A=3'])(s);
  assert.deepEqual(s.process.env.slice(1), ['A=3', 'B=2']);
});

test('withHostNamespace() removes the namespace', () => {
  const s = spec();
  withHostNamespace('network')(s);
  withHostNamespace('pid')(s);
  assert.deepEqual(s.linux.namespaces.map((n) => n.type), ['ipc', 'uts', 'mount']);
});

test('withMounts() adds rprivate unless a propagation is given and replaces by destination', () => {
  const s = spec();
  withMounts([
    { destination: '/a', type: 'bind', source: '/x', options: ['rbind', 'ro'] },
    { destination: '/b', type: 'bind', source: '/y', options: ['rbind', 'rshared'] },
    { destination: '/run', type: 'tmpfs', source: 'tmpfs', options: [] },
  ])(s);
  assert.deepEqual(s.mounts.find((m) => m.destination === '/a')?.options, ['rbind', 'ro', 'rprivate']);
  assert.deepEqual(s.mounts.find((m) => m.destination === '/b')?.options, ['rbind', 'rshared']);
  assert.equal(s.mounts.filter((m) => m.destination === '/run').length, 1);
  withWritableMountType('sysfs')(s);
  assert.ok(s.mounts.find((m) => m.type === 'sysfs')?.options?.includes('rw'));
});

test('capabilitiesFromMask() names the bits of a CapEff mask', () => {
  const caps = capabilitiesFromMask('000001fffeffffff');
  assert.equal(caps.length, 40);
  assert.ok(!caps.includes('CAP_SYS_RESOURCE'), 'bit 24 is clear in that mask');
  assert.ok(caps.includes('CAP_SYS_ADMIN') && caps.includes('CAP_CHECKPOINT_RESTORE'));
  assert.equal(capabilityMask(caps), '000001fffeffffff');
  const s = spec();
  withAddedCapabilities(['CAP_SYS_ADMIN'])(s);
  assert.ok(s.process.capabilities.effective.includes('CAP_SYS_ADMIN'));
});

test('device options: default unix devices and rdev decoding', () => {
  const s = spec();
  withDefaultUnixDevices(s);
  const allowed = s.linux.resources.devices.filter((d) => d.allow).map((d) => `${d.major}:${d.minor ?? '*'}`);
  assert.deepEqual(allowed, ['1:3', '1:8', '1:7', '5:0', '1:5', '1:9', '5:1', '136:*', '5:2']);
  assert.deepEqual(deviceNumbers(0x0103), { major: 1, minor: 3 });
  assert.deepEqual(deviceNumbers(0x01 | (0x103 << 8) | (0x1200 * 4096)), { major: 259, minor: 0x1201 });
});

test('withUnmaskedPaths() removes only the named paths', () => {
  const s = spec();
  withUnmaskedPaths(['/sys/firmware'])(s);
  assert.ok(!s.linux.maskedPaths.includes('/sys/firmware'));
  assert.ok(s.linux.maskedPaths.includes('/proc/kcore'));
});

test('defaultSeccompProfile() blocks modules, kexec, keyring, bpf, mount, user namespaces, reboot and swap', () => {
  const p = defaultSeccompProfile('x64');
  const denied = p.syscalls.filter((r) => !r.args).flatMap((r) => r.names);
  for (const call of ['init_module', 'finit_module', 'kexec_load', 'keyctl', 'add_key', 'bpf', 'mount', 'umount2', 'fsopen', 'reboot', 'swapon', 'swapoff']) {
    assert.ok(denied.includes(call), call);
  }
  const userns = p.syscalls.find((r) => r.names.includes('unshare'));
  assert.equal(userns?.args?.[0]?.value, 0x10000000);
  assert.equal(p.syscalls.find((r) => r.names.includes('clone3'))?.errnoRet, 38);
  assert.deepEqual(p.architectures, ['SCMP_ARCH_X86_64', 'SCMP_ARCH_X86', 'SCMP_ARCH_X32']);
  const boot = defaultSeccompProfile('x64', { allow: ['mount', 'swap'] }).syscalls[0]!.names;
  assert.ok(!boot.includes('mount') && !boot.includes('swapon') && boot.includes('kexec_load'));
  assert.ok(Object.keys(BLOCKED_SYSCALLS).length >= 8);
});
