import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { generateSpec, DEFAULT_CAPABILITIES, type Spec } from './spec.js';
import { bootstrapClass, defaultClass, superpoweredClass, type ClassInputs, type PrivilegedHost } from './classes.js';
import { SELINUX_LABELS } from './labels.js';
import type { ApiAccess } from '../model/index.js';

const GOLDEN = fileURLToPath(new URL('../../../test/fixtures/golden/', import.meta.url));

const inputs = (kind: 'host' | 'bootstrap' = 'host'): ClassInputs => ({
  name: 'example',
  kind,
  image: { Entrypoint: ['/usr/bin/start'], Cmd: null, Env: ['PATH=/usr/bin:/bin', 'LANG=C.UTF-8'], WorkingDir: '/' },
  host: {
    storageDir: '/var/lib/berth/host-containers/example',
    apiSocketDir: '/run/berth',
    apiSocket: '/run/berth/api.sock',
    apiclient: '/usr/libexec/berth/apiclient',
    hostsFile: '/etc/hosts',
    resolvConf: '/etc/resolv.conf',
  },
});

const privileged: PrivilegedHost = {
  capabilities: [...DEFAULT_CAPABILITIES, 'CAP_SYS_ADMIN', 'CAP_NET_ADMIN', 'CAP_SYS_MODULE', 'CAP_SYS_PTRACE', 'CAP_AUDIT_CONTROL'],
  devices: [{ path: '/dev/kmsg', type: 'c', major: 1, minor: 11, fileMode: 0o644, uid: 0, gid: 0 }],
  existingPaths: ['/lib/modules', '/sys/kernel/debug'],
  sheltie: '/usr/libexec/berth/sheltie',
  arch: 'x64',
};

const base = { namespace: 'default', id: 'example', cgroupParent: '/berth/host' };

/** Compares with test/fixtures/golden/<name>.json; BERTH_UPDATE_GOLDEN=1 rewrites the file. */
function assertGolden(name: string, spec: Spec): void {
  const file = `${GOLDEN}${name}.json`;
  const text = JSON.stringify(spec, null, 2) + '\n';
  if (process.env['BERTH_UPDATE_GOLDEN'] === '1') writeFileSync(file, text);
  assert.ok(existsSync(file), `missing golden file ${file} (run with BERTH_UPDATE_GOLDEN=1 to create it)`);
  assert.deepEqual(JSON.parse(text), JSON.parse(readFileSync(file, 'utf8')), `spec differs from ${file}`);
}

const mount = (s: Spec, dest: string) => s.mounts.find((m) => m.destination === dest);

test('defaultClass() matches its golden spec and the Bottlerocket default-class table', () => {
  const s = generateSpec(base, defaultClass({ ...inputs(), arch: 'x64' }));
  assertGolden('default-class', s);
  assert.equal(s.process.selinuxLabel, SELINUX_LABELS.control);
  assert.equal(s.linux.mountLabel, SELINUX_LABELS.hostContainerMount);
  assert.deepEqual(s.process.capabilities.effective, DEFAULT_CAPABILITIES);
  assert.ok(s.linux.namespaces.some((n) => n.type === 'pid'), 'own PID namespace');
  assert.ok(!s.linux.namespaces.some((n) => n.type === 'network'), 'host network');
  assert.equal(s.process.noNewPrivileges, true);
  assert.ok(s.linux.seccomp?.syscalls.length);
  assert.equal(s.linux.resources.devices[0]?.allow, false);
  assert.deepEqual(mount(s, '/etc/hosts')?.options, ['rbind', 'ro', 'rprivate']);
  assert.deepEqual(mount(s, '/.bottlerocket/host-containers/example')?.options, ['rbind', 'rw', 'rprivate']);
  assert.equal(mount(s, '/.bottlerocket/host-containers/current')?.source, '/var/lib/berth/host-containers/example');
  assert.equal(mount(s, '/run/api.sock')?.source, '/run/berth/api.sock');
  assert.equal(mount(s, '/usr/local/bin/apiclient')?.source, '/usr/libexec/berth/apiclient');
  assert.ok(mount(s, '/sys/fs/cgroup')?.options?.includes('ro'));
  assert.ok(!s.linux.maskedPaths.includes('/sys/firmware'));
  assert.equal(mount(s, '/.bottlerocket/rootfs'), undefined, 'no host root');
  assert.equal(mount(s, '/usr/sbin/sheltie'), undefined, 'no sheltie');
});

test('superpoweredClass() matches its golden spec and the Bottlerocket superpowered table', () => {
  const s = generateSpec(base, superpoweredClass(inputs(), privileged));
  assertGolden('superpowered-class', s);
  assert.equal(s.process.selinuxLabel, SELINUX_LABELS.superpowered);
  assert.deepEqual(s.process.capabilities.effective, privileged.capabilities);
  assert.ok(!s.linux.namespaces.some((n) => n.type === 'pid'), 'host PID namespace');
  assert.equal(s.process.noNewPrivileges, false);
  assert.equal(s.linux.seccomp, undefined);
  assert.deepEqual(s.linux.maskedPaths, []);
  assert.deepEqual(s.linux.readonlyPaths, []);
  assert.deepEqual(s.linux.resources.devices, [{ allow: true, access: 'rwm' }]);
  assert.deepEqual(s.linux.devices, privileged.devices);
  assert.equal(s.linux.rootfsPropagation, 'rshared');
  assert.ok(mount(s, '/sys')?.options?.includes('rw'));
  assert.ok(mount(s, '/sys/fs/cgroup')?.options?.includes('rw'));
  assert.deepEqual(mount(s, '/.bottlerocket/rootfs'), { destination: '/.bottlerocket/rootfs', type: 'bind', source: '/', options: ['rbind', 'ro', 'rprivate'] });
  assert.ok(mount(s, '/lib/modules'));
  assert.ok(mount(s, '/sys/kernel/debug'));
  assert.equal(mount(s, '/usr/src/kernels'), undefined, 'absent host paths are not mounted');
  assert.deepEqual(mount(s, '/usr/sbin/sheltie')?.options, ['bind', 'ro', 'exec', 'rprivate']);
});

test('bootstrapClass() adds only the capabilities berthd holds and keeps control_t', () => {
  const s = generateSpec({ ...base, id: 'boot.example' }, bootstrapClass(inputs('bootstrap'), privileged));
  assertGolden('bootstrap-class', s);
  assert.equal(s.process.selinuxLabel, SELINUX_LABELS.control);
  assert.ok(s.process.capabilities.effective.includes('CAP_SYS_ADMIN'));
  assert.ok(!s.process.capabilities.effective.includes('CAP_SYS_PTRACE'));
  assert.ok(!s.linux.namespaces.some((n) => n.type === 'pid'));
  assert.ok(mount(s, '/.bottlerocket/bootstrap-containers/current'));
  assert.ok(!s.linux.seccomp?.syscalls[0]?.names.includes('mount'), 'bootstrap containers may mount');
  assert.ok(s.linux.seccomp?.syscalls[0]?.names.includes('kexec_load'));
});

test('every class runs the settings command and environment; berth API socket variable stays berth', () => {
  const settings = {
    command: ['/bin/sh', '-c', 'exec agent'],
    environment: { LANG: 'en_US.UTF-8', MY_VAR: 'x', BERTH_API_SOCKET: '/elsewhere' },
  };
  for (const [name, cls] of [
    ['default', defaultClass({ ...inputs(), ...settings, arch: 'x64' })],
    ['superpowered', superpoweredClass({ ...inputs(), ...settings }, privileged)],
    ['bootstrap', bootstrapClass({ ...inputs('bootstrap'), ...settings }, privileged)],
  ] as const) {
    const s = generateSpec(base, cls);
    assert.deepEqual(s.process.args, settings.command, name);
    assert.deepEqual(s.process.env, ['PATH=/usr/bin:/bin', 'LANG=en_US.UTF-8', 'MY_VAR=x', 'BERTH_API_SOCKET=/run/berth/api.sock'], name);
  }
  const plain = generateSpec(base, defaultClass({ ...inputs(), command: [], environment: {}, arch: 'x64' }));
  assert.deepEqual(plain.process.args, ['/usr/bin/start'], 'empty command and environment: the image own');
  assert.deepEqual(plain.process.env, ['PATH=/usr/bin:/bin', 'LANG=C.UTF-8', 'BERTH_API_SOCKET=/run/berth/api.sock']);
});

test('api-access none leaves out the API socket, its directory, apiclient and BERTH_API_SOCKET; the other levels keep them', () => {
  const api = ['/run/api.sock', '/run/berth', '/usr/local/bin/apiclient'];
  for (const [name, cls] of [
    ['default', (apiAccess: ApiAccess) => defaultClass({ ...inputs(), apiAccess, arch: 'x64' })],
    ['superpowered', (apiAccess: ApiAccess) => superpoweredClass({ ...inputs(), apiAccess }, privileged)],
  ] as const) {
    const none = generateSpec(base, cls('none'));
    assert.deepEqual(api.filter((dest) => mount(none, dest)), [], `${name}: no API mounts`);
    assert.ok(!none.process.env.some((v) => v.startsWith('BERTH_API_SOCKET=')), `${name}: no socket variable`);
    assert.ok(mount(none, '/.bottlerocket/host-containers/current'), `${name}: the other mounts stay`);
    for (const level of ['admin', 'read-only'] as const) {
      const s = generateSpec(base, cls(level));
      assert.deepEqual(api.filter((dest) => mount(s, dest)), api, `${name} ${level}: API mounts`);
      assert.ok(s.process.env.includes('BERTH_API_SOCKET=/run/berth/api.sock'), `${name} ${level}`);
    }
  }
});
