import { BerthError } from '../errors/index.js';
import type { Route } from '../api/index.js';
import type { StatusStore } from '../reconciler/status-store.js';
import type { ContainerdSupervisor } from './containerd-supervisor.js';
import { logsRoute } from './logs-route.js';

/**
 * berth's read-only additions to the API: host-container status, their logs, and the health of
 * both containerd instances. They read the status store the reconciler writes and the containerd
 * supervisor; nothing here changes state.
 */
export function statusRoutes(options: {
  statuses: StatusStore;
  containerd: ContainerdSupervisor;
  logFileOf: (name: string) => string;
}): Route[] {
  const find = (name: string) => {
    const s = options.statuses.get(name);
    if (!s) throw new BerthError('NOT_FOUND', `No host container named '${name}'`);
    return s;
  };
  return [
    {
      method: 'GET',
      path: '/host-containers',
      query: [],
      handler: async () => ({ status: 200, body: options.statuses.list() }),
    },
    {
      method: 'GET',
      path: '/host-containers/:name',
      query: [],
      handler: async ({ params }) => ({ status: 200, body: find(params['name'] as string) }),
    },
    logsRoute('/host-containers', { check: find, logFileOf: options.logFileOf }),
    {
      method: 'GET',
      path: '/health',
      query: [],
      handler: async () => ({ status: 200, body: { containerd: await options.containerd.health() } }),
    },
  ];
}
