import type { BootstrapContainerSettings, Settings } from '../model/index.js';
import { messageOf } from '../errors/index.js';
import type { Logger } from '../lib/logger.js';
import { desiredBootstrapContainer } from './desired.js';
import { userDataStep } from './plan.js';
import type { RuntimePort } from './runtime-port.js';

/** How a bootstrap container's run ended. */
export type BootstrapResult = 'ok' | 'failed' | 'timeout';

/**
 * One run of a bootstrap container in this boot, as recorded: written when it starts (no `result`)
 * and again when it ends. A run without a result was cut short by berthd stopping.
 */
export interface BootstrapRun {
  startedAt: string;
  result?: BootstrapResult;
  exitCode?: number;
  /** When its process exited (RFC 3339), when it did. */
  exitedAt?: string;
  reason?: string;
}

/** A run that ended. */
export type EndedRun = BootstrapRun & { result: BootstrapResult };

export interface BootstrapOutcome {
  name: string;
  essential: boolean;
  result: BootstrapResult;
  exitCode?: number;
  exitedAt?: string;
  reason?: string;
}

export interface BootstrapOptions {
  runtime: RuntimePort;
  settings: Settings;
  logger: Logger;
  /** How long one bootstrap container may run. Default 10 min (Bottlerocket has none and hangs the boot). */
  timeoutMs?: number;
  /**
   * The run of this container in this boot that stands (a berthd restart does not run it again), or
   * undefined to run it.
   */
  previousRun: (name: string) => Promise<EndedRun | undefined>;
  /** Records a run as it starts and as it ends. */
  recordRun: (name: string, run: BootstrapRun) => Promise<void>;
  /** Commits `mode = off` after a successful `once` run. */
  setModeOff: (name: string) => Promise<void>;
  now?: () => Date;
}

/** The bootstrap containers to run at this boot: mode once or always, with a source. */
export function bootstrapsToRun(settings: Settings): Array<[string, BootstrapContainerSettings]> {
  return Object.entries(settings['bootstrap-containers'] ?? {}).filter(([, b]) => b.mode === 'once' || b.mode === 'always');
}

/**
 * Runs the bootstrap containers to completion, all at once, before host containers start. Each is
 * created, started, waited for (with a timeout) and removed. `once` turns `off` after a success.
 * The caller fails the boot when an essential one did not succeed.
 */
export async function runBootstrapContainers(options: BootstrapOptions): Promise<BootstrapOutcome[]> {
  const log = options.logger.child({ component: 'bootstrap' });
  const outcomes = await Promise.all(
    bootstrapsToRun(options.settings).map(async ([name, b]): Promise<BootstrapOutcome> => {
      const essential = b.essential ?? false;
      const previous = await options.previousRun(name);
      if (previous) return { name, essential, ...withoutStart(previous) };
      const run: BootstrapRun = { startedAt: (options.now?.() ?? new Date()).toISOString() };
      const ended: EndedRun = { ...run, ...(await runOne({ name, b, run, log }, options)) };
      await options.recordRun(name, ended);
      return { name, essential, ...withoutStart(ended) };
    }),
  );
  for (const o of outcomes) {
    const entry = { container: o.name, essential: o.essential, result: o.result, reason: o.reason };
    if (o.result === 'ok') log.info(entry, 'bootstrap container done');
    else log.error(entry, 'bootstrap container failed');
  }
  return outcomes;
}

/** Creates, starts, waits for (with a timeout) and removes one bootstrap container. */
async function runOne(
  { name, b, run, log }: { name: string; b: BootstrapContainerSettings; run: BootstrapRun; log: Logger },
  options: BootstrapOptions,
): Promise<Omit<EndedRun, 'startedAt'>> {
  const rt = options.runtime;
  const timeoutMs = options.timeoutMs ?? 600_000;
  try {
    const desired = desiredBootstrapContainer(name, options.settings);
    if (!desired) return { result: 'failed', reason: 'no source set' };
    // Run to completion rather than reconciled: only its user data is planned, as a host container's is.
    const userData = userDataStep(desired.userData, await rt.userDataDigest(name, 'bootstrap'));
    if (userData === 'write-user-data') await rt.writeUserData(name, 'bootstrap', desired.userData as Buffer);
    if (userData === 'remove-user-data') await rt.removeUserData(name, 'bootstrap');
    await options.recordRun(name, run); // before the start: a crash mid-run must not loop the boot
    await rt.create(desired);
    await rt.start(name, 'bootstrap');
    log.info({ container: name, essential: b.essential ?? false }, 'bootstrap container started');
    const exit = await rt.waitExit(name, 'bootstrap', { timeoutMs });
    if (!exit) {
      await rt.stop(name, 'bootstrap', { graceMs: 5000 });
      await rt.remove(name, 'bootstrap');
      return { result: 'timeout', reason: `did not finish within ${Math.round(timeoutMs / 1000)} s` };
    }
    await rt.remove(name, 'bootstrap');
    const exited = { exitCode: exit.exitCode, ...(exit.exitedAt ? { exitedAt: exit.exitedAt.toISOString() } : {}) };
    if (exit.exitCode !== 0) return { result: 'failed', ...exited, reason: `exited with status ${exit.exitCode}` };
    if (b.mode === 'once') await options.setModeOff(name);
    return { result: 'ok', ...exited };
  } catch (err) {
    await rt.remove(name, 'bootstrap').catch(() => undefined);
    return { result: 'failed', reason: messageOf(err) };
  }
}

function withoutStart(run: EndedRun): Omit<BootstrapOutcome, 'name' | 'essential'> {
  const { startedAt: _, ...rest } = run;
  return rest;
}

/** The outcomes that make the boot fail. */
export function essentialFailures(outcomes: readonly BootstrapOutcome[]): BootstrapOutcome[] {
  return outcomes.filter((o) => o.essential && (o.result === 'failed' || o.result === 'timeout'));
}
