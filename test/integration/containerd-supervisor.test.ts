import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { ContainerdSupervisor } from '../../src/daemon/containerd-supervisor.js';
import { berthPaths } from '../../src/daemon/paths.js';
import { ContainerdClient } from '../../src/containerd/index.js';
import { processExists } from '../../src/daemon/process-identity.js';
import { BerthError } from '../../src/errors/index.js';
import { silentLogger } from '../../src/lib/logger.js';
import { makeTempRoot, removeTempRoot } from '../helpers/temp-root.js';

const root = await makeTempRoot('brm');
const paths = berthPaths(root);
after(() => removeTempRoot(root));

async function pidOf(file: string): Promise<number> {
  return Number((await readFile(file, 'utf8')).trim());
}

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(`timed out waiting for ${what}`);
}

async function answers(socket: string): Promise<boolean> {
  const c = ContainerdClient.connect({ socket, namespace: 'default' });
  try {
    await c.version.version({ timeoutMs: 1000, waitForReady: false });
    return true;
  } catch {
    return false;
  } finally {
    c.close();
  }
}

test('ContainerdSupervisor runs two separate containerd daemons, restarts a dead one, is adopted, stops in order', async () => {
  const first = new ContainerdSupervisor({ mode: 'managed', paths, logger: silentLogger });
  await first.start();
  const hostPid = await pidOf(paths.hostContainerd.pidfile);
  const orchPid = await pidOf(paths.orchestratorContainerd.pidfile);
  assert.notEqual(hostPid, orchPid);
  assert.ok(await answers(paths.hostContainerd.socket));
  assert.ok(await answers(paths.orchestratorContainerd.socket));

  // Separate roots and no CRI on host-containerd.
  const plugins = async (socket: string) => {
    const c = ContainerdClient.connect({ socket, namespace: 'default' });
    try {
      return (await c.introspection.plugins()).map((p) => `${p.type}/${p.id}`);
    } finally {
      c.close();
    }
  };
  assert.ok(!(await plugins(paths.hostContainerd.socket)).includes('io.containerd.grpc.v1/cri'));
  assert.ok((await plugins(paths.orchestratorContainerd.socket)).includes('io.containerd.grpc.v1/cri'));
  assert.ok(existsSync(`${paths.hostContainerd.root}/io.containerd.content.v1.content`));
  assert.ok(existsSync(`${paths.orchestratorContainerd.root}/io.containerd.content.v1.content`));

  // A daemon that dies is restarted.
  process.kill(hostPid, 'SIGKILL');
  await waitFor('host-containerd restart', async () => {
    const pid = await pidOf(paths.hostContainerd.pidfile).catch(() => 0);
    return pid !== hostPid && pid > 0 && (await answers(paths.hostContainerd.socket));
  });
  const restartedPid = await pidOf(paths.hostContainerd.pidfile);
  const health = await first.health();
  assert.equal(health.find((h) => h.role === 'host')?.restarts, 1);

  // berthd exits (detach) and a new one adopts the running daemons instead of starting others.
  first.detach();
  const second = new ContainerdSupervisor({ mode: 'managed', paths, logger: silentLogger });
  await second.start();
  assert.equal(await pidOf(paths.hostContainerd.pidfile), restartedPid);
  assert.equal(await pidOf(paths.orchestratorContainerd.pidfile), orchPid);

  // The adopted daemon is supervised too: kill it, it comes back.
  process.kill(orchPid, 'SIGKILL');
  await waitFor('orchestrator containerd restart', async () => {
    const pid = await pidOf(paths.orchestratorContainerd.pidfile).catch(() => 0);
    return pid !== orchPid && pid > 0 && (await answers(paths.orchestratorContainerd.socket));
  });

  const lastOrch = await pidOf(paths.orchestratorContainerd.pidfile);
  await second.stop({ graceMs: 5000 });
  assert.ok(!processExists(restartedPid));
  assert.ok(!processExists(lastOrch));
  assert.ok(!existsSync(paths.hostContainerd.pidfile));
  assert.ok(!existsSync(paths.orchestratorContainerd.pidfile));
});

test('ContainerdSupervisor in external mode only connects, and fails clearly when nothing answers', async () => {
  const extPaths = berthPaths(`${root}/ext`);
  const ext = new ContainerdSupervisor({ mode: 'external', paths: extPaths, logger: silentLogger, readyTimeoutMs: 1000 });
  await assert.rejects(ext.start(), (err: unknown) => {
    assert.ok(BerthError.is(err));
    assert.equal(err.code, 'UNAVAILABLE');
    assert.ok(err.message.includes(extPaths.hostContainerd.socket), err.message);
    return true;
  });
  assert.ok(!existsSync(extPaths.hostContainerd.pidfile), 'external mode starts nothing');
});
