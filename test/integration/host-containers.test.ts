import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { mkdir, readFile, readlink, stat } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { startTestContainerd, type TestContainerd } from '../helpers/containerd.js';
import { testImageArchive } from '../helpers/test-image.js';
import { hostRuntimeFor } from '../helpers/host-runtime.js';
import { HostContainerController } from '../../src/reconciler/controller.js';
import { StatusStore } from '../../src/reconciler/status-store.js';
import { capabilityMask } from '../../src/oci/capability-opts.js';
import { DEFAULT_CAPABILITIES } from '../../src/oci/spec.js';
import { silentLogger } from '../../src/lib/logger.js';
import type { Settings, HostContainerSettings } from '../../src/model/index.js';

let ctrd: TestContainerd;
let api: Server;
let archive: string;
let settings: Settings;
const controllers: HostContainerController[] = [];
/** The store each controller publishes to. */
const statusesOf = new Map<HostContainerController, StatusStore>();

before(async () => {
  ctrd = await startTestContainerd();
  // The API socket and its directory are bind-mounted into every host container.
  await mkdir(ctrd.paths.run, { recursive: true });
  api = createServer().listen(ctrd.paths.apiSocket);
  archive = await testImageArchive({
    extraFiles: { '/usr/bin/start': '#!/bin/sh\necho "started $(cat /.bottlerocket/host-containers/current/user-data 2>/dev/null)"\nexec sleep 3600\n' },
    entrypoint: ['/usr/bin/start'],
  });
});
after(async () => {
  for (const c of controllers) await c.stop();
  api?.close();
  await ctrd?.cleanup();
});

function controller(): HostContainerController {
  const runtime = hostRuntimeFor(ctrd);
  const statuses = new StatusStore();
  const c = new HostContainerController({ runtime, settings: () => settings, logger: silentLogger, statuses, stopGraceMs: 500, restartBackoff: { baseMs: 200, maxMs: 1000 } });
  controllers.push(c);
  statusesOf.set(c, statuses);
  return c;
}

function set(name: string, value: HostContainerSettings, ctl: HostContainerController): void {
  settings = { ...settings, 'host-containers': { ...settings['host-containers'], [name]: value } };
  ctl.settingsChanged([`settings.host-containers.${name}.enabled`]);
}

function ctr(...args: string[]): string {
  return execFileSync('ctr', ['-a', ctrd.paths.hostContainerd.socket, '-n', 'default', ...args], { encoding: 'utf8' });
}

async function status(pid: number): Promise<Record<string, string>> {
  const text = await readFile(`/proc/${pid}/status`, 'utf8');
  return Object.fromEntries(text.split('\n').filter(Boolean).map((l) => l.split(/:\s*/, 2) as [string, string]));
}

async function until<T>(what: string, fn: () => Promise<T | undefined> | T | undefined, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const runningPid = (ctl: HostContainerController, name: string) => () => {
  const s = statusesOf.get(ctl)?.get(name);
  return s?.state === 'running' ? s.pid : undefined;
};

test('host containers: default and superpowered classes live, user data, changes, drift, adoption', async () => {
  const userData = Buffer.from('{"ssh":{"authorized-keys":["k"]}}');
  settings = {
    'host-containers': {
      control: { source: `oci-archive:${archive}`, enabled: true, superpowered: false, 'user-data': userData.toString('base64') },
      admin: { source: `oci-archive:${archive}`, enabled: false, superpowered: true },
    },
  };
  const ctl = controller();
  await ctl.start();
  await ctl.idle();
  const controlPid = await until('control running', runningPid(ctl, 'control'));

  // The spec containerd stores (what `ctr containers info` shows) is the default class.
  const info = JSON.parse(ctr('containers', 'info', 'control'));
  assert.deepEqual(info.Spec.process.capabilities.effective, DEFAULT_CAPABILITIES);
  assert.ok(info.Spec.linux.namespaces.some((n: { type: string }) => n.type === 'pid'));
  assert.ok(!info.Spec.linux.namespaces.some((n: { type: string }) => n.type === 'network'));
  assert.equal(info.Spec.process.noNewPrivileges, true);
  assert.equal(info.Labels['berth.io/managed'], 'host');

  // …and the live process agrees.
  const st = await status(controlPid);
  assert.equal(st['CapEff'], capabilityMask(DEFAULT_CAPABILITIES));
  assert.equal(st['NoNewPrivs'], '1');
  assert.equal(st['Seccomp'], '2', 'seccomp filter applied');
  assert.notEqual(await readlink(`/proc/${controlPid}/ns/pid`), await readlink('/proc/self/ns/pid'));
  assert.equal(await readlink(`/proc/${controlPid}/ns/net`), await readlink('/proc/self/ns/net'), 'host network');

  // User data: written before start, private, visible in the container, logged by it.
  const ud = `${ctrd.paths.hostContainers}/control/user-data`;
  assert.deepEqual(await readFile(ud), userData);
  assert.equal((await stat(ud)).mode & 0o777, 0o600);
  assert.equal((await stat(`${ctrd.paths.hostContainers}/control`)).mode & 0o777, 0o700);
  await until('control log', async () => (await readFile(`${ctrd.paths.containerLogs}/control.log`, 'utf8').catch(() => '')).includes('started {"ssh"'));

  // Enabling admin runs it superpowered.
  set('admin', { ...settings['host-containers']!.admin!, enabled: true }, ctl);
  await ctl.idle();
  const adminPid = await until('admin running', runningPid(ctl, 'admin'));
  const ast = await status(adminPid);
  assert.equal(ast['CapEff'], (await status(process.pid))['CapEff'], "berthd's own capabilities");
  assert.equal(ast['NoNewPrivs'], '0');
  assert.equal(ast['Seccomp'], '0');
  assert.equal(await readlink(`/proc/${adminPid}/ns/pid`), await readlink('/proc/self/ns/pid'), 'host PID namespace');
  assert.ok(existsSync(`/proc/${adminPid}/root/.bottlerocket/rootfs/etc/os-release`), 'host / at /.bottlerocket/rootfs');
  const adminInfo = JSON.parse(ctr('containers', 'info', 'admin'));
  assert.deepEqual(adminInfo.Spec.linux.maskedPaths ?? [], []);
  assert.equal(adminInfo.Spec.linux.rootfsPropagation, 'rshared');

  // Re-setting the same values restarts nothing.
  set('admin', { ...settings['host-containers']!.admin! }, ctl);
  set('control', { ...settings['host-containers']!.control! }, ctl);
  await ctl.idle();
  assert.equal(runningPid(ctl, 'admin')(), adminPid);
  assert.equal(runningPid(ctl, 'control')(), controlPid);

  // Changing superpowered replaces only that container.
  set('admin', { ...settings['host-containers']!.admin!, superpowered: false }, ctl);
  await ctl.idle();
  const admin2 = await until('admin replaced', () => {
    const p = runningPid(ctl, 'admin')();
    return p !== undefined && p !== adminPid ? p : undefined;
  });
  assert.notEqual(await readlink(`/proc/${admin2}/ns/pid`), await readlink('/proc/self/ns/pid'));
  assert.equal(runningPid(ctl, 'control')(), controlPid);

  // Drift: the container is deleted behind berth's back; berth puts it back.
  ctr('task', 'kill', '-s', 'SIGKILL', 'admin');
  await until('admin task dead', () => ctr('task', 'ls').includes('STOPPED') || undefined, 5000).catch(() => undefined);
  execFileSync('sh', ['-c', `ctr -a ${ctrd.paths.hostContainerd.socket} task rm -f admin; ctr -a ${ctrd.paths.hostContainerd.socket} containers rm admin`]);
  const admin3 = await until('admin recreated', () => {
    const p = runningPid(ctl, 'admin')();
    return p !== undefined && p !== admin2 ? p : undefined;
  });

  // Disable: stopped and removed.
  set('admin', { ...settings['host-containers']!.admin!, enabled: false }, ctl);
  await ctl.idle();
  assert.ok(!ctr('containers', 'ls', '-q').split('\n').includes('admin'));
  assert.ok(!existsSync(`/proc/${admin3}/status`) || (await status(admin3))['State']?.startsWith('Z'));

  // A new controller (a berthd restart) adopts the running control container: no duplicate, same pid.
  await ctl.stop();
  const again = controller();
  await again.start();
  await again.idle();
  assert.equal(await until('adopted', runningPid(again, 'control')), controlPid);
  assert.deepEqual(ctr('containers', 'ls', '-q').trim().split('\n'), ['control']);

  // The container's process dies: it is restarted (with backoff), and the exit is recorded.
  process.kill(controlPid, 'SIGKILL');
  const control2 = await until('control restarted', () => {
    const p = runningPid(again, 'control')();
    return p !== undefined && p !== controlPid ? p : undefined;
  });
  const s = statusesOf.get(again)?.get('control');
  assert.ok(s);
  assert.equal(s.restarts, 1);
  assert.equal(s.lastExit?.code, 137);

  // host-containerd dies and is restarted: the task survives (same pid) and events flow again.
  const daemonPid = ctrd.daemon.pid as number;
  process.kill(daemonPid, 'SIGKILL');
  await until('host-containerd restarted', () => (ctrd.daemon.pid !== daemonPid && ctrd.daemon.state === 'running') || undefined);
  await new Promise((r) => setTimeout(r, 500));
  await again.resyncAll();
  await again.idle();
  assert.equal(runningPid(again, 'control')(), control2, 'not restarted by the daemon restart');
  process.kill(control2, 'SIGKILL');
  await until('control restarted after the daemon restart', () => {
    const p = runningPid(again, 'control')();
    return p !== undefined && p !== control2 ? p : undefined;
  });
});
