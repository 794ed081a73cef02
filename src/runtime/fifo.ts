import { execFile } from 'node:child_process';
import { constants, open } from 'node:fs';
import { promisify } from 'node:util';
import { Socket } from 'node:net';
import { BerthError } from '../errors/index.js';

const run = promisify(execFile);

/**
 * Node has no mkfifo(3); the coreutils command does it (mode 0600: only berthd and the shim), all
 * of a session's FIFOs in one process.
 */
export async function makeFifos(paths: readonly string[]): Promise<void> {
  await run('mkfifo', ['-m', '0600', '--', ...paths]);
}

function openNonBlocking(path: string, flags: number): Promise<number> {
  return new Promise((resolve, reject) => open(path, flags | constants.O_NONBLOCK, (err, fd) => (err ? reject(err) : resolve(fd))));
}

/**
 * Opens the read end of an output FIFO at once, with no writer yet. A blocking open would park a
 * libuv threadpool thread until the shim opens its end, and those threads are the ones every file
 * write of the daemon needs. Reading early is safe: the kernel reports no hang-up on a FIFO end
 * opened non-blocking until a writer has come and gone, so the first EOF is the shim's. The socket
 * reads through epoll, not the threadpool.
 */
export async function openFifoReader(path: string): Promise<Socket> {
  const fd = await openNonBlocking(path, constants.O_RDONLY);
  return new Socket({ fd, readable: true, writable: false });
}

/**
 * Opens the write end of a stdin FIFO once the shim has its read end open, polling (a non-blocking
 * open for writing fails with ENXIO while there is no reader) rather than holding a threadpool
 * thread in a blocking open. Success proves the shim's reader is open, which is what makes a later
 * close of this end reach the process as EOF: a reader that opens after every writer has gone
 * would wait for ever. Gives up when `signal` aborts.
 */
export async function openFifoWriter(path: string, signal: AbortSignal): Promise<Socket> {
  for (let delay = 1; ; delay = Math.min(delay * 2, 20)) {
    try {
      const fd = await openNonBlocking(path, constants.O_WRONLY);
      return new Socket({ fd, readable: false, writable: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENXIO') throw err;
    }
    if (signal.aborted) throw new BerthError('CANCELED', `Nobody opened ${path} for reading`, { cause: signal.reason });
    await new Promise((resolve) => setTimeout(resolve, delay));
  }
}
