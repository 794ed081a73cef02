import { lstat, readFile, readdir, readlink, unlink } from 'node:fs/promises';
import { isAtOrBelow } from '../../src/lib/mountinfo.js';

// A process killed with SIGKILL leaves the file of a Unix socket it listened on: containerd's shims
// listen in /run/containerd/s/, outside any root, whatever the daemon's own paths.

/** inode → path of the named Unix sockets the processes hold (listening or accepted). */
export async function socketFilesHeldBy(pids: number[]): Promise<Map<string, string>> {
  const named = await namedUnixSockets();
  const out = new Map<string, string>();
  for (const pid of pids) {
    for (const fd of await readdir(`/proc/${pid}/fd`).catch(() => [] as string[])) {
      const link = await readlink(`/proc/${pid}/fd/${fd}`).catch(() => '');
      const inode = /^socket:\[(\d+)\]$/.exec(link)?.[1];
      const file = inode && named.get(inode);
      if (inode && file) out.set(inode, file);
    }
  }
  return out;
}

/** inode → path of every named (not abstract) Unix socket in this network namespace. */
async function namedUnixSockets(): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const text = await readFile('/proc/net/unix', 'utf8').catch(() => '');
  for (const line of text.split('\n').slice(1)) {
    const fields = line.trim().split(/\s+/);
    const inode = fields[6];
    const file = fields[7];
    if (inode && file?.startsWith('/')) out.set(inode, file);
  }
  return out;
}

/** Removes the socket files nobody holds any more, except those at or below KEEP_UNDER; returns them. */
export async function removeStaleSockets(sockets: Map<string, string>, keepUnder: string): Promise<string[]> {
  const open = await namedUnixSockets();
  const removed: string[] = [];
  for (const [inode, file] of sockets) {
    if (open.has(inode) || isAtOrBelow(file, keepUnder)) continue;
    const isSocket = await lstat(file).then((s) => s.isSocket(), () => false);
    if (isSocket && (await unlink(file).then(() => true, () => false))) removed.push(file);
  }
  return removed;
}
