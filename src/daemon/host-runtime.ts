import type { ContainerdClient } from '../containerd/index.js';
import { hostPlatform } from '../images/platform.js';
import type { Logger } from '../lib/logger.js';
import { HostContainerRuntime } from '../runtime/host-container-runtime.js';
import { ImageSource, type RegistryPuller } from '../runtime/image-source.js';
import { currentCapabilities, existingPrivilegedPaths, hostDevices, oomKillCounter, selinuxEnabled } from './host-facts.js';
import type { InstallPaths } from './install-paths.js';
import type { BerthPaths } from './paths.js';

/**
 * The reconciler's runtime over host-containerd, wired from berth's paths, the files it ships and
 * what the host offers (capabilities, devices, SELinux). berthd and the real-daemon tests both use it.
 */
export function createHostRuntime(options: {
  client: ContainerdClient;
  paths: BerthPaths;
  install: InstallPaths;
  puller?: RegistryPuller;
  logger: Logger;
}): HostContainerRuntime {
  const { client, paths: p, install, logger } = options;
  const oomCounter = oomKillCounter();
  return new HostContainerRuntime({
    client,
    images: new ImageSource({
      client,
      platform: hostPlatform(process.arch),
      logger,
      ...(options.puller ? { puller: options.puller } : {}),
    }),
    layout: {
      hostContainers: p.hostContainers,
      bootstrapContainers: p.bootstrapContainers,
      containerLogs: p.containerLogs,
      runcRoot: p.hostContainerd.runcRoot,
      cgroupParent: p.hostContainerd.cgroupParent,
      ...(oomCounter ? { oomKillCounter: oomCounter } : {}),
    },
    hostFiles: {
      apiSocketDir: p.run,
      apiSocket: p.apiSocket,
      ...(install.berth ? { apiclient: install.berth } : {}),
      hostsFile: '/etc/hosts',
      resolvConf: '/etc/resolv.conf',
    },
    privileged: {
      capabilities: currentCapabilities(),
      devices: hostDevices(),
      existingPaths: existingPrivilegedPaths(),
      ...(install.sheltie ? { sheltie: install.sheltie } : {}),
      arch: process.arch,
    },
    selinux: selinuxEnabled(),
    logger: install.logger,
    log: logger,
  });
}
