#!/usr/bin/env node
/**
 * `apiclient`: the command-line client of berth's API (Bottlerocket's syntax). Also bundled into a
 * single executable (scripts/bundle-apiclient.sh) that host containers get at /usr/local/bin/apiclient.
 */
import { DEFAULT_SOCKET_PATH, runApiclient } from './apiclient/program.js';

const defaultSocketPath = process.env.BERTH_API_SOCKET || DEFAULT_SOCKET_PATH;
runApiclient(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, defaultSocketPath }).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`apiclient: ${String(err)}\n`);
    process.exitCode = 1;
  },
);
