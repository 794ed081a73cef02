import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { berthPaths } from '../../src/daemon/paths.js';
import { compileIntoTemp } from './policy-fixture.js';
import { lookupFileContexts, type FileKind } from './policy-oracle.js';

let compiled: Awaited<ReturnType<typeof compileIntoTemp>>;
before(async () => {
  compiled = await compileIntoTemp();
});
after(() => compiled?.remove());

test("setfiles would label berth's production layout (src/daemon/paths.ts) as the promises assume", async () => {
  const p = berthPaths('/');
  const cases: { path: string; kind: FileKind; type: string }[] = [
    { path: p.data, kind: 'dir', type: 'private_t' },
    { path: p.datastore, kind: 'dir', type: 'private_t' },
    { path: path.join(p.datastore, 'live.json'), kind: 'file', type: 'private_t' },
    { path: p.hostContainers, kind: 'dir', type: 'secret_t' },
    { path: path.join(p.hostContainers, 'admin/user-data'), kind: 'file', type: 'secret_t' },
    { path: p.bootstrapContainers, kind: 'dir', type: 'secret_t' },
    { path: p.apiSocket, kind: 'socket', type: 'api_socket_t' },
    { path: p.hostContainerd.root, kind: 'dir', type: 'cache_t' },
    { path: p.orchestratorContainerd.root, kind: 'dir', type: 'cache_t' },
    { path: path.join(p.hostContainerd.root, 'io.containerd.content.v1.content/blobs'), kind: 'dir', type: 'cache_t' },
    { path: p.hostContainerd.socket, kind: 'socket', type: 'run_t' },
    { path: p.hostContainerd.config, kind: 'file', type: 'etc_t' },
    { path: p.logs, kind: 'dir', type: 'private_t' },
    { path: '/usr/bin/containerd', kind: 'file', type: 'runtime_exec_t' },
    { path: '/usr/bin/containerd-shim-runc-v2', kind: 'file', type: 'runtime_exec_t' },
    { path: '/usr/sbin/runc', kind: 'file', type: 'runtime_exec_t' },
    { path: '/usr/lib/berth/dist/bin/berthd', kind: 'file', type: 'runtime_exec_t' },
    { path: '/usr/lib/berth/dist/berth', kind: 'file', type: 'os_t' },
    { path: '/usr/bin/node', kind: 'file', type: 'os_t' },
    { path: '/usr/sbin/init', kind: 'file', type: 'init_exec_t' },
    { path: '/etc/hosts', kind: 'file', type: 'etc_t' },
  ];
  const contexts = await lookupFileContexts(compiled, cases);
  const wrong = cases.flatMap((c, i) => {
    const type = contexts[i]?.split(':')[2];
    return type === c.type ? [] : [`${c.path}: expected ${c.type}, got ${contexts[i]}`];
  });
  assert.deepEqual(wrong, []);
});
