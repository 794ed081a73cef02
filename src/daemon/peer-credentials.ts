import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import type { Socket } from 'node:net';
import { promisify } from 'node:util';
import type { AuditActor } from '../audit/audit-log.js';

const run = promisify(execFile);

/** The file descriptor under a connected socket (libuv's handle keeps it; Node does not expose it). */
function fdOf(socket: Socket): number | undefined {
  const fd = (socket as unknown as { _handle?: { fd?: unknown } })._handle?.fd;
  return typeof fd === 'number' && fd >= 0 ? fd : undefined;
}

/**
 * The process on the other end of an API connection (SO_PEERCRED, read by the berth-peercred
 * helper on a duplicate of berthd's descriptor, since Node cannot call getsockopt), for the audit log.
 */
export function peerCredentials(helper: string): (socket: Socket) => Promise<AuditActor> {
  return async (socket) => {
    const fd = fdOf(socket);
    if (fd === undefined) return {};
    const m = /^(\d+) (\d+) (\d+)$/.exec((await run(helper, [String(process.pid), String(fd)], { timeout: 5000 }).catch(() => ({ stdout: '' }))).stdout.trim());
    if (!m) return {};
    const pid = Number(m[1]);
    const comm = (await readFile(`/proc/${pid}/comm`, 'utf8').catch(() => '')).trim();
    return { pid, uid: Number(m[2]), gid: Number(m[3]), ...(comm ? { comm } : {}) };
  };
}
