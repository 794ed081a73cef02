import { Readable } from 'node:stream';
import type { AuditActor, AuditLog } from '../audit/audit-log.js';
import { runApiclient, UNATTENDED } from '../cli/apiclient/program.js';
import type { Logger } from '../lib/logger.js';
import type { ApiclientCall } from '../reconciler/bootstrap-commands.js';

/** Most characters of a call's output kept for berthd's log: a `get` of everything can be long. */
const OUTPUT_KEPT = 4096;

export interface BootApiclientOptions {
  /** berthd's API socket. */
  socketPath: string;
  audit: AuditLog;
  /** berthd itself, as the audit log names who made the calls. */
  actor: AuditActor;
  logger: Logger;
}

/**
 * How berthd makes the apiclient calls of bootstrap commands: in its own process, with the apiclient
 * program itself (its parser and subcommand handlers, ../cli/apiclient/program.ts) talking to
 * berthd's API socket as any client does. Chosen over spawning the berth executable as apiclient:
 * runApiclient() already takes its streams and returns the exit status, so a call needs no child
 * process, no executable on disk (a clone without dist/berth has none) and no program start per
 * call, and its exit statuses and messages are the CLI's own. Going through the socket rather than
 * the datastore gives each call the validation and transactions every client gets. Only the
 * UNATTENDED subcommands exist here: the others wait forever or take the process's terminal.
 * Each call is written to the audit log with its argv and how it ended.
 */
export function bootApiclient(options: BootApiclientOptions): ApiclientCall {
  const log = options.logger.child({ component: 'bootstrap-commands' });
  return async (name, argv) => {
    const out = { stdout: '', stderr: '' };
    const started = Date.now();
    const io = {
      stdout: { write: (s: string) => (out.stdout = (out.stdout + s).slice(0, OUTPUT_KEPT)) },
      stderr: { write: (s: string) => (out.stderr = (out.stderr + s).slice(-OUTPUT_KEPT)) },
      stdin: Readable.from([]),
      defaultSocketPath: options.socketPath,
    };
    const exitCode = await runApiclient(argv.slice(1), io, { commands: UNATTENDED });
    const error = exitCode === 0 ? undefined : errorLine(out.stderr);
    log.info({ command: name, argv, exitCode, stdout: out.stdout, stderr: out.stderr }, 'bootstrap command call');
    await options.audit.append({
      event: 'bootstrap-command',
      target: name,
      actor: options.actor,
      command: [...argv],
      exitCode,
      durationMs: Date.now() - started,
      ...(error ? { reason: error } : {}),
    });
    return { exitCode, ...(error ? { error } : {}) };
  };
}

/** apiclient's one error line (`apiclient: message`), without its prefix. */
function errorLine(stderr: string): string | undefined {
  const last = stderr.trimEnd().split('\n').at(-1);
  return last ? last.replace(/^apiclient: /, '') : undefined;
}
