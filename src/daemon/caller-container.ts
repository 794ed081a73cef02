import type { ApiCaller } from '../api/index.js';
import { DEFAULT_API_ACCESS, type Settings } from '../model/index.js';
import { containerIdOf } from '../runtime/container-id.js';

/**
 * Which of berth's containers a process runs in, from its `/proc/<pid>/cgroup`. runc puts every
 * process of a container, `apiclient exec` ones included, in `<cgroup parent>/<container id>` (or
 * below it, when the container makes cgroups of its own), and a container without CAP_SYS_ADMIN
 * cannot move out of it. The pid namespace would not do: superpowered containers share the host's.
 * Lines are `hierarchy-id:controllers:path`, one per cgroup v1 hierarchy, `0::path` for v2.
 */
export function containerIdInCgroups(procCgroup: string, cgroupParent: string): string | undefined {
  const prefix = `${cgroupParent}/`;
  for (const line of procCgroup.split('\n')) {
    const path = line.split(':').slice(2).join(':');
    if (path.startsWith(prefix)) return path.slice(prefix.length).split('/')[0] || undefined;
  }
  return undefined;
}

/**
 * The API caller in container `id`, with the access its settings give it now (a change applies to
 * the next request, before the container is replaced). Bootstrap containers, and a container whose
 * settings are gone, have the default: Bottlerocket's full access.
 */
export function callerInContainer(id: string, settings: Settings): ApiCaller {
  for (const [name, hc] of Object.entries(settings['host-containers'] ?? {})) {
    if (containerIdOf(name, 'host') === id) return { kind: 'container', name, access: hc['api-access'] ?? DEFAULT_API_ACCESS };
  }
  return { kind: 'container', name: id, access: DEFAULT_API_ACCESS };
}
