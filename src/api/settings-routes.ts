import { BerthError } from '../errors/index.js';
import { DEFAULT_TRANSACTION, type Datastore } from '../datastore/index.js';
import { describeValue } from '../model/describe-value.js';
import { keypairsToTree } from '../model/index.js';
import { commaList } from './request-target.js';
import type { Route } from './router.js';

/**
 * Bottlerocket's settings endpoints:
 * - `GET /[?prefix=p]` → `{"settings": {…}}` (the model; berth's model has only settings);
 * - `GET /settings[?keys=a,b | ?prefix=p]` → the effective settings, or the part selected;
 * - `PATCH /settings[?tx=]` with a settings tree (no `settings` level) → 204;
 * - `PATCH /settings/keypair[?tx=]` with `{"request_payload": ["a.b=c", …]}` → 204.
 * `settings.` is optional in keys and prefixes; the transaction defaults to `default`.
 */
function expectBody(body: unknown): unknown {
  if (body === undefined) throw new BerthError('INVALID_ARGUMENT', 'Request body is empty: expected a JSON object');
  return body;
}

function keypairPayload(body: unknown): string[] {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new BerthError('INVALID_ARGUMENT', `Expected {"request_payload": ["KEY=VALUE", …]}, got ${describeValue(body)}`);
  }
  for (const field of Object.keys(body)) {
    if (field !== 'request_payload') throw new BerthError('INVALID_ARGUMENT', `Unknown field ${describeValue(field)} (expected only request_payload)`);
  }
  const payload = (body as { request_payload?: unknown }).request_payload;
  if (!Array.isArray(payload)) throw new BerthError('INVALID_ARGUMENT', `'request_payload' must be an array of "KEY=VALUE" strings, got ${describeValue(payload)}`);
  return payload as string[];
}

export function settingsRoutes(datastore: Datastore): Route[] {
  return [
    {
      method: 'GET',
      path: '/',
      query: ['prefix'],
      handler: async ({ query }) => ({
        status: 200,
        body: { settings: query.prefix === undefined ? datastore.live() : datastore.getByPrefix(query.prefix) },
      }),
    },
    {
      method: 'GET',
      path: '/settings',
      query: ['keys', 'prefix'],
      handler: async ({ query }) => {
        if (query.keys !== undefined && query.prefix !== undefined) {
          throw new BerthError('INVALID_ARGUMENT', "Give either 'keys' or 'prefix', not both");
        }
        if (query.keys !== undefined) return { status: 200, body: datastore.getByKeys(commaList(query.keys, 'keys')) };
        if (query.prefix !== undefined) return { status: 200, body: datastore.getByPrefix(query.prefix) };
        return { status: 200, body: datastore.live() };
      },
    },
    {
      method: 'PATCH',
      path: '/settings',
      query: ['tx'],
      handler: async ({ query, body }) => {
        await datastore.patch(query.tx ?? DEFAULT_TRANSACTION, expectBody(body));
        return { status: 204 };
      },
    },
    {
      method: 'PATCH',
      path: '/settings/keypair',
      query: ['tx'],
      handler: async ({ query, body }) => {
        const tree = keypairsToTree(keypairPayload(expectBody(body)));
        await datastore.patch(query.tx ?? DEFAULT_TRANSACTION, tree);
        return { status: 204 };
      },
    },
  ];
}
