import type { Settings } from '../model/index.js';
import { messageOf } from '../errors/index.js';
import { Backoff, type BackoffOptions } from '../lib/backoff.js';
import type { Logger } from '../lib/logger.js';
import { decodeUserData, desiredHostContainers } from './desired.js';
import { isContainerStep, plan } from './plan.js';
import type { PullRetry, RuntimePort } from './runtime-port.js';
import { pullRetryMessage } from './pull-retry-message.js';
import type { ContainerState, ContainerStatus, ExitReason } from './status.js';
import type { StatusStore } from './status-store.js';
import type { ActualContainer, ActualState, DesiredContainer, DesiredState, Step } from './types.js';
import { WorkQueue, type HandlerResult } from './work-queue.js';

export interface ControllerOptions {
  runtime: RuntimePort;
  /** The effective live settings, read fresh on every reconcile. */
  settings: () => Settings;
  logger: Logger;
  /** Where each container's status is published, as it changes. */
  statuses: StatusStore;
  /** SIGTERM → SIGKILL grace when stopping a container. Default 20 s. */
  stopGraceMs?: number;
  /** Restart pacing after a container exits. Default 1 s doubling to 5 min, reset after 60 s of running. */
  restartBackoff?: BackoffOptions & { resetAfterMs?: number };
  /** Full resync period (drift repair). Default 15 s. */
  resyncMs?: number;
  now?: () => Date;
}

interface Record {
  name: string;
  backoff: Backoff;
  restarts: number;
  nextStartAt?: number;
  lastExit?: { code: number; at: Date | undefined; reason?: ExitReason };
  state: ContainerState;
  since: Date;
  error?: string;
  pid?: number;
  imageDigest?: string;
}

/**
 * Keeps host containers as the settings want them. Level-triggered: every run for a name reads the
 * settings and host-containerd afresh and applies plan(); events and setting changes only say which
 * name to look at.
 */
export class HostContainerController {
  #runtime: RuntimePort;
  #settings: () => Settings;
  #log: Logger;
  #graceMs: number;
  #restartBackoff: BackoffOptions & { resetAfterMs?: number };
  #resyncMs: number;
  #now: () => Date;
  #queue: WorkQueue;
  #statuses: StatusStore;
  #started = false;
  #records = new Map<string, Record>();
  #watch: { close(): void } | undefined;
  #resync: NodeJS.Timeout | undefined;

  constructor(options: ControllerOptions) {
    this.#runtime = options.runtime;
    this.#settings = options.settings;
    this.#log = options.logger.child({ component: 'reconciler' });
    this.#graceMs = options.stopGraceMs ?? 20_000;
    this.#restartBackoff = options.restartBackoff ?? { baseMs: 1000, maxMs: 300_000, resetAfterMs: 60_000 };
    this.#resyncMs = options.resyncMs ?? 15_000;
    this.#now = options.now ?? (() => new Date());
    this.#statuses = options.statuses;
    this.#queue = new WorkQueue({
      handler: (name) => this.#reconcile(name),
      onError: (name, err, retryInMs) => {
        const r = this.#record(name);
        r.error = messageOf(err);
        this.#setState(r, 'failed');
        this.#log.error({ container: name, err: r.error, retryInMs }, 'reconcile failed');
      },
    });
    // Status is readable before the first reconcile, and while a failed boot holds it back.
    for (const name of Object.keys(this.#settings()['host-containers'] ?? {})) this.#publish(name);
  }

  /** Adopts what runs, starts what should run, and keeps watching. */
  async start(): Promise<void> {
    this.#started = true;
    this.#watch = this.#runtime.watch((name, kind) => {
      if (kind === 'host') this.#queue.add(name);
    });
    await this.resyncAll();
    this.#resync = setInterval(() => void this.resyncAll().catch((err) => this.#log.warn({ err: messageOf(err) }, 'resync failed')), this.#resyncMs);
    this.#resync.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.#resync);
    this.#watch?.close();
    await this.#queue.stop();
  }

  /** Queues every name berth knows of: in settings, in host-containerd, with storage. */
  async resyncAll(): Promise<void> {
    const names = new Set(Object.keys(this.#settings()['host-containers'] ?? {}));
    for (const c of await this.#runtime.list()) if (c.kind === 'host') names.add(c.name);
    for (const n of await this.#runtime.storedNames('host')) names.add(n);
    for (const n of names) this.#queue.add(n);
  }

  /**
   * Called with the keys a commit changed: the status of the containers they touch is published at
   * once, and, once started, only those containers are looked at.
   */
  settingsChanged(keys: readonly string[]): void {
    const names = new Set<string>();
    for (const key of keys) {
      const parts = key.replace(/^settings\./, '').split('.');
      if (parts[0] === 'host-containers' && parts[1]) {
        names.add(parts[1]);
        this.#publish(parts[1]);
      } else if (parts[0] === 'container-registry') for (const n of Object.keys(this.#settings()['host-containers'] ?? {})) names.add(n);
    }
    if (this.#started) for (const n of names) this.#queue.add(n);
  }

  /** Waits until no reconcile is queued or running (tests, shutdown). */
  idle(): Promise<void> {
    return this.#queue.idle();
  }

  /** Writes `name`'s status to the store, or removes it when berth no longer knows the container. */
  #publish(name: string): void {
    const status = this.#statusOf(name);
    if (status) this.#statuses.set(status);
    else this.#statuses.delete(name);
  }

  #statusOf(name: string): ContainerStatus | undefined {
    const s = this.#settings()['host-containers']?.[name];
    const r = this.#records.get(name);
    if (!s && !r) return undefined;
    const state = r?.state ?? (s?.enabled ? 'pending' : 'disabled');
    const before = this.#statuses.get(name);
    const out: ContainerStatus = {
      name,
      kind: 'host',
      desired: { enabled: s?.enabled ?? false, superpowered: s?.superpowered ?? false, source: s?.source },
      state,
      restarts: r?.restarts ?? 0,
      since: r?.since.toISOString() ?? (before?.state === state ? before.since : this.#now().toISOString()),
    };
    if (s?.['enabled-until']) out.desired.enabledUntil = s['enabled-until'];
    if (r?.pid !== undefined && r.state === 'running') out.pid = r.pid;
    if (r?.imageDigest) out.imageDigest = r.imageDigest;
    if (r?.lastExit) out.lastExit = { code: r.lastExit.code, at: r.lastExit.at?.toISOString(), ...(r.lastExit.reason ? { reason: r.lastExit.reason } : {}) };
    if (r?.error) out.error = r.error;
    if (r?.nextStartAt !== undefined) out.nextRestartAt = new Date(r.nextStartAt).toISOString();
    return out;
  }

  #record(name: string): Record {
    let r = this.#records.get(name);
    if (!r) {
      r = { name, backoff: new Backoff(this.#restartBackoff), restarts: 0, state: 'pending', since: this.#now() };
      this.#records.set(name, r);
    }
    return r;
  }

  /** Sets the state and publishes the record with it (the other fields change on the way to a state). */
  #setState(r: Record, state: ContainerState): void {
    if (r.state !== state) {
      r.state = state;
      r.since = this.#now();
    }
    this.#publish(r.name);
  }

  async #reconcile(name: string): Promise<HandlerResult> {
    try {
      return await this.#reconcileOnce(name);
    } finally {
      this.#publish(name);
    }
  }

  async #reconcileOnce(name: string): Promise<HandlerResult> {
    const now = this.#now();
    const settings = this.#settings();
    const desired: DesiredState = {
      container: desiredHostContainers(settings, now).get(name),
      userData: decodeUserData(name, settings['host-containers']?.[name]?.['user-data']),
    };
    const r = this.#record(name);
    const actual: ActualState = { container: await this.#runtime.inspect(name, 'host'), userDataDigest: await this.#runtime.userDataDigest(name, 'host') };
    if (actual.container?.imageDigest) r.imageDigest = actual.container.imageDigest;
    const p = plan(desired, actual);
    if (p.steps.length > 0) {
      const pacing = this.#pace(r, actual.container, p.steps, now.getTime());
      if (pacing !== undefined) return { requeueAfterMs: pacing };
      this.#log.info({ container: name, steps: p.steps, reason: p.reason }, 'reconciling');
      for (const step of p.steps) await this.#execute(step, r, desired);
    }
    if (!p.steps.some(isContainerStep)) this.#settle(r, actual.container, settings);
    else if (!desired.container) {
      r.error = undefined;
      r.backoff.reset();
      r.nextStartAt = undefined;
      this.#setState(r, this.#idleState(settings, name));
    }
    return {};
  }

  /** The state of a container the plan leaves as it is. */
  #settle(r: Record, actual: ActualContainer | undefined, settings: Settings): void {
    r.error = undefined;
    if (actual?.task === 'running' || actual?.task === 'paused') {
      r.pid = actual.pid;
      this.#setState(r, 'running');
    } else if (!settings['host-containers']?.[r.name]) {
      this.#records.delete(r.name); // gone from settings and from host-containerd: forget it
    } else {
      this.#setState(r, this.#idleState(settings, r.name));
    }
  }

  async #execute(step: Step, r: Record, desired: DesiredState): Promise<void> {
    const name = r.name;
    switch (step) {
      case 'write-user-data':
        await this.#runtime.writeUserData(name, 'host', desired.userData as Buffer); // planned only when set
        break;
      case 'remove-user-data':
        await this.#runtime.removeUserData(name, 'host');
        break;
      case 'stop': {
        this.#setState(r, 'stopping');
        const exit = await this.#runtime.stop(name, 'host', { graceMs: this.#graceMs });
        if (exit) r.lastExit = { code: exit.exitCode, at: exit.exitedAt };
        break;
      }
      case 'remove':
        await this.#runtime.remove(name, 'host');
        r.pid = undefined;
        this.#setState(r, 'stopped');
        break;
      case 'create': {
        const container = desired.container as DesiredContainer;
        this.#setState(r, 'starting');
        const onPullRetry = (retry: PullRetry) => {
          r.error = pullRetryMessage(container.source, retry, this.#now());
          this.#setState(r, 'pulling'); // the puller logs each retry
        };
        r.imageDigest = (await this.#runtime.create(container, { onPullRetry })).imageDigest;
        this.#setState(r, 'starting');
        break;
      }
      case 'start': {
        this.#setState(r, 'starting');
        r.pid = (await this.#runtime.start(name, 'host')).pid;
        r.nextStartAt = undefined;
        r.error = undefined;
        r.backoff.started(this.#now().getTime());
        this.#setState(r, 'running');
        this.#log.info({ container: name, pid: r.pid }, 'container running');
        break;
      }
    }
  }

  /** Why an existing setting runs nothing: disabled, past its enabled-until, or without a source. */
  #idleState(settings: Settings, name: string): ContainerState {
    const s = settings['host-containers']?.[name];
    if (!s?.enabled) return 'disabled';
    if (!s.source) return 'no-source';
    return 'expired';
  }

  /**
   * Restarting a container that exited waits out its backoff; returns the wait in ms, or undefined
   * when the steps may run now. A fresh create is never delayed.
   */
  #pace(r: Record, actual: ActualContainer | undefined, steps: readonly Step[], now: number): number | undefined {
    // A start without a create restarts the container there is; user data written with it waits too.
    const restart = steps.includes('start') && !steps.includes('create') && actual && (actual.task === 'stopped' || actual.task === 'none');
    if (!restart) return undefined;
    if (r.nextStartAt === undefined) {
      const delay = r.backoff.failed(now);
      r.nextStartAt = now + delay;
      r.restarts++;
      if (actual.exitCode !== undefined) r.lastExit = { code: actual.exitCode, at: actual.exitedAt, ...(actual.oomKilled ? { reason: 'oom-killed' as const } : {}) };
      this.#setState(r, 'restarting');
      this.#log.warn({ container: actual.name, exitCode: actual.exitCode, oomKilled: actual.oomKilled, restartInMs: delay }, 'container exited; restarting');
    }
    return r.nextStartAt > now ? r.nextStartAt - now : undefined;
  }
}
