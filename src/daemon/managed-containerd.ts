import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, open, rm, writeFile, rename } from 'node:fs/promises';
import path from 'node:path';
import { ContainerdClient } from '../containerd/index.js';
import { BerthError } from '../errors/index.js';
import { Backoff } from '../lib/backoff.js';
import type { Logger } from '../lib/logger.js';
import { containerdConfig, type ContainerdRole } from './containerd-config.js';
import { canLowerOomScores } from './host-facts.js';
import type { ContainerdPaths } from './paths.js';
import { processArgv, processRunning, readPidfile } from './process-identity.js';

export interface ManagedContainerdOptions {
  role: ContainerdRole;
  paths: ContainerdPaths;
  logger: Logger;
  /** containerd binary. Default `containerd` from PATH. */
  binary?: string;
  /** How long to wait for the daemon to answer gRPC after a start. Default 30 s. */
  readyTimeoutMs?: number;
  /** Liveness poll interval for adopted daemons (not our children). Default 1 s. */
  pollMs?: number;
}

export type DaemonState = 'stopped' | 'starting' | 'running' | 'restarting';

/**
 * One containerd that berth runs itself (managed mode): config written from the paths, started in
 * its own session with a pidfile, adopted when still running from a previous berthd, restarted with
 * exponential backoff when it dies, stopped with SIGTERM then SIGKILL.
 */
export class ManagedContainerd {
  readonly role: ContainerdRole;
  readonly paths: ContainerdPaths;
  #log: Logger;
  #binary: string;
  #readyTimeoutMs: number;
  #pollMs: number;
  #pid: number | undefined;
  #child: ChildProcess | undefined;
  #state: DaemonState = 'stopped';
  #stopping = false;
  #backoff = new Backoff({ baseMs: 500, maxMs: 30_000, resetAfterMs: 60_000 });
  #poll: NodeJS.Timeout | undefined;
  #restartTimer: NodeJS.Timeout | undefined;
  #restarts = 0;

  constructor(options: ManagedContainerdOptions) {
    this.role = options.role;
    this.paths = options.paths;
    this.#log = options.logger.child({ daemon: options.role === 'host' ? 'host-containerd' : 'containerd' });
    this.#binary = options.binary ?? 'containerd';
    this.#readyTimeoutMs = options.readyTimeoutMs ?? 30_000;
    this.#pollMs = options.pollMs ?? 1000;
  }

  get pid(): number | undefined {
    return this.#pid;
  }
  get state(): DaemonState {
    return this.#state;
  }
  /** Restarts after unexpected deaths since berthd started. */
  get restarts(): number {
    return this.#restarts;
  }

  /**
   * Adopts a daemon still running from an earlier berthd, or starts a new one; resolves when it
   * answers gRPC. Afterwards the daemon is supervised until stop().
   */
  async start(): Promise<'adopted' | 'started'> {
    this.#stopping = false;
    this.#state = 'starting';
    const adopted = await this.#adopt();
    if (!adopted) await this.#spawn();
    await this.#waitReady();
    this.#state = 'running';
    this.#backoff.started(Date.now());
    this.#watch();
    this.#log.info({ pid: this.#pid, adopted }, adopted ? 'adopted running containerd' : 'containerd started');
    return adopted ? 'adopted' : 'started';
  }

  /** Whether the pidfile names a live containerd started with our config. */
  async #adopt(): Promise<boolean> {
    const pid = await readPidfile(this.paths.pidfile);
    if (pid === undefined) return false;
    const argv = await processArgv(pid);
    if (!argv || !argv.some((a) => a.endsWith('containerd')) || !argv.includes(this.paths.config)) return false;
    this.#pid = pid;
    this.#child = undefined;
    return true;
  }

  async #spawn(): Promise<void> {
    const p = this.paths;
    await Promise.all([p.root, p.state, path.dirname(p.config), path.dirname(p.log), path.dirname(p.pidfile)].map((d) =>
      mkdir(d, { recursive: true, mode: 0o711 }),
    ));
    await writeAtomic(p.config, containerdConfig(this.role, p, { restrictOomScoreAdj: !canLowerOomScores() }));
    const log = await open(p.log, 'a', 0o640);
    try {
      // detached: its own session and process group, so signals to berthd do not reach it and it
      // outlives a berthd restart.
      const child = spawn(this.#binary, ['--config', p.config], {
        detached: true,
        stdio: ['ignore', log.fd, log.fd],
        env: { ...process.env, PATH: process.env['PATH'] ?? '/usr/sbin:/usr/bin:/sbin:/bin' },
      });
      await new Promise<void>((resolve, reject) => {
        child.once('spawn', resolve);
        child.once('error', (err) =>
          reject(new BerthError('UNAVAILABLE', `Cannot start ${this.#binary}: ${err.message}`, { cause: err })),
        );
      });
      child.unref();
      this.#child = child;
      this.#pid = child.pid;
      child.once('exit', (code, signal) => this.#onDeath({ code, signal }));
      await writeAtomic(p.pidfile, `${child.pid}\n`);
    } finally {
      await log.close();
    }
  }

  async #waitReady(): Promise<void> {
    const client = ContainerdClient.connect({ socket: this.paths.socket, namespace: 'default' });
    try {
      await client.waitUntilReady({ timeoutMs: this.#readyTimeoutMs });
    } catch (err) {
      throw new BerthError('UNAVAILABLE', `${this.role} containerd did not become ready (log: ${this.paths.log})`, { cause: err });
    } finally {
      client.close();
    }
  }

  /** Our own children report their exit; adopted daemons are polled. */
  #watch(): void {
    clearInterval(this.#poll);
    if (this.#child) return;
    this.#poll = setInterval(() => {
      if (this.#pid !== undefined && !processRunning(this.#pid)) this.#onDeath({ code: null, signal: null });
    }, this.#pollMs);
    this.#poll.unref();
  }

  #onDeath(how: { code: number | null; signal: NodeJS.Signals | null }): void {
    clearInterval(this.#poll);
    this.#child = undefined;
    if (this.#stopping || this.#state === 'restarting') return;
    const delay = this.#backoff.failed(Date.now());
    this.#state = 'restarting';
    this.#restarts++;
    this.#log.error({ pid: this.#pid, ...how, restartInMs: delay }, 'containerd died; restarting');
    this.#restartTimer = setTimeout(() => void this.#restart(), delay);
  }

  async #restart(): Promise<void> {
    if (this.#stopping) return;
    try {
      await this.#spawn();
      await this.#waitReady();
      this.#state = 'running';
      this.#backoff.started(Date.now());
      this.#watch();
      this.#log.info({ pid: this.#pid }, 'containerd restarted');
    } catch (err) {
      this.#log.error({ err }, 'containerd restart failed');
      this.#state = 'running'; // let #onDeath schedule the next try
      this.#onDeath({ code: null, signal: null });
    }
  }

  /** Stops supervising and terminates the daemon: SIGTERM, then SIGKILL after the grace period. */
  async stop(options: { graceMs?: number } = {}): Promise<void> {
    this.#stopping = true;
    clearInterval(this.#poll);
    clearTimeout(this.#restartTimer);
    const pid = this.#pid ?? (await this.#adopt().then((ok) => (ok ? this.#pid : undefined)));
    if (pid !== undefined) await terminate(pid, options.graceMs ?? 10_000);
    await rm(this.paths.pidfile, { force: true });
    this.#state = 'stopped';
    this.#pid = undefined;
    this.#log.info({ pid }, 'containerd stopped');
  }

  /** Stops supervising without touching the daemon (berthd exiting for a restart). */
  detach(): void {
    this.#stopping = true;
    clearInterval(this.#poll);
    clearTimeout(this.#restartTimer);
  }
}

async function terminate(pid: number, graceMs: number): Promise<void> {
  const signal = (s: NodeJS.Signals): void => {
    try {
      process.kill(pid, s);
    } catch {
      /* already gone */
    }
  };
  signal('SIGTERM');
  const deadline = Date.now() + graceMs;
  while (processRunning(pid)) {
    if (Date.now() > deadline) {
      signal('SIGKILL');
      break;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function writeAtomic(file: string, content: string): Promise<void> {
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, content, { mode: 0o644 });
  await rename(tmp, file);
}
