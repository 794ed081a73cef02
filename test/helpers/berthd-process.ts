import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { promisify } from 'node:util';
import { berthPaths, type BerthPaths } from '../../src/daemon/paths.js';
import { APICLIENT, BERTHD } from './repo.js';
import type { ReapReport } from './reap.js';
import { makeTempRoot, removeTempRoot } from './temp-root.js';

const run = promisify(execFile);

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface BerthdProcess {
  root: string;
  paths: BerthPaths;
  /** berthd's JSON log lines so far. */
  lines: string[];
  child: ChildProcess;
  exited: Promise<number | null>;
  /** Runs `apiclient -s <this berthd's socket> …args`. */
  apiclient(...args: string[]): Promise<CliResult>;
  /** GET on the API, parsed. */
  get<T = unknown>(uri: string): Promise<T>;
  /** `berthd stop`, then kills whatever is left of the root and removes it; says what was left. */
  cleanup(): Promise<ReapReport>;
}

/** Starts a real `berthd run` process under a fresh root and waits for "berthd ready". */
export async function startBerthd(options: { args?: string[]; root?: string; waitReady?: boolean } = {}): Promise<BerthdProcess> {
  const root = options.root ?? (await makeTempRoot('be'));
  const paths = berthPaths(root);
  // Run by its shebang, so it gets berthd's own Node flags.
  const child = spawn(BERTHD, ['run', '--root', root, '--stop-grace', '2', ...(options.args ?? [])], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => lines.push(...d.split('\n').filter(Boolean)));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  const apiclient = async (...args: string[]): Promise<CliResult> => {
    try {
      const { stdout, stderr: err } = await run(APICLIENT, ['-s', paths.apiSocket, ...args]);
      return { code: 0, stdout, stderr: err };
    } catch (e) {
      const err = e as { code: number; stdout: string; stderr: string };
      return { code: err.code, stdout: err.stdout, stderr: err.stderr };
    }
  };
  const proc: BerthdProcess = {
    root,
    paths,
    lines,
    child,
    exited,
    apiclient,
    async get<T>(uri: string) {
      const r = await apiclient('raw', '-u', uri);
      if (r.code !== 0) throw new Error(`GET ${uri} failed: ${r.stderr}`);
      return JSON.parse(r.stdout) as T;
    },
    async cleanup() {
      // A berthd stop that hangs must not hang the test's after() hook: the reaper kills it all anyway.
      await run(BERTHD, ['stop', '--root', root, '--grace', '1'], { timeout: 60_000 }).catch(() => undefined);
      child.kill('SIGKILL');
      return removeTempRoot(root);
    },
  };
  if (options.waitReady !== false) {
    const failure = await waitReady(lines, exited, 60_000);
    if (failure) {
      await proc.cleanup().catch(() => undefined); // the final check of scripts/test.sh reports what is left
      throw new Error(`berthd (root ${root}) ${failure}\nits stderr:\n${stderr}\nits log:\n${lines.join('\n')}`);
    }
  }
  return proc;
}

/** Waits for berthd's "berthd ready" log line; says what went wrong instead, or undefined. */
async function waitReady(lines: string[], exited: Promise<number | null>, timeoutMs: number): Promise<string | undefined> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (lines.some((l) => l.includes('"berthd ready"'))) return undefined;
    const code = await Promise.race([exited, new Promise((r) => setTimeout(() => r('running'), 50))]);
    if (code !== 'running') return `exited with status ${code} before logging "berthd ready"`;
    if (Date.now() > deadline) return `did not log "berthd ready" within ${timeoutMs / 1000} s`;
  }
}

/** Polls until `fn` returns a value (not undefined/false) or fails the test after `timeoutMs`. */
export async function until<T>(what: string, fn: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 30_000, intervalMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v !== undefined && v !== false) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
