import type { ContainerdClient, ExitStatus, Mount } from '../containerd/index.js';
import { timestampToDate } from '../containerd/index.js';
import { BerthError, isNotFound } from '../errors/index.js';

export interface ExitInfo {
  exitCode: number;
  exitedAt: Date | undefined;
}

const SIGTERM = 15;
const SIGKILL = 9;

/** The task's state, or undefined when the container has no task. */
export async function taskState(client: ContainerdClient, id: string) {
  try {
    return await client.tasks.get(id);
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

/**
 * Creates and starts the task of an existing container. Output goes to the container's log driver
 * URI (a binary:// logger owned by the shim, so it survives berthd restarts).
 */
export async function startTask(
  client: ContainerdClient,
  id: string,
  options: { logUri: string; snapshotKey: string; mountLabel?: string },
): Promise<number> {
  const rootfs = withMountContext(await client.snapshots.mounts(options.snapshotKey), options.mountLabel);
  await client.tasks.create({ containerId: id, rootfs, stdout: options.logUri, stderr: options.logUri });
  try {
    const { pid } = await client.tasks.start(id);
    return pid;
  } catch (err) {
    await client.tasks.delete(id).catch(() => undefined);
    throw err;
  }
}

/**
 * Gives the rootfs the container's mount label (`context="…"`, as containerd's own client does):
 * without it the rootfs keeps the image layers' label and an enforcing policy refuses to run the
 * container's entrypoint from it.
 */
export function withMountContext(mounts: Mount[], mountLabel: string | undefined): Mount[] {
  if (!mountLabel) return mounts;
  return mounts.map((m) => ({ ...m, options: [...m.options, `context="${mountLabel}"`] }));
}

/**
 * Stops a task: SIGTERM, then after `graceMs` SIGKILL to every process of the container (a PID-1
 * `sleep` ignores SIGTERM). Deletes the task and returns its exit. A missing task is not an error.
 */
export async function stopTask(client: ContainerdClient, id: string, options: { graceMs: number }): Promise<ExitInfo | undefined> {
  const state = await taskState(client, id);
  if (!state) return undefined;
  if (state.status === 'RUNNING' || state.status === 'PAUSED' || state.status === 'CREATED') {
    const waiting = client.tasks.wait(id);
    waiting.catch(() => undefined);
    await kill(client, id, SIGTERM, false);
    const exited = await Promise.race([waiting, delay(options.graceMs).then(() => undefined)]);
    if (!exited) {
      await kill(client, id, SIGKILL, true);
      await Promise.race([waiting, delay(10_000)]);
    }
  }
  return deleteTask(client, id);
}

/** Deletes a stopped task, returning its exit; undefined when there was none. */
export async function deleteTask(client: ContainerdClient, id: string): Promise<ExitInfo | undefined> {
  try {
    const res = await client.tasks.delete(id);
    return exitInfo(res);
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

export function exitInfo(res: ExitStatus): ExitInfo {
  return { exitCode: res.exit_status, exitedAt: timestampToDate(res.exited_at) };
}

async function kill(client: ContainerdClient, id: string, signal: number, all: boolean): Promise<void> {
  try {
    await client.tasks.kill(id, signal, { all });
  } catch (err) {
    // Already exited between our look and the signal.
    if (isNotFound(err) || (BerthError.is(err) && err.code === 'FAILED_PRECONDITION')) return;
    throw err;
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms).unref());
}
