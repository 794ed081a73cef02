import { BerthError } from '../errors/index.js';
import type { Route } from '../api/index.js';
import { followFile } from '../lib/follow-file.js';
import type { HostContainerController } from '../reconciler/controller.js';
import type { RuntimeManager } from './runtime-manager.js';
import type { BootReport } from './boot-report.js';

/**
 * berth's read-only additions to the API: host-container status, their logs, what berthd found at
 * boot, and the health of both containerd instances. They read from the reconciler and the runtime manager; nothing here
 * changes state.
 */
export function statusRoutes(options: {
  controller: HostContainerController;
  runtime: RuntimeManager;
  /** What berthd found at boot (user data). */
  boot: () => BootReport;
  logFileOf: (name: string) => string;
}): Route[] {
  const find = (name: string) => {
    const s = options.controller.status().find((c) => c.name === name);
    if (!s) throw new BerthError('NOT_FOUND', `No host container named '${name}'`);
    return s;
  };
  return [
    {
      method: 'GET',
      path: '/host-containers',
      query: [],
      handler: async () => ({ status: 200, body: options.controller.status() }),
    },
    {
      method: 'GET',
      path: '/host-containers/:name',
      query: [],
      handler: async ({ params }) => ({ status: 200, body: find(params['name'] as string) }),
    },
    {
      method: 'GET',
      path: '/host-containers/:name/logs',
      query: ['follow'],
      handler: async ({ params, query }) => {
        const name = params['name'] as string;
        find(name);
        const follow = query['follow'];
        if (follow !== undefined && follow !== 'true' && follow !== 'false') {
          throw new BerthError('INVALID_ARGUMENT', `Invalid query 'follow': expected true or false, got '${follow.slice(0, 40)}'`);
        }
        const file = options.logFileOf(name);
        return { status: 200, body: followFile(file, { follow: follow === 'true', rotated: [`${file}.1`] }) };
      },
    },
    {
      method: 'GET',
      path: '/boot',
      query: [],
      handler: async () => ({ status: 200, body: options.boot() }),
    },
    {
      method: 'GET',
      path: '/health',
      query: [],
      handler: async () => ({ status: 200, body: { containerd: await options.runtime.health() } }),
    },
  ];
}
