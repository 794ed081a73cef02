import { appendFile, mkdir, mkdtemp, readFile } from 'node:fs/promises';
import path from 'node:path';
import { killDescendants, reapRoot, type ReapReport } from './reap.js';

/** Where roots go when a test file is run by hand, without scripts/test.sh. */
const BY_HAND = '/tmp/berth-t/by-hand';

/** Every root made in a run, so the final check finds their cgroups even after the roots are gone. */
const LEDGER = 'roots.list';

/** Roots this process made and has not removed yet: reaped if the process is told to stop. */
const liveRoots = new Set<string>();
let reapWhenEndedInstalled = false;

/** The directory that holds every test root: scripts/test.sh makes one per run (BERTH_TEST_ROOTS). */
export function testRootsParent(): string {
  return process.env['BERTH_TEST_ROOTS'] || BY_HAND;
}

/**
 * A fresh root for daemons under the test roots' parent, kept short: Unix socket paths under it
 * must stay under 108 bytes.
 */
export async function makeTempRoot(prefix = 'bt'): Promise<string> {
  const parent = testRootsParent();
  await mkdir(parent, { recursive: true, mode: 0o755 });
  const root = await mkdtemp(path.join(parent, `${prefix}-`));
  if (parent !== BY_HAND) await appendFile(path.join(parent, LEDGER), `${root}\n`);
  liveRoots.add(root);
  reapWhenEnded();
  return root;
}

/** Every root ever made under PARENT (made by any process), removed or not. */
export async function rootsMadeUnder(parent: string): Promise<string[]> {
  const text = await readFile(path.join(parent, LEDGER), 'utf8').catch(() => '');
  return [...new Set(text.split('\n').filter(Boolean))];
}

/**
 * Kills every process of ROOT (daemons, shims, container processes), unmounts it, removes its
 * cgroups and the directory; throws when something could not be cleaned up.
 */
export async function removeTempRoot(root: string): Promise<ReapReport> {
  const report = await reapRoot(root);
  liveRoots.delete(root);
  if (report.failures.length > 0) throw new Error(`Cannot clean up test root ${root}:\n${report.failures.join('\n')}`);
  return report;
}

/**
 * `node --test` ends a test file that runs past --test-timeout with SIGTERM, and its after() hooks
 * do not run then; Ctrl-C sends SIGINT to every test file; a runner killed outright leaves its test
 * files running, orphaned. In each case the roots this process made, and whatever it started, are
 * reaped before it exits.
 */
function reapWhenEnded(): void {
  if (reapWhenEndedInstalled) return;
  reapWhenEndedInstalled = true;
  let reaping: Promise<void> | undefined;
  const reapAndExit = (status: number) => {
    reaping ??= reapLiveRoots().finally(() => process.exit(status));
  };
  // `timeout` signals the child and then its whole process group: the second signal must not end
  // the reaping the first one started.
  for (const [signal, status] of [['SIGTERM', 143], ['SIGINT', 130], ['SIGHUP', 129]] as const) {
    process.on(signal, () => reapAndExit(status));
  }
  const runner = process.ppid;
  const orphaned = setInterval(() => {
    if (process.ppid !== runner) reapAndExit(1);
  }, 1000);
  orphaned.unref();
}

async function reapLiveRoots(): Promise<void> {
  await killDescendants(process.pid).catch(() => undefined);
  for (const root of liveRoots) {
    await reapRoot(root).catch(() => undefined);
    liveRoots.delete(root);
  }
}
