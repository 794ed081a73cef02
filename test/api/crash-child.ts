/**
 * Child process of datastore-crash.test.ts: opens the datastore in BERTH_CRASH_DIR and commits
 * crashState(n) as commit number n, forever, printing `n` after each commit returns. Without that
 * variable (as when the test runner loads every file under test/) it does nothing.
 */
import { Datastore } from '../../src/datastore/index.js';
import { defaultSettings, type Settings } from '../../src/model/index.js';

export const CRASH_DEFAULTS = defaultSettings({ controlSource: 'oci-archive:/c.tar', adminSource: 'oci-archive:/a.tar' });
export const CRASH_TX = 'crash';

/** The settings users have set after commit `n`: every commit rewrites the same keys, ~60 KiB in all. */
export function crashState(n: number): Settings {
  if (n === 0) return {};
  const containers: NonNullable<Settings['host-containers']> = {};
  for (let i = 0; i < 5; i++) {
    containers[`c${i}`] = {
      source: `localhost:5000/c${i}:v${n}`,
      enabled: (n + i) % 2 === 0,
      'user-data': Buffer.alloc(8192, `${n}:${i};`).toString('base64'),
    };
  }
  return { 'host-containers': containers };
}

async function main(dir: string): Promise<void> {
  const ds = await Datastore.open({ dir, defaults: CRASH_DEFAULTS });
  process.stdout.write('ready\n');
  for (;;) {
    const n = ds.generation + 1;
    await ds.patch(CRASH_TX, crashState(n));
    await ds.commit(CRASH_TX);
    process.stdout.write(`${n}\n`);
  }
}

const dir = process.env.BERTH_CRASH_DIR;
if (dir !== undefined && dir !== '') {
  main(dir).catch((err: unknown) => {
    process.stderr.write(`crash-child: ${(err as Error).message}\n`);
    process.exit(1);
  });
}
