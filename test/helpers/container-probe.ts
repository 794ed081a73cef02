import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { BerthdProcess } from './berthd-process.js';
import type { ContainerStatus } from '../../src/reconciler/status.js';

/**
 * What a real-daemon test reads about a host container: its status from berthd's API, and the live
 * process behind it from /proc and its cgroup v1 files.
 */

/** `GET /host-containers/NAME`. */
export const hostContainerStatus = (b: BerthdProcess, name: string) => b.get<ContainerStatus>(`/host-containers/${name}`);

/** For `until`: the pid of host container `name` once it runs, and is not `not` (to wait for a replacement). */
export function runningPid(b: BerthdProcess, name: string, not?: number): () => Promise<number | undefined> {
  return async () => {
    const s = await hostContainerStatus(b, name);
    return s.state === 'running' && s.pid !== undefined && s.pid !== not ? s.pid : undefined;
  };
}

/** Process `pid`'s argv, from /proc/PID/cmdline. */
export const argvOf = async (pid: number) => (await readFile(`/proc/${pid}/cmdline`, 'utf8')).split('\0').slice(0, -1);

/** Process `pid`'s environment (`NAME=value` items), from /proc/PID/environ. */
export const envOf = async (pid: number) => (await readFile(`/proc/${pid}/environ`, 'utf8')).split('\0').filter(Boolean);

/** The cgroup v1 directory of `controller` that holds process `pid`. */
export async function cgroupOf(pid: number, controller: string): Promise<string> {
  const lines = (await readFile(`/proc/${pid}/cgroup`, 'utf8')).split('\n');
  const line = lines.find((l) => l.split(':')[1]?.split(',').includes(controller));
  assert.ok(line, `${controller} in /proc/${pid}/cgroup`);
  return line.split(':')[2]!;
}

/** A file of process `pid`'s own cgroup of `controller`, trimmed. */
export const cgroupFile = async (pid: number, controller: string, file: string) =>
  (await readFile(path.join('/sys/fs/cgroup', controller, await cgroupOf(pid, controller), file), 'utf8')).trim();
