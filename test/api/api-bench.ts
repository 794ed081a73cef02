/**
 * Benchmarks of the settings API for `npm run bench` (test/bench/run.ts calls benchApi()): latency of
 * `apiclient get` and `apiclient set` as processes, against a bare `node -e` HTTP request over the same
 * socket (Node's start-up floor), the single-file dist/apiclient when built, and commits per second
 * through the API (PATCH /settings/keypair + POST /tx/commit, each commit fsynced). Loading this file
 * runs nothing.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createApiServer } from '../../src/api/index.js';
import { ApiClient } from '../../src/apiclient/index.js';
import { Datastore } from '../../src/datastore/index.js';
import { compare, type Result } from '../bench/harness.js';
import { TEST_DEFAULTS } from './api-fixture.js';
import { APICLIENT } from '../helpers/repo.js';

const exec = promisify(execFile);
const BUNDLE = fileURLToPath(new URL('../../apiclient', import.meta.url));

export interface ApiBenchResult {
  comparisons: Result[];
  commits: number;
  commitsPerSecond: number;
}

export async function benchApi({ runs = 15, commitMs = 3000 }: { runs?: number; commitMs?: number } = {}): Promise<ApiBenchResult> {
  const root = await mkdtemp(path.join(tmpdir(), 'berth-bench-api-'));
  const socketPath = path.join(root, 'api.sock');
  const datastore = await Datastore.open({ dir: path.join(root, 'datastore'), defaults: TEST_DEFAULTS });
  const server = createApiServer({ datastore, socketPath });
  await server.listen();
  try {
    const cli = (...args: string[]) => exec(APICLIENT, ['-s', socketPath, ...args]);
    const bare = () =>
      exec(process.execPath, ['-e', `require('http').get({socketPath:${JSON.stringify(socketPath)},path:'/'},r=>r.resume())`]);
    let flip = false;
    const comparisons = [
      await compare({ name: 'apiclient get', reference: 'node -e http.get (bare)', runs, berth: async () => void (await cli('get')), ref: async () => void (await bare()) }),
      await compare({
        name: 'apiclient set (patch + commit)',
        reference: 'node -e http.get (bare)',
        runs,
        berth: async () => {
          flip = !flip;
          await cli('set', `host-containers.admin.enabled=${flip}`);
        },
        ref: async () => void (await bare()),
      }),
    ];
    if (existsSync(BUNDLE)) {
      comparisons.push(
        await compare({
          name: 'dist/apiclient get (single file)',
          reference: 'node apiclient.js get',
          runs,
          berth: async () => void (await exec(BUNDLE, ['-s', socketPath, 'get'])),
          ref: async () => void (await cli('get')),
        }),
      );
    }
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
    return { comparisons, commits, commitsPerSecond: (commits * 1000) / elapsedMs };
  } finally {
    await server.close();
    await rm(root, { recursive: true, force: true });
  }
}

export function formatApiBench(result: ApiBenchResult): string {
  return `commits through the API: ${result.commitsPerSecond.toFixed(0)}/s (${result.commits} commits, each PATCH /settings/keypair + POST /tx/commit, fsynced)`;
}
