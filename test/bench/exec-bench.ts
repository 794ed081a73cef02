/**
 * Exec benchmarks for `npm run bench`: `apiclient exec admin true` (the berth executable, as users
 * run it in host containers) against `ctr task exec` of the same container, and bytes per second
 * through `cat` both ways. Needs a running berthd with the admin container up. Loading this file
 * runs nothing.
 */
import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { compare, type Result } from './harness.js';
import { APICLIENT } from '../helpers/repo.js';

const exec = promisify(execFile);

export interface ExecBenchOptions {
  apiSocket: string;
  hostContainerdSocket: string;
  /** containerd id of the running container to exec into. */
  container: string;
  runs?: number;
  /** Bytes pushed through `cat` per throughput run. Default 64 MiB. */
  throughputBytes?: number;
}

export interface ThroughputResult {
  berthMBps: number;
  ctrMBps: number;
}

/** Runs a command with `bytes` of stdin, discarding stdout; resolves with the seconds it took. */
function pipeThrough(file: string, args: string[], bytes: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn(file, args, { stdio: ['pipe', 'pipe', 'inherit'] });
    let received = 0;
    child.stdout.on('data', (d: Buffer) => (received += d.length));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0 || received !== bytes) return reject(new Error(`${file} exited ${code}, ${received}/${bytes} bytes back`));
      resolve(Number(process.hrtime.bigint() - start) / 1e9);
    });
    const chunk = Buffer.alloc(1 << 20, 0x61);
    let sent = 0;
    const write = (): void => {
      while (sent < bytes) {
        sent += chunk.length;
        if (!child.stdin.write(chunk)) return void child.stdin.once('drain', write);
      }
      child.stdin.end();
    };
    write();
  });
}

export async function benchExec(o: ExecBenchOptions): Promise<{ comparisons: Result[]; throughput: ThroughputResult }> {
  let n = 0;
  const ctr = (...args: string[]) => ['-a', o.hostContainerdSocket, '-n', 'default', 'task', 'exec', '--exec-id', `bench-${process.pid}-${n++}`, ...args];
  const latency = await compare({
    name: 'exec `true` in a running container',
    reference: 'ctr task exec',
    runs: o.runs ?? 15,
    warmup: 2,
    berth: async () => {
      await exec(APICLIENT, ['-s', o.apiSocket, 'exec', '-T', o.container, 'true']);
    },
    ref: async () => {
      await exec('ctr', ctr(o.container, 'true'));
    },
  });
  const bytes = o.throughputBytes ?? 64 << 20;
  const berthSeconds = await pipeThrough(APICLIENT, ['-s', o.apiSocket, 'exec', '-T', o.container, 'cat'], bytes);
  const ctrSeconds = await pipeThrough('ctr', ctr(o.container, 'cat'), bytes);
  const mb = bytes / (1 << 20);
  return { comparisons: [latency], throughput: { berthMBps: mb / berthSeconds, ctrMBps: mb / ctrSeconds } };
}
