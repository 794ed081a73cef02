import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HostContainerController } from './controller.js';
import { StatusStore } from './status-store.js';
import type { CreateOptions, RuntimePort } from './runtime-port.js';
import type { ActualContainer, DesiredContainer } from './types.js';
import type { Settings } from '../model/index.js';
import { silentLogger } from '../lib/logger.js';
import { userDataDigest } from '../lib/user-data-digest.js';

/** A state table standing in for host-containerd: enough to test decisions, not containerd. */
class TableRuntime implements RuntimePort {
  containers = new Map<string, ActualContainer>();
  userData = new Map<string, string>();
  calls: string[] = [];
  #pid = 100;
  #onChange: ((n: string, k: 'host' | 'bootstrap') => void) | undefined;

  async list() {
    return [...this.containers.values()];
  }
  async inspect(name: string) {
    const c = this.containers.get(name);
    return c ? { ...c } : undefined;
  }
  async storedNames() {
    return [...this.userData.keys()];
  }
  async userDataDigest(name: string) {
    const data = this.userData.get(name);
    return data === undefined ? undefined : userDataDigest(Buffer.from(data));
  }
  async writeUserData(name: string, _k: 'host', data: Buffer) {
    this.calls.push(`write-user-data ${name}`);
    this.userData.set(name, data.toString());
  }
  async removeUserData(name: string) {
    this.calls.push(`remove-user-data ${name}`);
    this.userData.delete(name);
  }
  async create(d: DesiredContainer) {
    this.calls.push(`create ${d.name}`);
    this.containers.set(d.name, { name: d.name, kind: 'host', id: d.name, hash: d.hash, task: 'none' });
    return { imageDigest: 'sha256:img' };
  }
  async start(name: string) {
    this.calls.push(`start ${name}`);
    const c = this.containers.get(name)!;
    c.task = 'running';
    c.pid = ++this.#pid;
    delete c.oomKilled; // a new task, a new cgroup
    return { pid: c.pid };
  }
  async stop(name: string) {
    this.calls.push(`stop ${name}`);
    const c = this.containers.get(name);
    if (c) c.task = 'none';
    return c ? { exitCode: 143, exitedAt: new Date() } : undefined;
  }
  async waitExit(name: string) {
    const c = this.containers.get(name);
    return c?.task === 'stopped' ? { exitCode: c.exitCode ?? 0, exitedAt: undefined } : undefined;
  }
  async remove(name: string) {
    this.calls.push(`remove ${name}`);
    this.containers.delete(name);
  }
  watch(onChange: (n: string, k: 'host' | 'bootstrap') => void) {
    this.#onChange = onChange;
    return { close: () => undefined };
  }
  /** The container's process dies (as an event from containerd would say), maybe killed by the OOM killer. */
  exit(name: string, code: number, how: { oomKilled?: true } = {}) {
    const c = this.containers.get(name)!;
    c.task = 'stopped';
    c.exitCode = code;
    if (how.oomKilled) c.oomKilled = true;
    this.#onChange?.(name, 'host');
  }
}

function setup(initial: Settings) {
  let settings = initial;
  const runtime = new TableRuntime();
  const statuses = new StatusStore();
  const ctl = new HostContainerController({
    runtime,
    settings: () => settings,
    logger: silentLogger,
    statuses,
    restartBackoff: { baseMs: 1000, maxMs: 8000, jitter: 0, resetAfterMs: 60_000 },
    resyncMs: 3_600_000,
  });
  return {
    runtime,
    ctl,
    statuses,
    set(next: Settings, keys: string[]) {
      settings = next;
      ctl.settingsChanged(keys);
    },
  };
}

const control = { source: 'oci-archive:/c.tar', enabled: true };
const admin = { source: 'oci-archive:/a.tar', enabled: false, superpowered: true };

test('controller starts enabled containers, leaves disabled ones, and re-setting a value restarts nothing', async () => {
  const { runtime, ctl, set, statuses } = setup({ 'host-containers': { control, admin } });
  await ctl.start();
  await ctl.idle();
  assert.deepEqual(runtime.calls, ['create control', 'start control']);
  set({ 'host-containers': { control: { ...control }, admin } }, ['settings.host-containers.control.enabled']);
  await ctl.idle();
  assert.deepEqual(runtime.calls, ['create control', 'start control'], 'same value: nothing restarted');
  const status = statuses.list();
  assert.equal(status.find((s) => s.name === 'control')?.state, 'running');
  assert.equal(status.find((s) => s.name === 'admin')?.state, 'disabled');
  await ctl.stop();
});

test('controller replaces only the container whose settings changed, and removes a disabled one', async () => {
  const { runtime, ctl, set, statuses } = setup({ 'host-containers': { control, admin: { ...admin, enabled: true } } });
  await ctl.start();
  await ctl.idle();
  runtime.calls = [];
  set({ 'host-containers': { control, admin: { ...admin, enabled: true, superpowered: false } } }, ['settings.host-containers.admin.superpowered']);
  await ctl.idle();
  assert.deepEqual(runtime.calls, ['stop admin', 'remove admin', 'create admin', 'start admin']);
  runtime.calls = [];
  set({ 'host-containers': { control, admin } }, ['settings.host-containers.admin.enabled']);
  await ctl.idle();
  assert.deepEqual(runtime.calls, ['stop admin', 'remove admin']);
  assert.equal(statuses.list().find((s) => s.name === 'admin')?.lastExit?.code, 143);
  await ctl.stop();
});

test('controller writes user data before create and removes it when the setting goes', async () => {
  const withData = { ...control, 'user-data': Buffer.from('{"ssh":{}}').toString('base64') };
  const { runtime, ctl, set } = setup({ 'host-containers': { control: withData } });
  await ctl.start();
  await ctl.idle();
  assert.equal(runtime.userData.get('control'), '{"ssh":{}}');
  assert.deepEqual(runtime.calls, ['write-user-data control', 'create control', 'start control']);
  runtime.calls = [];
  set({ 'host-containers': { control } }, ['settings.host-containers.control.user-data']);
  await ctl.idle();
  assert.equal(runtime.userData.has('control'), false);
  assert.deepEqual(runtime.calls, ['stop control', 'remove control', 'remove-user-data control', 'create control', 'start control'], 'user-data change replaces');
  await ctl.stop();
});

test('controller keeps the user data of a disabled container as its settings have it', async () => {
  const data = (text: string) => ({ ...admin, 'user-data': Buffer.from(text).toString('base64') });
  const { runtime, ctl, set, statuses } = setup({ 'host-containers': { admin: data('one') } });
  await ctl.start();
  await ctl.idle();
  assert.deepEqual(runtime.calls, ['write-user-data admin']);
  set({ 'host-containers': { admin: data('two') } }, ['settings.host-containers.admin.user-data']);
  await ctl.idle();
  assert.equal(runtime.userData.get('admin'), 'two');
  assert.equal(statuses.get('admin')?.state, 'disabled');
  set({}, ['settings.host-containers.admin.user-data', 'settings.host-containers.admin.enabled']);
  await ctl.idle();
  assert.equal(runtime.userData.has('admin'), false);
  assert.deepEqual(runtime.calls, ['write-user-data admin', 'write-user-data admin', 'remove-user-data admin']);
  await ctl.stop();
});

test('controller rewrites user data changed behind its back without restarting the container', async () => {
  const withData = { ...control, 'user-data': Buffer.from('keys').toString('base64') };
  const { runtime, ctl, statuses } = setup({ 'host-containers': { control: withData } });
  await ctl.start();
  await ctl.idle();
  runtime.calls = [];
  runtime.userData.set('control', 'tampered');
  await ctl.resyncAll();
  await ctl.idle();
  assert.deepEqual(runtime.calls, ['write-user-data control']);
  assert.equal(runtime.userData.get('control'), 'keys');
  assert.equal(statuses.get('control')?.state, 'running');
  await ctl.stop();
});

test('controller restarts an exited container with growing backoff', async (t) => {
  t.mock.timers.enable({ apis: ['setTimeout', 'setInterval', 'Date'] });
  const { runtime, ctl, statuses } = setup({ 'host-containers': { control } });
  await ctl.start();
  await ctl.idle();
  const tick = () => new Promise((r) => setImmediate(r));
  runtime.calls = [];
  runtime.exit('control', 3);
  await ctl.idle();
  assert.deepEqual(runtime.calls, [], 'not restarted at once');
  const st = statuses.list()[0]!;
  assert.equal(st.state, 'restarting');
  assert.deepEqual(st.lastExit?.code, 3);
  t.mock.timers.tick(1000);
  await tick();
  await ctl.idle();
  assert.deepEqual(runtime.calls, ['start control']);
  runtime.exit('control', 3);
  await ctl.idle();
  t.mock.timers.tick(1000);
  await tick();
  await ctl.idle();
  assert.deepEqual(runtime.calls, ['start control'], 'second exit waits 2 s, not 1 s');
  t.mock.timers.tick(1000);
  await tick();
  await ctl.idle();
  assert.deepEqual(runtime.calls, ['start control', 'start control']);
  assert.equal(statuses.list()[0]!.restarts, 2);
  await ctl.stop();
});

test('settingsChanged() looks only at the containers the keys touch; registry changes touch all', async () => {
  const { runtime, ctl, set } = setup({ 'host-containers': { control, other: { ...control } } });
  await ctl.start();
  await ctl.idle();
  runtime.calls = [];
  set({ 'host-containers': { control, other: { ...control, superpowered: true } } }, ['settings.host-containers.other.superpowered']);
  await ctl.idle();
  assert.ok(runtime.calls.every((c) => c.endsWith('other')));
  runtime.calls = [];
  set(
    { 'host-containers': { control, other: { ...control, superpowered: true } }, 'container-registry': { mirrors: [{ registry: '*', endpoint: ['https://m'] }] } },
    ['settings.container-registry.mirrors'],
  );
  await ctl.idle();
  assert.deepEqual(runtime.calls.filter((c) => c.startsWith('create')).sort(), ['create control', 'create other']);
  await ctl.stop();
});

test('a pull that fails and is retried shows as pulling with the registry and the reference, then running', async () => {
  const { runtime, ctl, statuses } = setup({ 'host-containers': { box: { source: '127.0.0.1:1/team/box:v1', enabled: true } } });
  let pulled!: () => void;
  const pull = new Promise<void>((resolve) => (pulled = resolve));
  const create = runtime.create.bind(runtime);
  runtime.create = async (d: DesiredContainer, options?: CreateOptions) => {
    options?.onPullRetry?.({ attempt: 1, delayMs: 1000, reason: 'connect ECONNREFUSED 127.0.0.1:1' });
    await pull;
    return create(d);
  };
  await ctl.start();
  for (let i = 0; i < 100 && statuses.list()[0]?.state !== 'pulling'; i++) await new Promise((r) => setImmediate(r));
  const pulling = statuses.list()[0]!;
  assert.equal(pulling.state, 'pulling');
  assert.match(pulling.error ?? '', /^Cannot pull 127\.0\.0\.1:1\/team\/box:v1 from registry 127\.0\.0\.1:1: attempt 1 failed \(connect ECONNREFUSED 127\.0\.0\.1:1\); next attempt at /);
  pulled();
  await ctl.idle();
  const running = statuses.list()[0]!;
  assert.equal(running.state, 'running');
  assert.equal(running.error, undefined, 'the error goes once the container runs');
  await ctl.stop();
});

test('an exit the OOM killer caused shows as oom-killed in lastExit until a later exit without it', async (t) => {
  t.mock.timers.enable({ apis: ['setTimeout', 'setInterval', 'Date'] });
  const { runtime, ctl, statuses } = setup({ 'host-containers': { control } });
  await ctl.start();
  await ctl.idle();
  runtime.exit('control', 137, { oomKilled: true });
  await ctl.idle();
  assert.deepEqual(statuses.list()[0]!.lastExit, { code: 137, at: undefined, reason: 'oom-killed' });
  assert.equal(statuses.list()[0]!.state, 'restarting');
  t.mock.timers.tick(1000);
  await new Promise((r) => setImmediate(r));
  await ctl.idle();
  assert.equal(statuses.list()[0]!.restarts, 1);
  assert.deepEqual(statuses.list()[0]!.lastExit, { code: 137, at: undefined, reason: 'oom-killed' }, 'kept while it runs again');
  runtime.exit('control', 1);
  await ctl.idle();
  assert.deepEqual(statuses.list()[0]!.lastExit, { code: 1, at: undefined });
  await ctl.stop();
});

test('before start() the controller publishes status from the settings and reconciles nothing (a failed boot)', async () => {
  const { runtime, ctl, set, statuses } = setup({ 'host-containers': { control, admin } });
  assert.deepEqual(statuses.list().map((s) => [s.name, s.state]), [['admin', 'disabled'], ['control', 'pending']]);
  set({ 'host-containers': { control, admin: { ...admin, enabled: true } } }, ['settings.host-containers.admin.enabled']);
  assert.equal(statuses.get('admin')?.state, 'pending');
  await ctl.idle();
  assert.deepEqual(runtime.calls, []);
});
