import { ContainerdClient } from '../../src/containerd/index.js';
import { ManagedContainerd } from '../../src/daemon/managed-containerd.js';
import { berthPaths, type BerthPaths } from '../../src/daemon/paths.js';
import { silentLogger } from '../../src/lib/logger.js';
import type { ReapReport } from './reap.js';
import { makeTempRoot, removeTempRoot } from './temp-root.js';

export interface TestContainerd {
  root: string;
  paths: BerthPaths;
  daemon: ManagedContainerd;
  client: ContainerdClient;
  /** Stops the daemon, then kills whatever is left of the root and removes it; says what was left. */
  cleanup(): Promise<ReapReport>;
}

/** A private host-containerd under a fresh temp root, started through berth's own ManagedContainerd. */
export async function startTestContainerd(options: { namespace?: string } = {}): Promise<TestContainerd> {
  const root = await makeTempRoot();
  const paths = berthPaths(root);
  const daemon = new ManagedContainerd({ role: 'host', paths: paths.hostContainerd, logger: silentLogger });
  try {
    await daemon.start();
  } catch (err) {
    daemon.detach(); // no restart of a daemon that never answered
    await removeTempRoot(root).catch(() => undefined);
    throw err;
  }
  const client = ContainerdClient.connect({ socket: paths.hostContainerd.socket, namespace: options.namespace ?? 'default' });
  return {
    root,
    paths,
    daemon,
    client,
    async cleanup() {
      client.close();
      await daemon.stop({ graceMs: 3000 });
      return removeTempRoot(root);
    },
  };
}
