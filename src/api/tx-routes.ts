import { DEFAULT_TRANSACTION, type Datastore } from '../datastore/index.js';
import { commaList } from './request-target.js';
import type { Route } from './router.js';

/**
 * Bottlerocket's transaction endpoints (the transaction defaults to `default`):
 * - `GET /tx/list` → pending transaction names;
 * - `GET /tx[?tx=]` → the pending change as a settings tree (`{}` when none);
 * - `DELETE /tx[?tx=]` → the keys it held;
 * - `POST /tx/commit[?tx=]` → the keys whose value changed; 422 when nothing is pending;
 * - `POST /tx/apply[?keys=a,b]` → 204; tells subscribers (the reconciler) about the keys, or all;
 * - `POST /tx/commit_and_apply[?tx=]` → as commit.
 * In berth every commit reaches subscribers: the reconciler is level-triggered on live settings, so
 * commit and commit_and_apply behave the same, and apply only re-announces.
 */
export function txRoutes(datastore: Datastore): Route[] {
  const commit: Route['handler'] = async ({ query }) => ({ status: 200, body: await datastore.commit(query.tx ?? DEFAULT_TRANSACTION) });
  return [
    { method: 'GET', path: '/tx/list', query: [], handler: async () => ({ status: 200, body: datastore.listTransactions() }) },
    {
      method: 'GET',
      path: '/tx',
      query: ['tx'],
      handler: async ({ query }) => ({ status: 200, body: datastore.transaction(query.tx ?? DEFAULT_TRANSACTION) }),
    },
    {
      method: 'DELETE',
      path: '/tx',
      query: ['tx'],
      handler: async ({ query }) => ({ status: 200, body: await datastore.dropTransaction(query.tx ?? DEFAULT_TRANSACTION) }),
    },
    { method: 'POST', path: '/tx/commit', query: ['tx'], handler: commit },
    { method: 'POST', path: '/tx/commit_and_apply', query: ['tx'], handler: commit },
    {
      method: 'POST',
      path: '/tx/apply',
      query: ['keys'],
      handler: async ({ query }) => {
        datastore.announce(query.keys === undefined ? undefined : commaList(query.keys, 'keys'));
        return { status: 204 };
      },
    },
  ];
}
