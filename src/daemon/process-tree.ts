import { readdirSync, readlinkSync } from 'node:fs';
import { procStat, type ProcStat } from './process-identity.js';

function liveProcesses(): ProcStat[] {
  const out: ProcStat[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const s = procStat(Number(name));
    if (s && s.state !== 'Z') out.push(s);
  }
  return out;
}

/** The pid namespace of a process (`pid:[inode]`), or undefined when it is gone. */
export function pidNamespaceOf(pid: number): string | undefined {
  try {
    return readlinkSync(`/proc/${pid}/ns/pid`);
  } catch {
    return undefined;
  }
}

/**
 * The members of `leader`'s session, and every process descended from one of them (a child that
 * called setsid while its parent still runs). A session id stays reserved while any process is in
 * the session, so after the leader has exited its number still names only this session's orphans;
 * `pidNamespace` guards against a reused number all the same.
 */
export function sessionProcesses(leader: number, pidNamespace: string | undefined): number[] {
  const procs = liveProcesses();
  const found = new Set<number>();
  for (const p of procs) if (p.pid === leader || p.session === leader) found.add(p.pid);
  for (let grew = true; grew; ) {
    grew = false;
    for (const p of procs) {
      if (!found.has(p.pid) && found.has(p.ppid)) {
        found.add(p.pid);
        grew = true;
      }
    }
  }
  if (pidNamespace === undefined) return [...found];
  return [...found].filter((pid) => pidNamespaceOf(pid) === pidNamespace);
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
 * Kills an exec'd process and everything of its session, so a session that ends or whose client
 * disconnects leaves nothing behind in the container. Members are frozen (SIGSTOP) as they are
 * found, so none forks or leaves the session between finding and killing; new ones are looked for
 * until a pass finds none. A process that left the session and the tree (a daemon that forked,
 * called setsid and let its parent exit, now a child of the container's init) is not touched.
 */
export function killSession(leader: number, pidNamespace: string | undefined): number[] {
  const seen = new Set<number>();
  for (let pass = 0; pass < 10; pass++) {
    const found = sessionProcesses(leader, pidNamespace).filter((p) => !seen.has(p));
    if (found.length === 0) break;
    for (const p of found) seen.add(p);
    signal(found, 'SIGSTOP');
  }
  signal(seen, 'SIGKILL');
  return [...seen];
}
