import { execFile } from 'node:child_process';
import { closeSync, constants, open, openSync } from 'node:fs';
import { promisify } from 'node:util';
import { Socket } from 'node:net';

const run = promisify(execFile);

/**
 * Node has no mkfifo(3); the coreutils command does it (mode 0600: only berthd and the shim), all
 * of a session's FIFOs in one process.
 */
export async function makeFifos(paths: readonly string[]): Promise<void> {
  await run('mkfifo', ['-m', '0600', '--', ...paths]);
}

/**
 * Opens a FIFO end without blocking the event loop: the open waits on libuv's threadpool until the
 * shim opens the other end. The callback form of fs.open is used on purpose: a FileHandle handed to
 * a net.Socket gets closed twice (once on GC).
 */
export function openFifo(path: string, mode: 'read' | 'write'): Promise<Socket> {
  return new Promise((resolve, reject) => {
    open(path, mode === 'read' ? constants.O_RDONLY : constants.O_WRONLY, (err, fd) => {
      if (err) return reject(err);
      // A socket over the fd reads and writes through epoll, not the threadpool.
      resolve(new Socket({ fd, readable: mode === 'read', writable: mode === 'write' }));
    });
  });
}

/** Releases an open that is still parked waiting for a peer (the task failed to start). */
export function releaseFifo(path: string): void {
  try {
    closeSync(openSync(path, constants.O_RDWR | constants.O_NONBLOCK));
  } catch {
    /* already gone */
  }
}
