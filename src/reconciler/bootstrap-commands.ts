import type { BootstrapCommandSettings, Settings } from '../model/index.js';
import { messageOf } from '../errors/index.js';
import type { Logger } from '../lib/logger.js';
import type { BootstrapOutcome, BootstrapRun, EndedRun } from './bootstrap.js';

/** How one apiclient call ended: its exit status and, when it failed, what it said. */
export interface CallResult {
  exitCode: number;
  /** Its error message (stderr), when it failed. */
  error?: string;
}

/** Makes one apiclient call (`["apiclient", …]`) of the bootstrap command `name`. */
export type ApiclientCall = (name: string, argv: readonly string[]) => Promise<CallResult>;

export interface BootstrapCommandsOptions {
  settings: Settings;
  call: ApiclientCall;
  logger: Logger;
  /** The run of this command in this boot that stands, or undefined to run it. */
  previousRun: (name: string) => EndedRun | undefined;
  /** Records a run as it starts and as it ends. */
  recordRun: (name: string, run: BootstrapRun) => Promise<void>;
  /** Commits `mode = off` after a successful `once` run. */
  setModeOff: (name: string) => Promise<void>;
  now?: () => Date;
}

/**
 * The bootstrap commands to run at this boot (mode once or always), in lexical order of their names
 * by code unit, as Bottlerocket orders them (a sorted map of names), so `001-x` runs before `002-x`
 * whatever the locale.
 */
export function bootstrapCommandsToRun(settings: Settings): Array<[string, BootstrapCommandSettings]> {
  return Object.entries(settings['bootstrap-commands'] ?? {})
    .filter(([, c]) => c.mode === 'once' || c.mode === 'always')
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * Runs the bootstrap commands one after the other, each one's calls in order, before bootstrap
 * containers. A command stops at its first failing call. When an essential one fails, the commands
 * after it do not run (Bottlerocket halts the boot there); the caller fails the boot. `once` turns
 * `off` after a success only, so a failed command runs again at the next boot.
 */
export async function runBootstrapCommands(options: BootstrapCommandsOptions): Promise<BootstrapOutcome[]> {
  const log = options.logger.child({ component: 'bootstrap-commands' });
  const outcomes: BootstrapOutcome[] = [];
  for (const [name, command] of bootstrapCommandsToRun(options.settings)) {
    const essential = command.essential ?? false;
    const ended = options.previousRun(name) ?? (await runOne(name, command, options));
    const { startedAt: _, ...outcome } = ended;
    outcomes.push({ name, essential, ...outcome });
    const entry = { command: name, essential, result: ended.result, reason: ended.reason };
    if (ended.result === 'ok') log.info(entry, 'bootstrap command done');
    else log.error(entry, 'bootstrap command failed');
    if (essential && ended.result !== 'ok') break;
  }
  return outcomes;
}

/** Makes the calls of one command in order, up to the first that fails, and records the run. */
async function runOne(name: string, command: BootstrapCommandSettings, options: BootstrapCommandsOptions): Promise<EndedRun> {
  const run: BootstrapRun = { startedAt: (options.now?.() ?? new Date()).toISOString() };
  await options.recordRun(name, run); // before the calls: a crash mid-run must not loop the boot
  const ended: EndedRun = { ...run, ...(await callAll(name, command, options)) };
  await options.recordRun(name, ended);
  return ended;
}

async function callAll(name: string, command: BootstrapCommandSettings, options: BootstrapCommandsOptions): Promise<Omit<EndedRun, 'startedAt'>> {
  try {
    const calls = command.commands ?? [];
    for (const [i, argv] of calls.entries()) {
      const { exitCode, error } = await options.call(name, argv);
      if (exitCode !== 0) {
        const reason = `call ${i + 1} of ${calls.length} (${argv.join(' ')}) exited with status ${exitCode}${error ? `: ${error}` : ''}`;
        return { result: 'failed', exitCode, reason };
      }
    }
    if (command.mode === 'once') await options.setModeOff(name);
    return { result: 'ok', exitCode: 0 };
  } catch (err) {
    return { result: 'failed', reason: messageOf(err) };
  }
}
