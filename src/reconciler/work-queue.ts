import { backoffDelay, type BackoffOptions } from '../lib/backoff.js';

/** What a handler asks for after a successful run. */
export interface HandlerResult {
  /** Run this key again after this many ms (polling, restart pacing). */
  requeueAfterMs?: number;
}

export type Handler = (key: string) => Promise<HandlerResult | void>;

export interface WorkQueueOptions {
  handler: Handler;
  /** Keys processed at once (never the same key twice at once). Default 2. */
  concurrency?: number;
  /** Per-key retry backoff after a handler error. Default 500 ms doubling to 60 s, with jitter. */
  retry?: BackoffOptions;
  /** Called with every handler error (the queue retries it). */
  onError?: (key: string, err: unknown, retryInMs: number) => void;
  timers?: { setTimeout: typeof setTimeout; clearTimeout: typeof clearTimeout };
}

/**
 * A keyed work queue in controller-runtime's manner: a key carries no event, only "look at this
 * again"; adding a key that is already queued is a no-op; a key being processed is re-run once it
 * finishes; a failing key is retried with its own exponential backoff, reset by a success.
 */
export class WorkQueue {
  #handler: Handler;
  #concurrency: number;
  #retry: BackoffOptions;
  #onError: WorkQueueOptions['onError'];
  #timers: NonNullable<WorkQueueOptions['timers']>;
  #queue: string[] = [];
  #queued = new Set<string>();
  #active = new Set<string>();
  #dirty = new Set<string>();
  #delayed = new Map<string, { at: number; timer: ReturnType<typeof setTimeout> }>();
  #failures = new Map<string, number>();
  #running = 0;
  #stopped = false;
  #idleWaiters: Array<() => void> = [];

  constructor(options: WorkQueueOptions) {
    this.#handler = options.handler;
    this.#concurrency = options.concurrency ?? 2;
    this.#retry = options.retry ?? { baseMs: 500, maxMs: 60_000 };
    this.#onError = options.onError;
    this.#timers = options.timers ?? { setTimeout, clearTimeout };
  }

  /** Queue the key now (cancelling any later run planned for it). */
  add(key: string): void {
    if (this.#stopped) return;
    this.#cancelDelayed(key);
    if (this.#active.has(key)) {
      this.#dirty.add(key);
      return;
    }
    if (this.#queued.has(key)) return;
    this.#queued.add(key);
    this.#queue.push(key);
    this.#pump();
  }

  /** Queue the key after `ms`, unless an earlier run is already planned. */
  addAfter(key: string, ms: number): void {
    if (this.#stopped) return;
    if (ms <= 0) return this.add(key);
    const at = Date.now() + ms;
    const existing = this.#delayed.get(key);
    if (existing && existing.at <= at) return;
    this.#cancelDelayed(key);
    const timer = this.#timers.setTimeout(() => {
      this.#delayed.delete(key);
      this.add(key);
    }, ms);
    (timer as { unref?: () => void }).unref?.();
    this.#delayed.set(key, { at, timer });
  }

  /** Keys waiting or running, and keys with a run planned later. */
  get pending(): { queued: string[]; active: string[]; delayed: string[] } {
    return { queued: [...this.#queue], active: [...this.#active], delayed: [...this.#delayed.keys()] };
  }

  /** Resolves when nothing is queued or running (planned later runs do not count). */
  idle(): Promise<void> {
    if (this.#running === 0 && this.#queue.length === 0) return Promise.resolve();
    return new Promise((r) => this.#idleWaiters.push(r));
  }

  /** Stops taking work, cancels planned runs, waits for running handlers. */
  async stop(): Promise<void> {
    this.#stopped = true;
    for (const key of [...this.#delayed.keys()]) this.#cancelDelayed(key);
    this.#queue = [];
    this.#queued.clear();
    await this.idle();
  }

  #cancelDelayed(key: string): void {
    const d = this.#delayed.get(key);
    if (d) {
      this.#timers.clearTimeout(d.timer);
      this.#delayed.delete(key);
    }
  }

  #pump(): void {
    while (!this.#stopped && this.#running < this.#concurrency) {
      const index = this.#queue.findIndex((k) => !this.#active.has(k));
      if (index < 0) break;
      const [key] = this.#queue.splice(index, 1) as [string];
      this.#queued.delete(key);
      this.#active.add(key);
      this.#running++;
      void this.#process(key);
    }
    if (this.#running === 0 && this.#queue.length === 0) {
      for (const w of this.#idleWaiters.splice(0)) w();
    }
  }

  async #process(key: string): Promise<void> {
    let next: number | undefined;
    try {
      const result = await this.#handler(key);
      this.#failures.delete(key);
      next = result?.requeueAfterMs;
    } catch (err) {
      const attempt = this.#failures.get(key) ?? 0;
      this.#failures.set(key, attempt + 1);
      next = backoffDelay(attempt, this.#retry);
      this.#onError?.(key, err, next);
    } finally {
      this.#active.delete(key);
      this.#running--;
    }
    if (this.#dirty.delete(key)) this.add(key);
    else if (next !== undefined) this.addAfter(key, next);
    this.#pump();
  }
}
