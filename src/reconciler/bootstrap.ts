import type { BootstrapContainerSettings, Settings } from '../model/index.js';
import { messageOf } from '../errors/index.js';
import type { Logger } from '../lib/logger.js';
import { desiredBootstrapContainer } from './desired.js';
import type { RuntimePort } from './runtime-port.js';

export interface BootstrapOutcome {
  name: string;
  essential: boolean;
  /** ok | failed | timeout | skipped */
  result: 'ok' | 'failed' | 'timeout' | 'skipped';
  exitCode?: number;
  reason?: string;
}

export interface BootstrapOptions {
  runtime: RuntimePort;
  settings: Settings;
  logger: Logger;
  /** How long one bootstrap container may run. Default 10 min (Bottlerocket has none and hangs the boot). */
  timeoutMs?: number;
  /** Whether this container already ran in this boot (berthd restarts do not re-run it). */
  ranThisBoot: (name: string) => Promise<boolean>;
  markRan: (name: string) => Promise<void>;
  /** Commits `mode = off` after a successful `once` run. */
  setModeOff: (name: string) => Promise<void>;
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
  const timeoutMs = options.timeoutMs ?? 600_000;
  return Promise.all(
    bootstrapsToRun(options.settings).map(async ([name, b]): Promise<BootstrapOutcome> => {
      const essential = b.essential ?? false;
      if (await options.ranThisBoot(name)) return { name, essential, result: 'skipped', reason: 'already ran in this boot' };
      const rt = options.runtime;
      try {
        const desired = desiredBootstrapContainer(name, options.settings);
        if (!desired) return { name, essential, result: 'failed', reason: 'no source set' };
        await rt.syncUserData(name, 'bootstrap', desired.userData);
        await options.markRan(name); // before the start: a crash mid-run must not loop the boot
        await rt.create(desired);
        await rt.start(name, 'bootstrap');
        log.info({ container: name, essential }, 'bootstrap container started');
        const exit = await rt.waitExit(name, 'bootstrap', { timeoutMs });
        if (!exit) {
          await rt.stop(name, 'bootstrap', { graceMs: 5000 });
          await rt.remove(name, 'bootstrap');
          return { name, essential, result: 'timeout', reason: `did not finish within ${Math.round(timeoutMs / 1000)} s` };
        }
        await rt.remove(name, 'bootstrap');
        if (exit.exitCode !== 0) return { name, essential, result: 'failed', exitCode: exit.exitCode, reason: `exited with status ${exit.exitCode}` };
        if (b.mode === 'once') await options.setModeOff(name);
        return { name, essential, result: 'ok', exitCode: 0 };
      } catch (err) {
        await rt.remove(name, 'bootstrap').catch(() => undefined);
        return { name, essential, result: 'failed', reason: messageOf(err) };
      }
    }),
  ).then((outcomes) => {
    for (const o of outcomes) {
      const entry = { container: o.name, essential: o.essential, result: o.result, reason: o.reason };
      if (o.result === 'ok' || o.result === 'skipped') log.info(entry, 'bootstrap container done');
      else log.error(entry, 'bootstrap container failed');
    }
    return outcomes;
  });
}

/** The outcomes that make the boot fail. */
export function essentialFailures(outcomes: readonly BootstrapOutcome[]): BootstrapOutcome[] {
  return outcomes.filter((o) => o.essential && (o.result === 'failed' || o.result === 'timeout'));
}
