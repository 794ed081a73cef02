import type { Route } from '../api/index.js';
import type { AuditLog } from '../audit/audit-log.js';
import { BerthError } from '../errors/index.js';

/** `GET /audit[?since=RFC3339][&target=NAME][&limit=N]`: the break-glass audit trail, oldest first. */
export function auditRoutes(audit: AuditLog): Route[] {
  return [
    {
      method: 'GET',
      path: '/audit',
      query: ['since', 'target', 'limit'],
      handler: async ({ query }) => {
        const since = query['since'];
        const limit = query['limit'];
        if (since !== undefined && Number.isNaN(Date.parse(since))) {
          throw new BerthError('INVALID_ARGUMENT', `Invalid query 'since': expected an RFC 3339 time, got '${since.slice(0, 60)}'`);
        }
        if (limit !== undefined && !/^[1-9]\d{0,6}$/.test(limit)) {
          throw new BerthError('INVALID_ARGUMENT', `Invalid query 'limit': expected a positive integer, got '${limit.slice(0, 20)}'`);
        }
        const records = await audit.read({
          ...(since !== undefined ? { since: new Date(since) } : {}),
          ...(query['target'] !== undefined ? { target: query['target'] } : {}),
          ...(limit !== undefined ? { limit: Number(limit) } : {}),
        });
        return { status: 200, body: records };
      },
    },
  ];
}
