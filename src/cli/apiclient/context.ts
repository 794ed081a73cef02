import type { Command } from 'commander';
import { ApiClient } from '../../apiclient/index.js';

/**
 * What every `apiclient` subcommand gets: its streams (the bin entry passes the process's own) and
 * a client for the socket chosen with `-s`, `BERTH_API_SOCKET` or the default, which with `-v`
 * prints each response's status line to stderr.
 */
export interface ApiclientIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  stdin: NodeJS.ReadableStream;
  /** Socket used when `-s` is not given. */
  defaultSocketPath: string;
}

export interface CommandContext {
  io: ApiclientIo;
  /** A client for the socket of this invocation (reads the global `-s` and `-v` options of `cmd`). */
  client(cmd: Command): ApiClient;
  /** With `-v`: a printer of status lines to stderr; otherwise undefined. */
  statusPrinter(cmd: Command): ((line: string) => void) | undefined;
  /** Writes `value` as indented JSON and a newline. */
  printJson(value: unknown): void;
  /** Sets the exit status of a successful run (e.g. `exec` passes on the remote command's). Default 0. */
  setExitCode(code: number): void;
  /** The exit status set so far. */
  exitCode(): number;
}

export function makeContext(io: ApiclientIo): CommandContext {
  let exitCode = 0;
  const statusPrinter = (cmd: Command): ((line: string) => void) | undefined =>
    cmd.optsWithGlobals<{ verbose?: boolean }>().verbose ? (line) => io.stderr.write(`${line}\n`) : undefined;
  return {
    io,
    client: (cmd) =>
      new ApiClient({ socketPath: cmd.optsWithGlobals<{ socketPath?: string }>().socketPath ?? io.defaultSocketPath, onStatus: statusPrinter(cmd) }),
    statusPrinter,
    printJson: (value) => io.stdout.write(`${JSON.stringify(value, null, 2)}\n`),
    setExitCode: (code) => {
      exitCode = code;
    },
    exitCode: () => exitCode,
  };
}
