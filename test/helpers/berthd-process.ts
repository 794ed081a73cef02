import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { promisify } from 'node:util';
import { berthPaths, type BerthPaths } from '../../src/daemon/paths.js';
import { APICLIENT, BERTHD } from './repo.js';
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
  /** `berthd stop`, then removes the root. */
  cleanup(): Promise<void>;
}

/** Starts a real `berthd run` process under a fresh root and waits for "berthd ready". */
export async function startBerthd(options: { args?: string[]; root?: string; waitReady?: boolean } = {}): Promise<BerthdProcess> {
  const root = options.root ?? (await makeTempRoot('be'));
  const paths = berthPaths(root);
  const child = spawn(process.execPath, [BERTHD, 'run', '--root', root, '--stop-grace', '2', ...(options.args ?? [])], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => lines.push(...d.split('\n').filter(Boolean)));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  const apiclient = async (...args: string[]): Promise<CliResult> => {
    try {
      const { stdout, stderr: err } = await run(process.execPath, [APICLIENT, '-s', paths.apiSocket, ...args]);
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
      await run(process.execPath, [BERTHD, 'stop', '--root', root, '--grace', '1']).catch(() => undefined);
      child.kill('SIGKILL');
      await removeTempRoot(root);
    },
  };
  if (options.waitReady !== false) {
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (lines.some((l) => l.includes('"berthd ready"'))) break;
      const code = await Promise.race([exited, new Promise((r) => setTimeout(() => r('running'), 50))]);
      if (code !== 'running') throw new Error(`berthd exited with ${code}: ${stderr}\n${lines.join('\n')}`);
      if (Date.now() > deadline) throw new Error(`berthd did not become ready:\n${lines.join('\n')}`);
    }
  }
  return proc;
}

/** Polls until `fn` returns a value (not undefined/false) or fails the test after `timeoutMs`. */
export async function until<T>(what: string, fn: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 30_000): Promise<T> {
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
    await new Promise((r) => setTimeout(r, 100));
  }
}
