import { stringify } from 'smol-toml';
import type { ContainerdPaths } from './paths.js';

/** Which of the two daemons a config is for. */
export type ContainerdRole = 'host' | 'orchestrator';

/** Plugins neither daemon needs; `opt` would write to /opt/containerd, outside the root prefix. */
const ALWAYS_DISABLED = [
  'io.containerd.internal.v1.opt',
  'io.containerd.snapshotter.v1.aufs',
  'io.containerd.snapshotter.v1.btrfs',
  'io.containerd.snapshotter.v1.devmapper',
  'io.containerd.snapshotter.v1.zfs',
];

/**
 * The pod sandbox ("pause") image the CRI plugin starts every pod with: upstream's current pause
 * image, so a host that reaches registry.k8s.io pulls it on its first pod, and a host that cannot
 * must import an image under this exact name into the `k8s.io` namespace first. containerd 1.6's
 * own default, pause:3.6, dates from Kubernetes 1.23.
 */
export const SANDBOX_IMAGE = 'registry.k8s.io/pause:3.10';

/** What a config depends on beyond the paths. */
export interface ContainerdConfigOptions {
  /**
   * Keep the OOM score adjustment of every pod and container at or above containerd's own. Needed
   * where containerd cannot lower scores (no CAP_SYS_RESOURCE): there every pod sandbox, which CRI
   * starts at -998, would fail to start. Only the orchestrator's config uses it. Default false.
   */
  restrictOomScoreAdj?: boolean;
}

/**
 * containerd's config.toml for one of the two daemons. They never share a root, state dir, socket
 * or runc root. host-containerd has no CRI plugin, so an orchestrator can never see host containers.
 */
export function containerdConfig(role: ContainerdRole, paths: ContainerdPaths, options: ContainerdConfigOptions = {}): string {
  const disabled = role === 'host' ? [...ALWAYS_DISABLED, 'io.containerd.grpc.v1.cri'] : ALWAYS_DISABLED;
  const plugins: Record<string, unknown> = {
    // The tasks service needs the v1 runtime plugin loaded (1.6); keep its unused state in our root.
    'io.containerd.runtime.v1.linux': { runtime_root: `${paths.state}/runc-v1` },
  };
  if (role === 'orchestrator') plugins['io.containerd.grpc.v1.cri'] = criPlugin(paths, options);
  const config = {
    version: 2,
    root: paths.root,
    state: paths.state,
    disabled_plugins: disabled,
    grpc: { address: paths.socket, uid: 0, gid: 0 },
    ttrpc: { address: `${paths.socket}.ttrpc` },
    debug: { address: '' },
    metrics: { address: '' },
    plugins,
  };
  return stringify(config) + '\n';
}

/**
 * The CRI plugin of the orchestrator's containerd. Its own root and state dirs are containerd's
 * (`<root>/io.containerd.grpc.v1.cri`, `<state>/io.containerd.grpc.v1.cri`), so only the paths
 * containerd would otherwise take from the host are set here.
 */
function criPlugin(paths: ContainerdPaths, options: ContainerdConfigOptions): Record<string, unknown> {
  if (!paths.cri) throw new TypeError(`Cannot configure CRI for the containerd at ${paths.socket}: its paths have no CNI directories`);
  return {
    sandbox_image: SANDBOX_IMAGE,
    // A pod's network namespace is pinned under <state>/io.containerd.grpc.v1.cri/netns, not in the
    // host-wide /var/run/netns: everything stays under the root prefix and goes with the state dir.
    netns_mounts_under_state_dir: true,
    restrict_oom_score_adj: options.restrictOomScoreAdj ?? false,
    cni: { bin_dir: paths.cri.cniBinDir, conf_dir: paths.cri.cniConfDir, max_conf_num: 1 },
    // The CRI's runc shims must not share the default /run/containerd/runc with anyone.
    containerd: { runtimes: { runc: { runtime_type: 'io.containerd.runc.v2', options: { Root: paths.runcRoot } } } },
  };
}
