import { readdirSync } from 'node:fs';
import { procStat, type ProcStat } from './process-identity.js';

function allProcesses(): ProcStat[] {
  const out: ProcStat[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const s = procStat(Number(name));
    if (s && s.state !== 'Z') out.push(s);
  }
  return out;
}

/** `root` and every process descended from it or in its session (a terminal session's members). */
export function processTree(root: number): number[] {
  const procs = allProcesses();
  const tree = new Set<number>();
  if (procs.some((p) => p.pid === root)) tree.add(root);
  for (const p of procs) if (p.session === root) tree.add(p.pid);
  let grew = true;
  while (grew) {
    grew = false;
    for (const p of procs) {
      if (!tree.has(p.pid) && tree.has(p.ppid)) {
        tree.add(p.pid);
        grew = true;
      }
    }
  }
  return [...tree];
}

function signal(pids: Iterable<number>, sig: NodeJS.Signals): void {
  for (const pid of pids) {
    try {
      process.kill(pid, sig);
    } catch {
      /* gone already */
    }
  }
}

/**
 * Kills an exec'd process and everything it started, so a client that disconnects leaves nothing
 * behind in the container. The tree is frozen first (SIGSTOP) so nothing forks or escapes to the
 * container's init between finding the processes and killing them.
 */
export function killProcessTree(root: number): number[] {
  const seen = new Set<number>();
  for (let pass = 0; pass < 5; pass++) {
    const found = processTree(root).filter((p) => !seen.has(p));
    // Once the root is gone its orphans are reparented; keep the members already found.
    if (found.length === 0 && pass > 0) break;
    for (const p of found) seen.add(p);
    signal(found, 'SIGSTOP');
  }
  signal(seen, 'SIGKILL');
  return [...seen];
}
