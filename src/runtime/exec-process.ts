import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { finished, PassThrough, type Readable, type Writable } from 'node:stream';
import type { Socket } from 'node:net';
import type { ContainerdClient } from '../containerd/index.js';
import { jsonAny, TYPE_URLS } from '../containerd/index.js';
import { BerthError, isNotFound } from '../errors/index.js';
import type { Spec } from '../oci/spec.js';
import { openFifoReader, openFifoWriter } from './fifo.js';
import type { FifoSource } from './fifo-pool.js';

export interface ExecRequest {
  containerId: string;
  /** The container's spec: the exec runs with its process settings (user, capabilities, labels). */
  spec: Spec;
  args: string[];
  /** Present for a terminal session (initial size in rows and columns). */
  tty?: { rows: number; cols: number };
  /** Where this session's FIFOs come from (berth's exec dir, not visible to containers). */
  fifos: FifoSource;
}

export interface ExecProcess {
  readonly execId: string;
  /** Host pid of the process (the leader of its own session: runc makes every exec one). */
  readonly pid: number;
  /** stdout and stderr merged (one stream with a terminal). */
  readonly output: Readable;
  readonly stdin: Writable;
  /** Exit status once the process has ended (128+n for a signal). */
  readonly exited: Promise<number>;
  resize(size: { rows: number; cols: number }): Promise<void>;
  /**
   * EOF on stdin, once what was written has gone through: our end of the FIFO closed, then the
   * shim told to close its own write end (CloseIO). The process sees EOF when both are closed.
   */
  closeStdin(): Promise<void>;
  kill(signal: number): Promise<void>;
  /**
   * After `exited`: deletes the process, which makes the shim flush and close the output, waits for
   * the output to end (keep consuming it meanwhile), then removes the FIFOs.
   */
  release(): Promise<void>;
}

/** How long the shim may take to open its end of the stdin FIFO after Start. */
const STDIN_OPEN_TIMEOUT_MS = 30_000;
/** A shim that never closes the output must not hold the session for ever. */
const OUTPUT_QUIET_MS = 10_000;

/** `apiexec-<16 alnum>`, Bottlerocket's exec ids. */
export function newExecId(): string {
  return `apiexec-${randomBytes(8).toString('hex')}`;
}

interface Fifos {
  dir: string;
  stdin: string;
  stdout: string;
  /** Empty with a terminal: the pty carries both. */
  stderr: string;
}

/**
 * Runs a process inside a running container with containerd's Tasks.Exec: its process spec is the
 * container's own (user, capabilities, labels, no-new-privileges) with the new argv, and its stdio
 * goes through FIFOs berth creates (a PTY when a terminal is asked for).
 *
 * What containerd's runc shim does with the FIFOs decides the order here. At Start it opens stdout
 * and stderr for writing, blocking until a reader is there, so our readers are open before Exec.
 * For stdin it opens a reader and also a write end of its own, which keeps the process from seeing
 * EOF until CloseIO closes it; both opens happen in goroutines that may still be pending when Start
 * returns. Our writer is opened only once the shim's reader is there (see openFifoWriter).
 */
export async function startExec(client: ContainerdClient, req: ExecRequest): Promise<ExecProcess> {
  const execId = newExecId();
  const spec = req.spec;
  const env = spec.process.env.filter((e) => !e.startsWith('TERM='));
  if (req.tty) env.push('TERM=xterm-256color');
  const processSpec = {
    ...spec.process,
    args: req.args,
    env,
    terminal: req.tty !== undefined,
    ...(req.tty ? { consoleSize: { height: req.tty.rows, width: req.tty.cols } } : {}),
  };

  const dir = await req.fifos.take(execId);
  const fifos: Fifos = { dir, stdin: path.join(dir, 'stdin'), stdout: path.join(dir, 'stdout'), stderr: req.tty ? '' : path.join(dir, 'stderr') };
  let output: Readable;
  try {
    // Open and merged before Exec: the output of a process that exits at once may end while Start
    // is awaited, and its end must not be missed.
    output = mergeOutput(await Promise.all([fifos.stdout, fifos.stderr].filter(Boolean).map(openFifoReader)));
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
  let waiting: Promise<{ exit_status: number }> | undefined;
  let pid: number;
  try {
    await client.tasks.exec({
      containerId: req.containerId,
      execId,
      stdin: fifos.stdin,
      stdout: fifos.stdout,
      stderr: fifos.stderr,
      terminal: req.tty !== undefined,
      spec: jsonAny(TYPE_URLS.process, processSpec),
    });
    waiting = client.tasks.wait(req.containerId, { execId });
    waiting.catch(() => undefined);
    pid = (await client.tasks.start(req.containerId, { execId })).pid;
  } catch (err) {
    output.destroy();
    await client.tasks.deleteProcess(req.containerId, execId).catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
    throw explainStartFailure(err, req.args[0] ?? '');
  }
  const exited = (waiting as Promise<{ exit_status: number }>).then((r) => r.exit_status);
  let stdin: Socket;
  try {
    stdin = await openFifoWriter(fifos.stdin, AbortSignal.timeout(STDIN_OPEN_TIMEOUT_MS));
  } catch (err) {
    await client.tasks.kill(req.containerId, 9, { execId }).catch(() => undefined);
    await exited.catch(() => undefined);
    output.destroy();
    await client.tasks.deleteProcess(req.containerId, execId).catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
    throw new BerthError('UNAVAILABLE', `containerd's shim did not open the input of ${execId}`, { cause: err });
  }
  stdin.on('error', () => undefined); // the process may exit before reading everything we send
  let stdinClosed: Promise<void> | undefined;

  return {
    execId,
    pid,
    output,
    stdin,
    exited,
    resize: (size) => client.tasks.resizePty(req.containerId, { execId, width: size.cols, height: size.rows }),
    closeStdin() {
      stdinClosed ??= (async () => {
        await endAndClose(stdin);
        await client.tasks.closeStdin(req.containerId, { execId }).catch((err) => {
          if (!isNotFound(err)) throw err;
        });
      })();
      return stdinClosed;
    },
    async kill(signal) {
      await client.tasks.kill(req.containerId, signal, { execId }).catch((err) => {
        if (!isNotFound(err)) throw err;
      });
    },
    async release() {
      const drained = new Promise<void>((r) => finished(output, () => r()));
      // As ctr does: delete the process (the shim flushes and closes its FIFO ends), then wait for
      // the output to end.
      await client.tasks.deleteProcess(req.containerId, execId).catch(() => undefined);
      await Promise.race([drained, stalled(output, OUTPUT_QUIET_MS)]);
      stdin.destroy();
      output.destroy();
      // Not awaited: the session is over for its user; berthd clears the directory at start too.
      rm(dir, { recursive: true, force: true }).catch(() => undefined);
    },
  };
}

/**
 * Ends a FIFO writer and resolves once its descriptor is closed. Node's end() on a socket over a
 * FIFO flushes the queued writes, tries shutdown(2) (which fails with ENOTSOCK on a FIFO and is
 * ignored), emits 'finish' and then, as the socket is not readable, destroys it: 'close' is the
 * moment the kernel has one writer less.
 */
function endAndClose(socket: Socket): Promise<void> {
  return new Promise((resolve) => {
    if (socket.closed) return resolve();
    socket.once('close', () => resolve());
    if (!socket.writableEnded && !socket.destroyed) socket.end();
  });
}

/**
 * Resolves once `stream` has produced nothing for `quietMs` while flowing: a shim that never closes
 * the output must not hold the session for ever, but a reader paused for a slow client is not stalled.
 */
function stalled(stream: Readable, quietMs: number): Promise<void> {
  return new Promise((resolve) => {
    let last = Date.now();
    const onData = () => (last = Date.now());
    stream.on('data', onData);
    const timer = setInterval(() => {
      if (stream.isPaused()) last = Date.now();
      else if (Date.now() - last > quietMs || stream.destroyed) {
        clearInterval(timer);
        stream.off('data', onData);
        resolve();
      }
    }, 200);
    timer.unref();
  });
}

/** One readable of every output FIFO; ends when all of them have ended. */
function mergeOutput(streams: Socket[]): Readable {
  const out = new PassThrough({ highWaterMark: 256 << 10 });
  let open = streams.length;
  for (const s of streams) {
    s.pipe(out, { end: false });
    s.on('error', () => s.destroy());
    s.on('close', () => {
      if (--open === 0) out.end();
    });
  }
  out.on('close', () => streams.forEach((s) => s.destroy()));
  return out;
}

/** runc's "executable file not found" becomes NOT_FOUND (exit 127 at the client), like a shell. */
function explainStartFailure(err: unknown, command: string): unknown {
  if (!BerthError.is(err)) return err;
  if (/executable file not found|no such file or directory/.test(err.message)) {
    return new BerthError('NOT_FOUND', `${command}: command not found in the container`, { cause: err, details: { exitCode: 127 } });
  }
  if (/permission denied/.test(err.message)) {
    return new BerthError('PERMISSION_DENIED', `${command}: permission denied`, { cause: err, details: { exitCode: 126 } });
  }
  return err;
}
