import { BerthError } from '../errors/index.js';
import type { Route } from '../api/index.js';
import type { BootReport } from './boot-report.js';
import type { BootSequence } from './boot-sequence.js';
import { logsRoute } from './logs-route.js';

/**
 * The boot through the API: what berthd found at boot (user data, the bootstrap stage), a retry of a
 * failed boot, and the bootstrap containers' status and logs.
 */
export function bootRoutes(options: {
  /** What berthd found at boot (user data). */
  boot: () => BootReport;
  sequence: BootSequence;
  logFileOf: (name: string) => string;
}): Route[] {
  const { sequence } = options;
  const report = (): BootReport => ({ ...options.boot(), bootstrap: sequence.report() });
  const find = (name: string) => {
    const s = sequence.statuses().find((c) => c.name === name);
    if (!s) throw new BerthError('NOT_FOUND', `No bootstrap container named '${name}'`);
    return s;
  };
  return [
    { method: 'GET', path: '/boot', query: [], handler: async () => ({ status: 200, body: report() }) },
    {
      method: 'POST',
      path: '/boot/retry',
      query: [],
      handler: async () => {
        sequence.retry();
        return { status: 202, body: report() };
      },
    },
    { method: 'GET', path: '/bootstrap-containers', query: [], handler: async () => ({ status: 200, body: sequence.statuses() }) },
    { method: 'GET', path: '/bootstrap-containers/:name', query: [], handler: async ({ params }) => ({ status: 200, body: find(params['name'] as string) }) },
    logsRoute('/bootstrap-containers', { check: find, logFileOf: options.logFileOf }),
  ];
}
