import { createHash } from 'node:crypto';
import path from 'node:path';

/**
 * Every path berth uses, derived from one root prefix so several instances (tests, benchmarks, a
 * demo) run side by side. With root "/" these are the production paths of docs/architecture.md §1.
 */
export interface ContainerdPaths {
  /** gRPC socket. */
  socket: string;
  /** Persistent root (content, snapshots, metadata). */
  root: string;
  /** Runtime state (shim sockets, task bundles). */
  state: string;
  /** runc state root passed to the shim, so two daemons never share it. */
  runcRoot: string;
  /** Generated containerd config. */
  config: string;
  /** Daemon output when berth manages it. */
  log: string;
  /** pidfile written when berth manages it. */
  pidfile: string;
  /** cgroup parent of every container this daemon runs. */
  cgroupParent: string;
  /** Where its CRI plugin finds pod networks; only the orchestrator's containerd serves CRI. */
  cri?: CriPaths;
}

/** The CNI paths of the orchestrator's containerd's CRI plugin. */
export interface CriPaths {
  /** CNI network configs the orchestrator writes (the first by name is used): `<root>/etc/cni/net.d`. */
  cniConfDir: string;
  /**
   * CNI plugin binaries: Debian's containernetworking-plugins. Not under the root prefix: like the
   * containerd and runc binaries, they belong to the distribution.
   */
  cniBinDir: string;
}

/** Where Debian's containernetworking-plugins installs the CNI plugins (upstream uses /opt/cni/bin). */
const DEBIAN_CNI_BIN_DIR = '/usr/lib/cni';

export interface BerthPaths {
  /** The prefix every other path starts with ("/" in production). */
  root: string;
  hostContainerd: ContainerdPaths;
  orchestratorContainerd: ContainerdPaths & { cri: CriPaths };
  /** berth's runtime dir: API socket and pidfile (bind-mounted read-only into host containers). */
  run: string;
  apiSocket: string;
  /** berthd's pid and mode while it runs (JSON). */
  berthdState: string;
  /** berthd's pid alone: sheltie's fallback target where PID 1 is out of reach. */
  berthdPidfile: string;
  /** FIFOs for exec sessions. */
  fifoDir: string;
  /** Bootstrap containers that ran this boot, one marker file each (under /run: gone at reboot). */
  bootstrapRan: string;
  /** Bootstrap commands that ran this boot, one file each (under /run: gone at reboot). */
  bootstrapCommandsRan: string;
  /** Where a NoCloud seed is mounted while its user data is read. */
  nocloudMount: string;
  /** berth's persistent data: datastore, host-container storage, audit log. */
  data: string;
  datastore: string;
  /** berth's audit trail (exec sessions, SSH logins, break-glass expiries). */
  auditLog: string;
  /** Marks that boot user data was applied (first boot only). */
  userDataMarker: string;
  /** Persistent storage of each host container: `<hostContainers>/<name>`. */
  hostContainers: string;
  /** Persistent storage of each bootstrap container. */
  bootstrapContainers: string;
  /** Logs: berthd's own and one file per container. */
  logs: string;
  containerLogs: string;
}

function containerdPaths(root: string, name: string, cgroupParent: string): ContainerdPaths {
  const state = path.join(root, 'run', name);
  return {
    socket: path.join(state, 'containerd.sock'),
    root: path.join(root, 'var/lib', name),
    state,
    runcRoot: path.join(state, 'runc'),
    config: path.join(root, 'etc', name, 'config.toml'),
    log: path.join(root, 'var/log/berth', `${name}.log`),
    pidfile: path.join(root, 'run/berth', `${name}.pid`),
    cgroupParent,
  };
}

/**
 * Short tag that keeps the cgroup parents of different roots apart (cgroups are global to the
 * machine even when every file path is prefixed).
 */
function rootTag(root: string): string {
  if (root === '/') return '';
  return '-' + createHash('sha256').update(root).digest('hex').slice(0, 8);
}

export function berthPaths(root = '/'): BerthPaths {
  const abs = path.resolve(root);
  const tag = rootTag(abs);
  const run = path.join(abs, 'run/berth');
  const data = path.join(abs, 'var/lib/berth');
  const logs = path.join(abs, 'var/log/berth');
  return {
    root: abs,
    hostContainerd: containerdPaths(abs, 'host-containerd', `/berth${tag}/host`),
    orchestratorContainerd: {
      ...containerdPaths(abs, 'containerd', `/berth${tag}/orchestrator`),
      // Not /etc/containerd/config.toml: that is the containerd package's conffile, which berth's
      // config must neither replace nor be replaced by (the unit's drop-in points containerd here).
      config: path.join(abs, 'etc/berth/containerd/config.toml'),
      cri: { cniConfDir: path.join(abs, 'etc/cni/net.d'), cniBinDir: DEBIAN_CNI_BIN_DIR },
    },
    run,
    apiSocket: path.join(run, 'api.sock'),
    berthdState: path.join(run, 'berthd.json'),
    berthdPidfile: path.join(run, 'berthd.pid'),
    // Not under run/berth: that directory is bind-mounted into host containers for the API socket.
    fifoDir: path.join(abs, 'run/berth-exec'),
    bootstrapRan: path.join(abs, 'run/berth-boot/bootstrap-ran'),
    bootstrapCommandsRan: path.join(abs, 'run/berth-boot/bootstrap-commands-ran'),
    nocloudMount: path.join(abs, 'run/berth-boot/nocloud'),
    data,
    datastore: path.join(data, 'datastore'),
    auditLog: path.join(data, 'audit.log'),
    userDataMarker: path.join(data, 'launch-user-data.applied'),
    hostContainers: path.join(data, 'host-containers'),
    bootstrapContainers: path.join(data, 'bootstrap-containers'),
    logs,
    containerLogs: path.join(logs, 'containers'),
  };
}
