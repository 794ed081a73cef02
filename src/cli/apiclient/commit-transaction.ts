import type { ApiClient } from '../../apiclient/index.js';

/**
 * Fills a fresh transaction with `fill`, then commits and applies it, as `apiclient set` and `apply`
 * do. On any failure the transaction is dropped (best effort) so nothing half-filled stays pending.
 */
export async function commitInTransaction(client: ApiClient, tx: string, fill: () => Promise<void>): Promise<string[]> {
  try {
    await fill();
    return await client.commitAndApply({ tx });
  } catch (err) {
    await client.deleteTransaction({ tx }).catch(() => undefined);
    throw err;
  }
}
