import { readFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * How many processes of a container the kernel's OOM killer killed: the `oom_kill` count of its
 * memory cgroup, in `memory.oom_control` (cgroup v1) or `memory.events` (v2). The cgroup lives
 * from task create to task delete, so while a stopped task is kept the count is that run's, and it
 * is there whatever berthd missed (unlike containerd's /tasks/oom event, which may also arrive after
 * the exit it caused).
 */
export interface OomKillCounter {
  /** The memory hierarchy's mount: `/sys/fs/cgroup/memory` (v1) or `/sys/fs/cgroup` (v2). */
  root: string;
  file: 'memory.oom_control' | 'memory.events';
}

/** The `oom_kill N` line of either file; undefined when it has none (kernels before 4.13). */
export function parseOomKills(text: string): number | undefined {
  const m = /^oom_kill (\d+)$/m.exec(text);
  return m ? Number(m[1]) : undefined;
}

/** The count of the cgroup at `cgroupsPath`; undefined when the cgroup or its count is gone. */
export async function oomKills(counter: OomKillCounter, cgroupsPath: string): Promise<number | undefined> {
  const text = await readFile(path.join(counter.root, cgroupsPath, counter.file), 'utf8').catch(() => undefined);
  return text === undefined ? undefined : parseOomKills(text);
}
