import { Option, type Command } from 'commander';
import type { Readable, Writable } from 'node:stream';
import { BerthError } from '../../errors/index.js';
import type { CommandContext } from './context.js';

interface TerminalIn extends Readable {
  isTTY?: boolean;
  setRawMode?(raw: boolean): unknown;
}
interface TerminalOut extends Writable {
  isTTY?: boolean;
  rows?: number;
  columns?: number;
}

const SIGNALS = { SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGTERM: 15 } as const;

/**
 * `apiclient exec [-t|-T] NAME CMD…`: runs CMD in host container NAME through the API's exec
 * WebSocket. A terminal is used when stdin and stdout are both terminals (or with -t), in raw mode
 * with window resizes forwarded. The exit status is the remote command's.
 */
export function registerExec(program: Command, ctx: CommandContext): void {
  program
    .command('exec')
    .description('run a command in a host container (a terminal when stdin and stdout are terminals)')
    .addOption(new Option('-t, --tty', 'use a terminal even when not on one').conflicts('noTty'))
    .addOption(new Option('-T, --no-tty', 'never use a terminal'))
    .argument('<name>', 'host container (or boot.<name> for a bootstrap container)')
    .argument('<command...>', 'command and arguments to run')
    .passThroughOptions()
    .action(async (name: string, command: string[], opts: { tty?: boolean }, cmd: Command) => {
      const stdin = ctx.io.stdin as TerminalIn;
      const stdout = process.stdout as TerminalOut;
      const useTty = opts.tty ?? Boolean(stdin.isTTY && stdout.isTTY);
      const socketPath = ctx.client(cmd).socketPath;
      const onStatus = ctx.statusPrinter(cmd);
      const raw = useTty && stdin.isTTY === true && typeof stdin.setRawMode === 'function';
      if (raw) stdin.setRawMode!(true);
      const restore = () => {
        if (raw) stdin.setRawMode!(false);
      };
      // A signal ends the session the way Bottlerocket's client does: exit status 128+n.
      const handlers = Object.entries(SIGNALS).map(([sig, n]) => {
        const h = () => {
          restore();
          process.exit(128 + n);
        };
        process.once(sig as NodeJS.Signals, h);
        return [sig, h] as const;
      });
      try {
        // Loaded only for exec: the WebSocket client brings https, tls and zlib with it.
        const { runExec } = await import('../../apiclient/exec-client.js');
        const outcome = await runExec({
          socketPath,
          target: name,
          command,
          ...(useTty ? { tty: { rows: stdout.rows || 24, cols: stdout.columns || 80 } } : {}),
          stdin,
          stdout,
          ...(onStatus ? { onStatus } : {}),
          onResize: (send) => {
            if (useTty && stdout.isTTY) stdout.on('resize', () => send({ rows: stdout.rows || 24, cols: stdout.columns || 80 }));
          },
        });
        restore();
        if (outcome.error) {
          const details = outcome.exitCode === undefined ? {} : { details: { exitCode: outcome.exitCode } };
          throw new BerthError(outcome.error.code as never, outcome.error.message, details);
        }
        ctx.setExitCode(outcome.exitCode ?? 0);
      } finally {
        restore();
        for (const [sig, h] of handlers) process.off(sig, h);
        stdin.destroy();
      }
    });
}
