/** Options of an exponential backoff. Every field has a default. */
export interface BackoffOptions {
  /** Delay before the first retry, in ms. Default 1000. */
  baseMs?: number;
  /** Upper bound of the delay, in ms. Default 30000. */
  maxMs?: number;
  /** Growth per attempt. Default 2. */
  factor?: number;
  /** Fraction of the delay randomised (0 = none, 0.5 = ±25 %). Default 0.5. */
  jitter?: number;
  /** Source of randomness in [0, 1). Default Math.random. */
  random?: () => number;
}

/** Delay before retry number `attempt` (0-based): base·factor^attempt, capped, with jitter. */
export function backoffDelay(attempt: number, options: BackoffOptions = {}): number {
  const base = options.baseMs ?? 1000;
  const max = options.maxMs ?? 30_000;
  const factor = options.factor ?? 2;
  const jitter = options.jitter ?? 0.5;
  const random = options.random ?? Math.random;
  if (!Number.isInteger(attempt) || attempt < 0) {
    throw new RangeError(`Cannot compute backoff as 'attempt' must be a non-negative integer: current value is ${attempt}`);
  }
  const raw = Math.min(max, base * Math.pow(factor, attempt));
  const spread = raw * jitter;
  return Math.max(0, Math.round(raw - spread / 2 + random() * spread));
}

/**
 * Tracks consecutive failures of one thing (a daemon, a container) and resets after it has been
 * stable for `resetAfterMs`.
 */
export class Backoff {
  #options: BackoffOptions;
  #resetAfterMs: number;
  #attempt = 0;
  #stableSince: number | undefined;

  constructor(options: BackoffOptions & { resetAfterMs?: number } = {}) {
    this.#options = options;
    this.#resetAfterMs = options.resetAfterMs ?? 60_000;
  }

  /** Number of failures counted since the last reset. */
  get attempts(): number {
    return this.#attempt;
  }

  /** Records that the thing is running as of `now`. */
  started(now: number): void {
    this.#stableSince = now;
  }

  /** Records a failure at `now` and returns how long to wait before the next try. */
  failed(now: number): number {
    if (this.#stableSince !== undefined && now - this.#stableSince >= this.#resetAfterMs) this.#attempt = 0;
    this.#stableSince = undefined;
    const delay = backoffDelay(this.#attempt, this.#options);
    this.#attempt++;
    return delay;
  }

  reset(): void {
    this.#attempt = 0;
    this.#stableSince = undefined;
  }
}
