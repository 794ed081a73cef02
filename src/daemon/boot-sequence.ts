import { BerthError, messageOf } from '../errors/index.js';
import type { Logger } from '../lib/logger.js';
import type { Settings } from '../model/index.js';
import { essentialFailures, runBootstrapContainers, type BootstrapOutcome, type EndedRun } from '../reconciler/bootstrap.js';
import { runBootstrapCommands, type ApiclientCall } from '../reconciler/bootstrap-commands.js';
import { bootstrapStatuses, type BootstrapContainerStatus } from '../reconciler/bootstrap-status.js';
import type { RuntimePort } from '../reconciler/runtime-port.js';
import type { BootFailure, BootstrapReport } from './boot-report.js';
import { BootstrapRuns } from './bootstrap-runs.js';

export interface BootSequenceOptions {
  runtime: RuntimePort;
  /** The live settings, read at each run. */
  settings: () => Settings;
  /** Commits `mode = off` after a successful `once` run of a bootstrap container. */
  setModeOff: (name: string) => Promise<void>;
  /** Where the runs of bootstrap containers in this boot are recorded (under /run). */
  runsDir: string;
  /** Makes one apiclient call of a bootstrap command. */
  callApiclient: ApiclientCall;
  /** Commits `mode = off` after a successful `once` run of a bootstrap command. */
  setCommandModeOff: (name: string) => Promise<void>;
  /** Where the runs of bootstrap commands in this boot are recorded (under /run). */
  commandRunsDir: string;
  logger: Logger;
  /** Longest a bootstrap container may run. Default 10 min. */
  timeoutMs?: number;
  now?: () => Date;
}

const BOOTSTRAP_KEY = /^(settings\.)?bootstrap-(containers|commands)\./;

/** The runs of this boot, loaded by start(). */
interface Runs {
  commands: BootstrapRuns;
  containers: BootstrapRuns;
}

/** Which runs of this boot stand in an attempt (are not run again). */
type Standing = (runs: BootstrapRuns, name: string) => EndedRun | undefined;

/**
 * The boot's order, Bottlerocket's: bootstrap commands run one by one, then bootstrap containers run
 * to completion, then host containers start. When an essential command or container fails, host
 * containers stay unstarted but berthd stays up, so the failure can be read and the settings
 * corrected through the API; the boot is then retried, on request or because bootstrap settings
 * changed. A retry runs again only the commands and containers that did not succeed in this boot.
 */
export class BootSequence {
  readonly #o: BootSequenceOptions;
  readonly #log: Logger;
  #runs: Runs | undefined;
  #report: BootstrapReport;
  /** Started once the boot succeeds (the reconciler). */
  #next: (() => Promise<void>) | undefined;
  /** The bootstrap settings the last failed attempt ended with: a change to them is a fix to try. */
  #failedWith = '';
  #stopped = false;

  constructor(options: BootSequenceOptions) {
    this.#o = options;
    this.#log = options.logger.child({ component: 'boot' });
    this.#report = { state: 'running', failures: [], attempts: 0, since: this.#now() };
  }

  report(): BootstrapReport {
    return this.#report;
  }

  statuses(): BootstrapContainerStatus[] {
    return bootstrapStatuses(this.#o.settings(), this.#runs?.containers.all ?? new Map());
  }

  /** The first run: what already ran in this boot (an earlier berthd) is not run again. */
  async start(): Promise<void> {
    const runs = { commands: await BootstrapRuns.load(this.#o.commandRunsDir), containers: await BootstrapRuns.load(this.#o.runsDir) };
    this.#runs = runs;
    await this.#attempt(runs, (r, name) => r.ended(name));
  }

  /** Runs `next` once the boot has succeeded: now, or after a retry succeeds. */
  async whenSucceeded(next: () => Promise<void>): Promise<void> {
    this.#next = next;
    if (this.#report.state === 'succeeded') await next();
  }

  /** Retries a failed boot in the background; its progress is in report(). */
  retry(): BootstrapReport {
    const runs = this.#runs;
    if (this.#report.state === 'running' || !runs) return this.#report;
    if (this.#report.state === 'succeeded') throw new BerthError('FAILED_PRECONDITION', 'The boot has not failed: there is nothing to retry');
    this.#log.info({ attempt: this.#report.attempts + 1 }, 'retrying the boot');
    const succeeded: Standing = (r, name) => {
      const run = r.ended(name);
      return run?.result === 'ok' ? run : undefined;
    };
    void this.#attempt(runs, succeeded).catch((err) => this.#log.error({ err: messageOf(err) }, 'boot retry failed'));
    return this.#report;
  }

  /** After a failed boot, a change to bootstrap command or container settings retries it. */
  settingsChanged(keys: readonly string[]): void {
    if (this.#report.state !== 'failed' || !keys.some((k) => BOOTSTRAP_KEY.test(k))) return;
    if (this.#bootstrapSettings() === this.#failedWith) return; // berth's own `once` → `off`
    this.retry();
  }

  /** A retry still running is left to finish; nothing starts after this. */
  stop(): void {
    this.#stopped = true;
  }

  async #attempt(runs: Runs, standing: Standing): Promise<void> {
    this.#setReport({ state: 'running', failures: [], attempts: this.#report.attempts + 1 });
    const failures = await this.#stage(runs, standing);
    if (failures.length > 0) {
      this.#failedWith = this.#bootstrapSettings();
      this.#setReport({ state: 'failed', failures, attempts: this.#report.attempts });
      this.#log.error({ failures }, 'boot failed: host containers are not started until a retry succeeds');
      return;
    }
    this.#setReport({ state: 'succeeded', failures: [], attempts: this.#report.attempts });
    if (!this.#stopped) await this.#next?.();
  }

  /** Bootstrap commands, then (unless an essential one failed) bootstrap containers; returns the essential failures. */
  async #stage(runs: Runs, standing: Standing): Promise<BootFailure[]> {
    const commands = await runBootstrapCommands({
      settings: this.#o.settings(),
      call: this.#o.callApiclient,
      logger: this.#o.logger,
      previousRun: (name) => standing(runs.commands, name),
      recordRun: (name, run) => runs.commands.record(name, run),
      setModeOff: this.#o.setCommandModeOff,
      ...(this.#o.now ? { now: this.#o.now } : {}),
    });
    const failedCommands = essentialFailures(commands);
    if (failedCommands.length > 0) return failedCommands.map((f) => failure('command', f));
    const containers = await runBootstrapContainers({
      runtime: this.#o.runtime,
      settings: this.#o.settings(),
      logger: this.#o.logger,
      ...(this.#o.timeoutMs !== undefined ? { timeoutMs: this.#o.timeoutMs } : {}),
      previousRun: async (name) => standing(runs.containers, name),
      recordRun: (name, run) => runs.containers.record(name, run),
      setModeOff: this.#o.setModeOff,
    });
    return essentialFailures(containers).map((f) => failure('container', f));
  }

  #setReport(report: Omit<BootstrapReport, 'since'>): void {
    this.#report = { ...report, since: this.#now() };
  }

  #bootstrapSettings(): string {
    const settings = this.#o.settings();
    return JSON.stringify([settings['bootstrap-commands'] ?? {}, settings['bootstrap-containers'] ?? {}]);
  }

  #now(): string {
    return (this.#o.now?.() ?? new Date()).toISOString();
  }
}

function failure(kind: BootFailure['kind'], outcome: BootstrapOutcome): BootFailure {
  return { kind, name: outcome.name, error: outcome.reason ?? outcome.result };
}
