import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { fileURLToPath } from 'node:url';

/** The built helper: dist/native/sheltie, two levels above this file's dist/test/native/. */
export const sheltiePath = fileURLToPath(new URL('../../native/sheltie', import.meta.url));

/** The repository root (dist/test/native/ is three levels below it). */
export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

export interface ProcessResult {
  /** Exit status, or 128 + signal number when the process was killed. */
  status: number;
  stdout: string;
  stderr: string;
}

/** Runs a command to completion, feeding `input` (if any) to its stdin; never rejects on a non-zero exit. */
export function runProcess(file: string, args: readonly string[], options: { input?: string } = {}): Promise<ProcessResult> {
  return new Promise((resolve, reject) => {
    const stdin = options.input === undefined ? 'ignore' : 'pipe';
    const child = spawn(file, args, { stdio: [stdin, 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout?.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const status = code ?? 128 + (signal ? constants.signals[signal] : 0);
      resolve({ status, stdout, stderr });
    });
    // A process that exits without reading its input closes the pipe: not an error here.
    child.stdin?.on('error', () => {});
    child.stdin?.end(options.input);
  });
}

/** Runs sheltie with `args`. */
export function runSheltie(args: readonly string[], options: { input?: string } = {}): Promise<ProcessResult> {
  return runProcess(sheltiePath, args, options);
}
