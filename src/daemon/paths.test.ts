import { test } from 'node:test';
import assert from 'node:assert/strict';
import { berthPaths } from './paths.js';

test('berthPaths() gives the production layout for root /', () => {
  const p = berthPaths('/');
  assert.equal(p.hostContainerd.socket, '/run/host-containerd/containerd.sock');
  assert.equal(p.hostContainerd.root, '/var/lib/host-containerd');
  assert.equal(p.orchestratorContainerd.socket, '/run/containerd/containerd.sock');
  assert.equal(p.orchestratorContainerd.root, '/var/lib/containerd');
  assert.equal(p.apiSocket, '/run/berth/api.sock');
  assert.equal(p.data, '/var/lib/berth');
  // The units start containerd with these; the orchestrator's is berth's own file, never the
  // containerd package's conffile /etc/containerd/config.toml.
  assert.equal(p.hostContainerd.config, '/etc/host-containerd/config.toml');
  assert.equal(p.orchestratorContainerd.config, '/etc/berth/containerd/config.toml');
  assert.deepEqual(p.orchestratorContainerd.cri, { cniConfDir: '/etc/cni/net.d', cniBinDir: '/usr/lib/cni' });
  assert.equal(p.hostContainerd.cri, undefined);
});

test('berthPaths() prefixes every path and keeps the two daemons apart', () => {
  const p = berthPaths('/tmp/x');
  const h = p.hostContainerd;
  const o = p.orchestratorContainerd;
  for (const v of [h.socket, h.root, h.state, h.runcRoot, o.socket, o.root, o.cri.cniConfDir, p.apiSocket, p.data, p.logs]) {
    assert.ok(v.startsWith('/tmp/x/'), v);
  }
  for (const k of ['socket', 'root', 'state', 'runcRoot', 'config', 'cgroupParent'] as const) {
    assert.notEqual(h[k], o[k], k);
  }
  assert.notEqual(berthPaths('/tmp/y').hostContainerd.cgroupParent, h.cgroupParent);
});
