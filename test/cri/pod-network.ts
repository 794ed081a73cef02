import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import type { BerthPaths } from '../../src/daemon/paths.js';

const exec = promisify(execFile);

/**
 * A private /24 outside the ranges orchestrators and engines use by default (containerd's example
 * 10.88/16, flannel's 10.244/16, Docker's 172.17/16, Calico's 192.168/16). The bridge gets no
 * address, so nothing of it reaches the host's routing table.
 */
const SUBNET = '10.199.83.0/24';

/** The pod network a test writes, as an orchestrator would, for the orchestrator's containerd. */
export interface PodNetwork {
  /** CNI network name. */
  name: string;
  /** The Linux bridge the pods' veths join. */
  bridge: string;
  subnet: string;
  /** The conflist in the CRI plugin's CNI config dir. */
  configFile: string;
  /** host-local's allocations (one file per address in use, under `<ipamDir>/<name>`). */
  ipamDir: string;
}

/**
 * Writes a bridge network with host-local addresses into the CNI config dir of ROOT's orchestrator
 * containerd, everything kept under ROOT: host-local's state (default /var/lib/cni/networks) goes
 * to `<root>/var/lib/cni/networks`. The bridge is made here rather than by the plugin, with ROOT as
 * its alias, so the reaper removes it however the test ends (CNI never deletes a bridge). No
 * gateway and no masquerading: those would switch on IP forwarding and add iptables rules for the
 * whole host, and the test needs neither.
 */
export async function writePodNetwork(paths: BerthPaths): Promise<PodNetwork> {
  const name = 'berth-test';
  const bridge = `brt${createHash('sha256').update(paths.root).digest('hex').slice(0, 10)}`;
  const ipamDir = path.join(paths.root, 'var/lib/cni/networks');
  const confDir = paths.orchestratorContainerd.cri.cniConfDir;
  await createTaggedBridge(bridge, paths.root);
  const conflist = {
    cniVersion: '1.0.0',
    name,
    plugins: [
      {
        type: 'bridge',
        bridge,
        isGateway: false,
        ipMasq: false,
        ipam: { type: 'host-local', ranges: [[{ subnet: SUBNET }]], dataDir: ipamDir },
      },
    ],
  };
  await mkdir(confDir, { recursive: true, mode: 0o755 });
  const configFile = path.join(confDir, `10-${name}.conflist`);
  // Whole or not at all: the CRI plugin reloads the directory as soon as a file appears.
  await writeFile(`${configFile}.tmp`, JSON.stringify(conflist, null, 2));
  await rename(`${configFile}.tmp`, configFile);
  return { name, bridge, subnet: SUBNET, configFile, ipamDir };
}

async function createTaggedBridge(bridge: string, root: string): Promise<void> {
  if (!existsSync(path.join('/sys/class/net', bridge))) await exec('ip', ['link', 'add', 'name', bridge, 'type', 'bridge']);
  await exec('ip', ['link', 'set', 'dev', bridge, 'alias', root]);
}

/** Deletes the network's bridge: the test plays the orchestrator, which owns it. */
export async function removePodNetworkBridge(network: PodNetwork): Promise<void> {
  if (existsSync(path.join('/sys/class/net', network.bridge))) await exec('ip', ['link', 'delete', 'dev', network.bridge]);
}

/** The interfaces attached to the bridge (a pod's veth while it runs). */
export async function bridgePorts(network: PodNetwork): Promise<string[]> {
  return readdir(path.join('/sys/class/net', network.bridge, 'brif')).catch(() => []);
}
