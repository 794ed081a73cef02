import { existsSync } from 'node:fs';
import path from 'node:path';
import { HostContainerRuntime } from '../../src/runtime/host-container-runtime.js';
import { ImageSource, type RegistryPuller } from '../../src/runtime/image-source.js';
import { currentCapabilities, existingPrivilegedPaths, hostDevices, selinuxEnabled } from '../../src/daemon/host-facts.js';
import { hostPlatform } from '../../src/images/platform.js';
import { silentLogger, type Logger } from '../../src/lib/logger.js';
import type { Settings } from '../../src/model/index.js';
import type { TestContainerd } from './containerd.js';
import { NATIVE_DIR } from './repo.js';

/** berth's real runtime adapter over a test containerd, wired as berthd wires it. */
export function hostRuntimeFor(
  ctrd: TestContainerd,
  options: { settings: () => Settings; logger?: Logger; puller?: RegistryPuller } = { settings: () => ({}) },
): HostContainerRuntime {
  const p = ctrd.paths;
  const logger = options.logger ?? silentLogger;
  return new HostContainerRuntime({
    client: ctrd.client,
    images: new ImageSource({
      client: ctrd.client,
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
    },
    hostFiles: { apiSocketDir: p.run, apiSocket: p.apiSocket, hostsFile: '/etc/hosts', resolvConf: '/etc/resolv.conf' },
    privileged: {
      capabilities: currentCapabilities(),
      devices: hostDevices(),
      existingPaths: existingPrivilegedPaths(),
      ...(existsSync(path.join(NATIVE_DIR, 'sheltie')) ? { sheltie: path.join(NATIVE_DIR, 'sheltie') } : {}),
      arch: process.arch,
    },
    selinux: selinuxEnabled(),
    logger: path.join(NATIVE_DIR, 'berth-logger'),
    registry: () => options.settings()['container-registry'] ?? {},
    log: logger,
  });
}
