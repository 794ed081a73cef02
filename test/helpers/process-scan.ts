import { readdirSync, readFileSync } from 'node:fs';

/** Host pids whose command line is exactly `argv` (joined by spaces), zombies excluded. */
export function pidsRunning(argv: string): number[] {
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const cmd = readFileSync(`/proc/${name}/cmdline`, 'utf8').replace(/\0$/, '').split('\0').join(' ');
      if (cmd === argv) out.push(Number(name));
    } catch {
      /* gone */
    }
  }
  return out;
}
