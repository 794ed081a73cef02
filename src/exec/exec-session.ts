import type { Readable } from 'node:stream';
import { randomBytes } from 'node:crypto';
import { BerthError, codeOf, messageOf } from '../errors/index.js';
import type { Logger } from '../lib/logger.js';
import type { AuditActor, AuditRecord } from '../audit/audit-log.js';
import type { ExecChannel } from './channel.js';
import { readInitialize } from './handshake.js';
import { InputPump, type InputTarget } from './input-pump.js';
import { OutputPump } from './output-pump.js';
import { CLOSE, errorMessage, type Initialize } from './protocol.js';
import type { SessionLimits } from './session-limits.js';

/** The process a session runs, as the runtime provides it. */
export interface SessionProcess extends InputTarget {
  readonly pid: number;
  readonly output: Readable;
  /** Exit status (128+n for a signal). */
  readonly exited: Promise<number>;
  /** Kills the process and every process still in its session (its background jobs included). */
  killAll(): void;
  /** After exit: the output ends, the process is deleted, its FIFOs removed. */
  release(): Promise<void>;
}

export interface ExecSessionOptions {
  /** Starts `init.command` in the container named `init.target` (BerthError when it cannot). */
  start(init: Initialize): Promise<SessionProcess>;
  /** Who is on the other end of the API socket. */
  peer: Promise<AuditActor>;
  audit(record: Omit<AuditRecord, 'time'>): Promise<void>;
  limits: SessionLimits;
  logger: Logger;
  /** How often the client is pinged. */
  heartbeatMs: number;
  /** Silence after which the client is given up (also the longest wait for Initialize). */
  clientTimeoutMs: number;
  /** Unwritten input bytes past which the client is no longer read. */
  inputHighWater: number;
  /** Unsent output bytes past which the output is paused. */
  outputHighWater: number;
}

type Phase = 'handshake' | 'starting' | 'running' | 'done';

/**
 * One `GET /exec` session, from the first frame to the audit record of its end. Every message is
 * taken by one listener from the moment the connection exists and routed by phase: frames that
 * arrive together with Initialize (one packet can hold Initialize, the whole input and
 * ContentComplete) wait, in order, until the process has a stdin. Never rejects: whatever the
 * client sends, the session ends by itself, its processes killed.
 */
export class ExecSession {
  readonly id = `exec-${randomBytes(6).toString('hex')}`;
  #channel: ExecChannel;
  #o: ExecSessionOptions;
  #log: Logger;
  #phase: Phase = 'handshake';
  #early: Array<[Buffer, boolean]> = [];
  #earlyBytes = 0;
  #earlyPaused = false;
  #input: InputPump | undefined;
  #onFirst: ((data: Buffer, isBinary: boolean) => void) | undefined;
  /** Set once the client is gone or broke the protocol; the reason goes into the audit record. */
  #gone: { reason?: string } | undefined;
  #goneListeners: Array<() => void> = [];
  #lastSeen = Date.now();

  constructor(channel: ExecChannel, options: ExecSessionOptions) {
    this.#channel = channel;
    this.#o = options;
    this.#log = options.logger.child({ component: 'exec', session: this.id });
    channel.onMessage((data, isBinary) => this.#route(data, isBinary));
    channel.onActivity(() => (this.#lastSeen = Date.now()));
    channel.onError((err, closeCode) => {
      this.#log.warn({ err: err.message, closeCode }, 'exec client error');
      this.#markGone(closeCode === undefined ? err.message : `${err.message} (closed with ${closeCode})`);
    });
    channel.onClose(() => this.#markGone());
  }

  #route(data: Buffer, isBinary: boolean): void {
    switch (this.#phase) {
      case 'handshake':
        this.#onFirst?.(data, isBinary);
        return;
      case 'starting':
        this.#early.push([data, isBinary]);
        this.#earlyBytes += data.length;
        if (!this.#earlyPaused && this.#earlyBytes > this.#o.inputHighWater) {
          this.#earlyPaused = true;
          this.#channel.pause();
        }
        return;
      case 'running':
        this.#input?.message(data, isBinary);
        return;
      case 'done':
        return;
    }
  }

  #markGone(reason?: string): void {
    if (this.#gone) {
      if (reason && !this.#gone.reason) this.#gone.reason = reason;
      return;
    }
    this.#gone = reason ? { reason } : {};
    for (const l of this.#goneListeners.splice(0)) l();
  }

  #whenGone(listener: () => void): void {
    if (this.#gone) listener();
    else this.#goneListeners.push(listener);
  }

  /** Closes with an Error message first (berth's addition to the protocol), when still possible. */
  #refuse(err: unknown, closeCode: number): void {
    if (!this.#channel.isOpen) return;
    const exit = BerthError.is(err) && typeof err.details?.['exitCode'] === 'number' ? (err.details['exitCode']) : undefined;
    this.#channel.send(errorMessage(codeOf(err), messageOf(err), exit));
    this.#channel.close(closeCode, codeOf(err));
  }

  async run(): Promise<void> {
    const heartbeat = setInterval(() => {
      if (Date.now() - this.#lastSeen > this.#o.clientTimeoutMs) this.#channel.terminate();
      else this.#channel.ping();
    }, this.#o.heartbeatMs);
    try {
      const init = await this.#handshake();
      if (init) await this.#serve(init);
    } catch (err) {
      this.#log.error({ err: messageOf(err) }, 'exec session failed');
      this.#refuse(err, CLOSE.internal);
    } finally {
      this.#phase = 'done';
      clearInterval(heartbeat);
    }
  }

  /** The first frame must be a valid Initialize, within the client timeout. */
  #handshake(): Promise<Initialize | undefined> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#refuse(new BerthError('DEADLINE_EXCEEDED', 'No Initialize message received'), CLOSE.policy);
        resolve(undefined);
      }, this.#o.clientTimeoutMs);
      const settle = (init: Initialize | undefined) => {
        clearTimeout(timer);
        this.#onFirst = undefined;
        resolve(init);
      };
      this.#onFirst = (data, isBinary) => {
        try {
          const init = readInitialize(data, isBinary);
          this.#phase = 'starting';
          settle(init);
        } catch (err) {
          this.#phase = 'done';
          this.#refuse(err, CLOSE.policy);
          settle(undefined);
        }
      };
      this.#whenGone(() => settle(undefined));
    });
  }

  async #serve(init: Initialize): Promise<void> {
    // Who the peer is is looked up while the process starts, not before: the user does not wait for it.
    const base = { target: init.target, session: this.id, command: init.command, tty: init.tty !== undefined };
    const refused = async (err: unknown, closeCode: number) => {
      this.#log.warn({ target: init.target, err: messageOf(err) }, 'exec refused');
      await this.#o.audit({ ...base, actor: await this.#o.peer, event: 'exec-refused', reason: messageOf(err) }).catch(() => undefined);
      this.#refuse(err, closeCode);
    };
    if (this.#gone) return refused(new BerthError('CANCELED', 'The client went away before the process started'), CLOSE.normal);
    let release: () => void;
    try {
      release = this.#o.limits.acquire(init.target);
    } catch (err) {
      return refused(err, CLOSE.policy);
    }
    let proc: SessionProcess;
    try {
      proc = await this.#o.start(init);
    } catch (err) {
      release();
      return refused(err, CLOSE.internal);
    }
    try {
      await this.#running(init, proc, base);
    } finally {
      release();
    }
  }

  async #running(init: Initialize, proc: SessionProcess, base: Omit<AuditRecord, 'time' | 'event' | 'actor'>): Promise<void> {
    const started = Date.now();
    this.#log.info({ target: init.target, command: init.command, tty: base.tty, pid: proc.pid }, 'exec started');
    // Written alongside the session, not before it: the record is fsynced but the user does not wait.
    const startRecord = this.#o.peer
      .then((actor) => this.#o.audit({ ...base, actor, event: 'exec-start' }))
      .catch((err) => this.#log.error({ err: messageOf(err) }, 'audit write failed'));

    const output = new OutputPump(proc.output, this.#channel, { highWater: this.#o.outputHighWater });
    this.#input = new InputPump(proc, this.#channel, {
      tty: init.tty !== undefined,
      highWater: this.#o.inputHighWater,
      violation: (err, closeCode) => {
        this.#log.warn({ err: err.message, closeCode }, 'exec client broke the protocol');
        this.#markGone(err.message);
        this.#phase = 'done';
        if (this.#channel.isOpen) this.#channel.close(closeCode, err.message);
      },
    });
    for (const [data, isBinary] of this.#early.splice(0)) this.#input.message(data, isBinary);
    if (this.#phase === 'starting') this.#phase = 'running';
    if (this.#earlyPaused) {
      this.#earlyPaused = false;
      this.#channel.resume();
    }

    // The client went away first (even while the process was starting): nothing it started may outlive it.
    let exited = false;
    this.#whenGone(() => {
      if (!exited) proc.killAll();
    });
    const exitCode = await proc.exited.catch(() => 255);
    exited = true;
    const disconnected = this.#gone !== undefined;
    // What the process left running in its session goes with it; its output then ends.
    proc.killAll();
    await proc.release().catch((err) => this.#log.warn({ err: messageOf(err) }, 'exec release failed'));
    await output.done;
    const durationMs = Date.now() - started;
    if (this.#channel.isOpen) this.#channel.close(CLOSE.normal, String(exitCode));
    this.#log.info({ target: init.target, exitCode, durationMs, disconnected }, 'exec ended');
    await startRecord;
    const reason = this.#gone?.reason;
    await this.#o
      .audit({ ...base, actor: await this.#o.peer, event: 'exec-end', exitCode, durationMs, ...(disconnected ? { disconnected } : {}), ...(reason ? { reason } : {}) })
      .catch((err) => this.#log.error({ err: messageOf(err) }, 'audit write failed'));
  }
}
