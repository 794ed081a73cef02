/**
 * The settings API's write rate for `npm run bench` (test/bench/run.ts): commits per second through
 * the API, each a PATCH /settings/keypair and a POST /tx/commit, fsynced. Loading this file runs
 * nothing.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createApiServer } from '../../src/api/index.js';
import { ApiClient } from '../../src/apiclient/index.js';
import { Datastore } from '../../src/datastore/index.js';
import { TEST_DEFAULTS } from './api-fixture.js';

export interface ApiBenchResult {
  commits: number;
  commitsPerSecond: number;
}

export async function benchApi({ commitMs = 3000 }: { commitMs?: number } = {}): Promise<ApiBenchResult> {
  const root = await mkdtemp(path.join(tmpdir(), 'berth-bench-api-'));
  const socketPath = path.join(root, 'api.sock');
  const datastore = await Datastore.open({ dir: path.join(root, 'datastore'), defaults: TEST_DEFAULTS });
  const server = createApiServer({ datastore, socketPath });
  await server.listen();
  try {
    const client = new ApiClient({ socketPath });
    let commits = 0;
    const start = process.hrtime.bigint();
    let elapsedMs = 0;
    while (elapsedMs < commitMs) {
      await client.patchKeypairs([`host-containers.bench.enabled=${commits % 2 === 0}`], { tx: 'bench' });
      await client.commit({ tx: 'bench' });
      commits++;
      elapsedMs = Number(process.hrtime.bigint() - start) / 1e6;
    }
    return { commits, commitsPerSecond: (commits * 1000) / elapsedMs };
  } finally {
    await server.close();
    await rm(root, { recursive: true, force: true });
  }
}

export function formatApiBench(result: ApiBenchResult): string {
  return `commits through the API: ${result.commitsPerSecond.toFixed(0)}/s (${result.commits} commits, each PATCH /settings/keypair + POST /tx/commit, fsynced)`;
}
