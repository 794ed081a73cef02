/**
 * `apiclient`: the command-line client of berth's API (Bottlerocket's syntax), one of the programs
 * of the `berth` executable; host containers get it at /usr/local/bin/apiclient.
 */
import { DEFAULT_SOCKET_PATH, runApiclient } from './apiclient/program.js';

/** Runs apiclient on user arguments and sets the process's exit status. */
export async function main(argv: readonly string[]): Promise<void> {
  const defaultSocketPath = process.env['BERTH_API_SOCKET'] || DEFAULT_SOCKET_PATH;
  process.exitCode = await runApiclient(argv, { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, defaultSocketPath });
}
