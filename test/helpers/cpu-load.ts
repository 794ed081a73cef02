import { spawn, type ChildProcess } from 'node:child_process';

/** `n` busy loops beside the test, the way a loaded host would run them; stop() ends them. */
export function cpuLoad(n = 2): { stop(): void } {
  const loops: ChildProcess[] = [];
  for (let i = 0; i < n; i++) loops.push(spawn('sh', ['-c', 'while :; do :; done'], { stdio: 'ignore' }));
  return { stop: () => loops.forEach((p) => p.kill('SIGKILL')) };
}
