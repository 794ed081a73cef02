import { chmod, chown, lstat, mkdir, readFile, rm } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { BerthError } from '../errors/index.js';

/**
 * Getting a Unix socket path ready to listen on, and setting its owner group and mode after bind:
 * the parent directory is created when missing; a socket file nobody answers on (left by a crash)
 * is removed; a live one, or anything that is not a socket, stops the start with a clear error.
 */
const MAX_SOCKET_PATH = 107;

function answers(socketPath: string): Promise<boolean> {
  return new Promise((resolve) => {
    const conn = net.connect(socketPath);
    conn.once('connect', () => {
      conn.destroy();
      resolve(true);
    });
    conn.once('error', () => resolve(false));
  });
}

export async function prepareSocketPath(socketPath: string): Promise<void> {
  if (!path.isAbsolute(socketPath)) throw new BerthError('INVALID_ARGUMENT', `API socket path '${socketPath}' is not absolute`);
  if (Buffer.byteLength(socketPath) > MAX_SOCKET_PATH) {
    throw new BerthError('INVALID_ARGUMENT', `API socket path '${socketPath}' is longer than ${MAX_SOCKET_PATH} bytes`);
  }
  await mkdir(path.dirname(socketPath), { recursive: true, mode: 0o755 });
  let stats;
  try {
    stats = await lstat(socketPath);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw err;
  }
  if (!stats.isSocket()) throw new BerthError('FAILED_PRECONDITION', `'${socketPath}' exists and is not a socket; not removing it`);
  if (await answers(socketPath)) throw new BerthError('CONFLICT', `Another server is already listening on '${socketPath}'`);
  await rm(socketPath, { force: true });
}

/** A group id from a number or a name looked up in `groupFile` (/etc/group format). */
export async function resolveGroupId(group: number | string, { groupFile }: { groupFile: string }): Promise<number> {
  if (typeof group === 'number') {
    if (!Number.isInteger(group) || group < 0) throw new BerthError('INVALID_ARGUMENT', `Invalid socket group id ${group}`);
    return group;
  }
  if (/^[0-9]+$/.test(group)) return Number(group);
  const lines = (await readFile(groupFile, 'utf8')).split('\n');
  for (const line of lines) {
    const [name, , gid] = line.split(':');
    if (name === group && gid !== undefined && /^[0-9]+$/.test(gid)) return Number(gid);
  }
  throw new BerthError('NOT_FOUND', `Socket group '${group}' is not in ${groupFile}`);
}

export async function setSocketAccess(socketPath: string, { mode, gid }: { mode: number; gid?: number }): Promise<void> {
  if (gid !== undefined) await chown(socketPath, -1, gid);
  await chmod(socketPath, mode);
}
