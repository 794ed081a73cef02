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
 * containerd's config.toml for one of the two daemons. They never share a root, state dir, socket
 * or runc root. host-containerd has no CRI plugin, so an orchestrator can never see host containers.
 */
export function containerdConfig(role: ContainerdRole, paths: ContainerdPaths): string {
  const disabled = role === 'host' ? [...ALWAYS_DISABLED, 'io.containerd.grpc.v1.cri'] : ALWAYS_DISABLED;
  const config: Record<string, unknown> = {
    version: 2,
    root: paths.root,
    state: paths.state,
    disabled_plugins: disabled,
    grpc: { address: paths.socket, uid: 0, gid: 0 },
    ttrpc: { address: `${paths.socket}.ttrpc` },
    debug: { address: '' },
    metrics: { address: '' },
    // The tasks service needs the v1 runtime plugin loaded (1.6); keep its unused state in our root.
    plugins: { 'io.containerd.runtime.v1.linux': { runtime_root: `${paths.state}/runc-v1` } },
  };
  if (role === 'orchestrator') {
    (config['plugins'] as Record<string, unknown>)['io.containerd.grpc.v1.cri'] = {
        // The CRI's runc shims must not share the default /run/containerd/runc with anyone.
      containerd: { runtimes: { runc: { runtime_type: 'io.containerd.runc.v2', options: { Root: paths.runcRoot } } } },
    };
  }
  return stringify(config) + '\n';
}
