import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';

/** Whether a process with this pid exists (a zombie counts as existing). */
export function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** argv of a live process, or undefined when it is gone. */
export async function processArgv(pid: number): Promise<string[] | undefined> {
  try {
    const raw = await readFile(`/proc/${pid}/cmdline`, 'utf8');
    if (raw === '') return undefined; // zombie or kernel thread
    return raw.replace(/\0$/, '').split('\0');
  } catch {
    return undefined;
  }
}

/** Reads a pidfile; undefined when missing or not a pid. */
export async function readPidfile(file: string): Promise<number | undefined> {
  try {
    const pid = Number.parseInt((await readFile(file, 'utf8')).trim(), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** Fields of /proc/<pid>/stat berth uses; undefined when the process is gone. */
export interface ProcStat {
  pid: number;
  /** R, S, D, Z, T, … */
  state: string;
  ppid: number;
  session: number;
}

export function procStat(pid: number): ProcStat | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The fields after the parenthesised command name, which may itself hold spaces or parens.
    const rest = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { pid, state: rest[0] ?? '', ppid: Number(rest[1]), session: Number(rest[3]) };
  } catch {
    return undefined;
  }
}

/**
 * Whether the process exists and is not a zombie. A daemon adopted from an earlier berthd is not our
 * child, so when it dies it may stay a zombie until PID 1 reaps it (some PID 1s never do).
 */
export function processRunning(pid: number): boolean {
  if (!processExists(pid)) return false;
  const stat = procStat(pid);
  return stat !== undefined && stat.state !== 'Z';
}
