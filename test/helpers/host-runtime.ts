import type { HostContainerRuntime } from '../../src/runtime/host-container-runtime.js';
import type { RegistryPuller } from '../../src/runtime/image-source.js';
import { createHostRuntime } from '../../src/daemon/host-runtime.js';
import { installPaths } from '../../src/daemon/install-paths.js';
import { silentLogger, type Logger } from '../../src/lib/logger.js';
import type { TestContainerd } from './containerd.js';

/** berth's real runtime adapter over a test containerd, wired by the same function berthd uses. */
export function hostRuntimeFor(
  ctrd: TestContainerd,
  options: { logger?: Logger; puller?: RegistryPuller } = {},
): HostContainerRuntime {
  return createHostRuntime({
    client: ctrd.client,
    paths: ctrd.paths,
    install: installPaths(),
    ...(options.puller ? { puller: options.puller } : {}),
    logger: options.logger ?? silentLogger,
  });
}
