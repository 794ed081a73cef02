import type { ContainerdClient } from '../../src/containerd/index.js';
import { SANDBOX_IMAGE } from '../../src/daemon/containerd-config.js';
import { importImage } from '../../src/images/import.js';
import { hostPlatform } from '../../src/images/platform.js';
import { testImageArchive } from '../helpers/test-image.js';

/** The namespace the CRI plugin keeps its images, pods and containers in. */
export const CRI_NAMESPACE = 'k8s.io';

/** The workload's image name (a registry name no registry has: it must come from the import). */
const WORKLOAD_IMAGE = 'berth.test/cri-workload:1';

/**
 * A stand-in for the pause image: PID 1 of the pod sandbox, which only holds the pod's namespaces.
 * CRI kills it with SIGKILL; it still ends on SIGTERM, like the real one.
 */
const PAUSE = '#!/bin/sh\ntrap "exit 0" TERM INT\nwhile :; do sleep 3600 & wait $!; done\n';

/** The workload: says it started (into the CRI log), idles, and ends at once on SIGTERM. */
const WORKLOAD = '#!/bin/sh\necho "workload started"\ntrap "echo workload stopping; exit 0" TERM\nwhile :; do sleep 1 & wait $!; done\n';

/**
 * Builds the sandbox image (under the name the CRI plugin is configured with, which nothing here
 * can pull) and the workload image from the busybox test image, and imports both into the CRI
 * namespace of the orchestrator's containerd with berth's own importer: content, image records and
 * overlayfs snapshots, which is all the CRI plugin reads (it learns of new images from containerd's
 * events).
 */
export async function importPodImages(orchestrator: ContainerdClient): Promise<{ sandboxImage: string; workloadImage: string }> {
  if (orchestrator.namespace !== CRI_NAMESPACE) throw new RangeError(`Pod images go into namespace ${CRI_NAMESPACE}: current value is ${orchestrator.namespace}`);
  const platform = hostPlatform(process.arch);
  const pause = await testImageArchive({ extraFiles: { '/pause': PAUSE }, entrypoint: ['/pause'] });
  const workload = await testImageArchive({ extraFiles: { '/usr/bin/workload': WORKLOAD }, entrypoint: ['/usr/bin/workload'] });
  await importImage(orchestrator, { path: pause, name: SANDBOX_IMAGE, platform });
  await importImage(orchestrator, { path: workload, name: WORKLOAD_IMAGE, platform });
  return { sandboxImage: SANDBOX_IMAGE, workloadImage: WORKLOAD_IMAGE };
}
