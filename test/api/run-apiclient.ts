/**
 * Runs the built `apiclient` (or another executable given as `bin`) as a process, with stdin
 * closed after `input`. Loading this file runs nothing.
 */
import { execFile } from 'node:child_process';
import { APICLIENT } from '../helpers/repo.js';

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

export function runCli(args: readonly string[], { input, env, bin }: { input?: string; env?: Record<string, string>; bin?: string } = {}): Promise<Run> {
  return new Promise((resolve) => {
    const child = execFile(bin ?? APICLIENT, [...args], { env: { ...process.env, BERTH_API_SOCKET: '', ...env } }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
    child.stdin!.end(input ?? '');
  });
}
