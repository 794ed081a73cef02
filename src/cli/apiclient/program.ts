import { Command, CommanderError } from 'commander';
import { BerthError } from '../../errors/index.js';
import { exitCodeOf } from '../exit-codes.js';
import { registerApply } from './apply.js';
import { makeContext, type ApiclientIo, type CommandContext } from './context.js';
import { registerGet } from './get.js';
import { registerRaw } from './raw.js';
import { registerSet } from './set.js';
import { registerExec } from './exec.js';
import { registerLogs } from './logs.js';
import { registerStatus } from './status.js';
import { registerAudit } from './audit.js';
import { registerRetryBoot } from './retry-boot.js';

/**
 * The `apiclient` program: global `-s/--socket-path` and `-v/--verbose`, one file per subcommand.
 * More subcommands (exec, logs, status, audit) register the same way: `registerX(program, ctx)`.
 */
export type Register = (program: Command, ctx: CommandContext) => void;

export const DEFAULT_SOCKET_PATH = '/run/berth/api.sock';
const BUILT_IN: readonly Register[] = [registerGet, registerSet, registerApply, registerRaw, registerExec, registerLogs, registerStatus, registerAudit, registerRetryBoot];

/**
 * The subcommands berthd runs itself, in its own process, for bootstrap commands
 * (src/daemon/boot-apiclient.ts): those that end by themselves and touch nothing but their streams.
 * Left out: `exec` (host containers start after the boot; it takes the process's terminal and
 * signals), `logs` (`-f` never ends) and `retry-boot` (it would wait for the very boot that runs it).
 */
export const UNATTENDED: readonly Register[] = [registerGet, registerSet, registerApply, registerRaw, registerStatus, registerAudit];

export interface ProgramOptions {
  /** The subcommands. Default: all of them. */
  commands?: readonly Register[];
  /** Subcommands added to those (tests). Default none. */
  extra?: readonly Register[];
}

export function buildProgram(io: ApiclientIo, { commands = BUILT_IN, extra = [] }: ProgramOptions = {}): { program: Command; ctx: CommandContext } {
  const program = new Command('apiclient')
    .description("berth's API client (Bottlerocket's apiclient syntax)")
    .option('-s, --socket-path <path>', `API socket (default: $BERTH_API_SOCKET or ${DEFAULT_SOCKET_PATH})`)
    .option('-v, --verbose', 'print the HTTP status line of each response to stderr')
    .exitOverride()
    // `exec NAME CMD -x` must hand `-x` to CMD, not parse it.
    .enablePositionalOptions()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: () => {}, outputError: () => {} });
  const ctx = makeContext(io);
  for (const register of [...commands, ...extra]) register(program, ctx);
  // With positional options, `-s` and `-v` after a subcommand belong to it: accept them there too, so
  // `apiclient get -s SOCK -v` keeps working (exec's own options end at NAME: `exec admin ls -s` is ls's).
  for (const sub of program.commands) {
    if (!sub.options.some((o) => o.long === '--socket-path')) sub.option('-s, --socket-path <path>', 'API socket');
    if (!sub.options.some((o) => o.long === '--verbose')) sub.option('-v, --verbose', 'print the HTTP status line of each response to stderr');
  }
  return { program, ctx };
}

/** `apiclient bogus` would fall through to the default `raw`; say what is wrong instead. */
function checkCommandName(program: Command, argv: readonly string[]): void {
  const names = [...program.commands.map((c) => c.name()), 'help'];
  const unknown = (arg: string): CommanderError =>
    new CommanderError(2, 'apiclient.unknownCommand', `unknown command '${arg}' (commands: ${names.join(', ')})`);
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '-s' || arg === '--socket-path') {
      i++;
      continue;
    }
    if (arg === '-v' || arg === '--verbose') continue;
    if (arg.startsWith('-')) return;
    if (!names.includes(arg)) throw unknown(arg);
    return;
  }
}

/** Runs the program on user arguments; returns the exit status and writes one error line on failure. */
export async function runApiclient(argv: readonly string[], io: ApiclientIo, options: ProgramOptions = {}): Promise<number> {
  const { program, ctx } = buildProgram(io, options);
  try {
    checkCommandName(program, argv);
    await program.parseAsync([...argv], { from: 'user' });
    return ctx.exitCode();
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.help' || err.code === 'commander.version') return 0;
      io.stderr.write(`apiclient: ${err.message.replace(/^error: /, '')}\n`);
      return 2;
    }
    const message = err instanceof Error ? err.message : String(err);
    io.stderr.write(`apiclient: ${message.replace(/\s*\n\s*/g, ' ')}\n`);
    // An exec that could not run its command exits as a shell would (127 not found, 126 not
    // executable); every other error with the status of its code, as berthd's.
    const exit = BerthError.is(err) ? err.details?.['exitCode'] : undefined;
    return typeof exit === 'number' ? exit : exitCodeOf(err);
  }
}
