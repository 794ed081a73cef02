import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'smol-toml';
import { containerdConfig } from './containerd-config.js';
import { berthPaths } from './paths.js';

/** The parts of a containerd config the tests read. */
interface ContainerdToml {
  root: string;
  state: string;
  disabled_plugins: string[];
  grpc: { address: string };
  plugins?: Record<string, { containerd: { runtimes: { runc: { options: { Root: string } } } } }>;
}

test('containerdConfig() disables CRI on host-containerd only', () => {
  const paths = berthPaths('/tmp/cfg');
  const host = parse(containerdConfig('host', paths.hostContainerd)) as unknown as ContainerdToml;
  const orch = parse(containerdConfig('orchestrator', paths.orchestratorContainerd)) as unknown as ContainerdToml;
  assert.ok(host.disabled_plugins.includes('io.containerd.grpc.v1.cri'));
  assert.ok(!orch.disabled_plugins.includes('io.containerd.grpc.v1.cri'));
  assert.equal(host.grpc.address, '/tmp/cfg/run/host-containerd/containerd.sock');
  assert.equal(orch.grpc.address, '/tmp/cfg/run/containerd/containerd.sock');
  assert.equal(host.root, '/tmp/cfg/var/lib/host-containerd');
  assert.equal(orch.state, '/tmp/cfg/run/containerd');
  assert.equal(orch.plugins?.['io.containerd.grpc.v1.cri']?.containerd.runtimes.runc.options.Root, '/tmp/cfg/run/containerd/runc');
});
