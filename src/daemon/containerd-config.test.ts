import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'smol-toml';
import { containerdConfig, SANDBOX_IMAGE } from './containerd-config.js';
import { berthPaths } from './paths.js';

/** The parts of a containerd config the tests read. */
interface ContainerdToml {
  root: string;
  state: string;
  disabled_plugins: string[];
  grpc: { address: string };
  plugins: Record<string, CriToml | undefined>;
}

interface CriToml {
  sandbox_image: string;
  netns_mounts_under_state_dir: boolean;
  restrict_oom_score_adj: boolean;
  cni: { bin_dir: string; conf_dir: string; max_conf_num: number };
  containerd: { runtimes: { runc: { runtime_type: string; options: { Root: string } } } };
}

const CRI = 'io.containerd.grpc.v1.cri';

test('containerdConfig() disables CRI on host-containerd only', () => {
  const paths = berthPaths('/tmp/cfg');
  const host = parse(containerdConfig('host', paths.hostContainerd)) as unknown as ContainerdToml;
  const orch = parse(containerdConfig('orchestrator', paths.orchestratorContainerd)) as unknown as ContainerdToml;
  assert.ok(host.disabled_plugins.includes(CRI));
  assert.equal(host.plugins[CRI], undefined);
  assert.ok(!orch.disabled_plugins.includes(CRI));
  assert.equal(host.grpc.address, '/tmp/cfg/run/host-containerd/containerd.sock');
  assert.equal(orch.grpc.address, '/tmp/cfg/run/containerd/containerd.sock');
  assert.equal(host.root, '/tmp/cfg/var/lib/host-containerd');
  assert.equal(orch.state, '/tmp/cfg/run/containerd');
});

test('containerdConfig() gives the orchestrator CRI with its paths under the root prefix', () => {
  const paths = berthPaths('/tmp/cfg');
  const cri = (parse(containerdConfig('orchestrator', paths.orchestratorContainerd)) as unknown as ContainerdToml).plugins[CRI];
  // TOML tables parse into objects without a prototype: compare plain copies.
  assert.deepEqual(JSON.parse(JSON.stringify(cri)), {
    sandbox_image: SANDBOX_IMAGE,
    netns_mounts_under_state_dir: true,
    restrict_oom_score_adj: false,
    cni: { bin_dir: '/usr/lib/cni', conf_dir: '/tmp/cfg/etc/cni/net.d', max_conf_num: 1 },
    containerd: { runtimes: { runc: { runtime_type: 'io.containerd.runc.v2', options: { Root: '/tmp/cfg/run/containerd/runc' } } } },
  });
});

test('containerdConfig() keeps pods from lowering OOM scores only where containerd cannot', () => {
  const paths = berthPaths('/tmp/cfg').orchestratorContainerd;
  const cri = (options: { restrictOomScoreAdj?: boolean }) =>
    (parse(containerdConfig('orchestrator', paths, options)) as unknown as ContainerdToml).plugins[CRI]?.restrict_oom_score_adj;
  assert.equal(cri({}), false);
  assert.equal(cri({ restrictOomScoreAdj: true }), true);
});

test('containerdConfig() refuses CRI for paths without CNI directories', () => {
  const paths = berthPaths('/tmp/cfg');
  assert.throws(() => containerdConfig('orchestrator', paths.hostContainerd), {
    name: 'TypeError',
    message: /Cannot configure CRI for the containerd at \/tmp\/cfg\/run\/host-containerd\/containerd.sock/,
  });
});
