import { randomBytes } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { PassThrough, type Readable, type Writable } from 'node:stream';
import type { Socket } from 'node:net';
import type { ContainerdClient } from '../containerd/index.js';
import { decodeJsonAny, jsonAny, TYPE_URLS } from '../containerd/index.js';
import { BerthError, isNotFound } from '../errors/index.js';
import type { Spec } from '../oci/spec.js';
import { makeFifos, openFifo, releaseFifo } from './fifo.js';

export interface ExecRequest {
  containerId: string;
  args: string[];
  /** Present for a terminal session (initial size in rows and columns). */
  tty?: { rows: number; cols: number };
  /** Where this session's FIFOs are made (berth's exec dir, not visible to containers). */
  fifoDir: string;
}

export interface ExecProcess {
  readonly execId: string;
  /** Host pid of the process. */
  readonly pid: number;
  /** stdout and stderr merged (one stream with a terminal). */
  readonly output: Readable;
  readonly stdin: Writable;
  /** Exit status once the process has ended (128+n for a signal). */
  readonly exited: Promise<number>;
  resize(size: { rows: number; cols: number }): Promise<void>;
  /** EOF on stdin: our end closed and the shim told (both are needed, or it never sees EOF). */
  closeStdin(): Promise<void>;
  kill(signal: number): Promise<void>;
  /**
   * After `exited`: deletes the process, which makes the shim flush and close the output, waits for
   * the output to end (keep consuming it meanwhile), then removes the FIFOs.
   */
  release(): Promise<void>;
}

/** `apiexec-<16 alnum>`, Bottlerocket's exec ids. */
export function newExecId(): string {
  return `apiexec-${randomBytes(8).toString('hex')}`;
}

/**
 * Runs a process inside a running container with containerd's Tasks.Exec: its process spec is the
 * container's own (user, capabilities, labels, no-new-privileges) with the new argv, and its stdio
 * goes through FIFOs berth creates (a PTY when a terminal is asked for).
 */
export async function startExec(client: ContainerdClient, req: ExecRequest): Promise<ExecProcess> {
  const execId = newExecId();
  const container = await client.containers.get(req.containerId);
  const spec = decodeJsonAny<Spec>(container.spec);
  if (!spec) throw new BerthError('FAILED_PRECONDITION', `Container ${req.containerId} has no spec`);
  const env = spec.process.env.filter((e) => !e.startsWith('TERM='));
  if (req.tty) env.push('TERM=xterm-256color');
  const processSpec = {
    ...spec.process,
    args: req.args,
    env,
    terminal: req.tty !== undefined,
    ...(req.tty ? { consoleSize: { height: req.tty.rows, width: req.tty.cols } } : {}),
  };

  const dir = path.join(req.fifoDir, execId);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const fifos = { stdin: path.join(dir, 'stdin'), stdout: path.join(dir, 'stdout'), stderr: req.tty ? '' : path.join(dir, 'stderr') };
  const cleanupDir = () => rm(dir, { recursive: true, force: true });
  await makeFifos([fifos.stdin, fifos.stdout, fifos.stderr].filter(Boolean));
  // Begin the opens before Exec: they complete when the shim opens the other ends.
  const opens = Promise.all([
    openFifo(fifos.stdin, 'write'),
    openFifo(fifos.stdout, 'read'),
    fifos.stderr ? openFifo(fifos.stderr, 'read') : Promise.resolve(undefined),
  ]);
  opens.catch(() => undefined);
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
    for (const f of [fifos.stdin, fifos.stdout, fifos.stderr]) if (f) releaseFifo(f);
    await opens.then((socks) => socks.forEach((s) => s?.destroy())).catch(() => undefined);
    await client.tasks.deleteProcess(req.containerId, execId).catch(() => undefined);
    await cleanupDir();
    throw explainStartFailure(err, req.args[0] ?? '');
  }
  const [stdin, stdout, stderr] = await opens;
  const output = mergeOutput([stdout, stderr].filter((s): s is Socket => s !== undefined));
  stdin.on('error', () => undefined); // the process may exit before reading everything we send

  const exited = (waiting as Promise<{ exit_status: number }>).then((r) => r.exit_status);
  return {
    execId,
    pid,
    output,
    stdin,
    exited,
    resize: (size) => client.tasks.resizePty(req.containerId, { execId, width: size.cols, height: size.rows }),
    async closeStdin() {
      stdin.end();
      await client.tasks.closeStdin(req.containerId, { execId }).catch((err) => {
        if (!isNotFound(err)) throw err;
      });
    },
    async kill(signal) {
      await client.tasks.kill(req.containerId, signal, { execId }).catch((err) => {
        if (!isNotFound(err)) throw err;
      });
    },
    async release() {
      // As ctr does: delete the process (the shim flushes and closes its FIFO ends), then wait for
      // the output to end.
      const drained = new Promise<void>((r) => {
        if (output.readableEnded || output.destroyed) return r();
        output.once('end', r);
        output.once('close', r);
      });
      await client.tasks.deleteProcess(req.containerId, execId).catch(() => undefined);
      await Promise.race([drained, stalled(output, 10_000)]);
      stdin.destroy();
      output.destroy();
      await cleanupDir();
    },
  };
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
  const out = new PassThrough();
  // A FIFO of a process that exits at once may have ended, empty, before we got here.
  const live = streams.filter((s) => !s.destroyed);
  let open = live.length;
  if (open === 0) out.end();
  for (const s of live) {
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
