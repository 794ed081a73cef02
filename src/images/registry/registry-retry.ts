import { BerthError } from '../../errors/index.js';
import { backoffDelay } from '../../lib/backoff.js';

/** How often and how patiently a registry operation is retried. Every field has a default. */
export interface RetryPolicy {
  /** Tries in all, the first included. Default 6 (host-ctr's five retries). */
  attempts?: number;
  /** Delay before the first retry, in ms. Default 1000. */
  baseMs?: number;
  /** Longest delay between tries, in ms. Default 30 000. */
  maxMs?: number;
  /** Fraction of each delay that is random (see lib/backoff). Default 0.5. */
  jitter?: number;
}

export interface RetryHooks {
  /** Called before each wait. */
  onRetry?: (info: { attempt: number; delayMs: number; error: unknown }) => void;
  signal?: AbortSignal;
  /** Waits `ms`; replaced in unit tests. Default a timer that the signal cancels. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/**
 * What a retry may fix: the registry or a connection being down (UNAVAILABLE, which covers
 * connection refused/reset, timeouts, 5xx and 429) or slow (DEADLINE_EXCEEDED). A 401 after
 * authentication, a 404 or a digest mismatch will not change by asking again.
 */
export function isTransient(err: unknown): boolean {
  return BerthError.is(err) && (err.code === 'UNAVAILABLE' || err.code === 'DEADLINE_EXCEEDED');
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new BerthError('CANCELED', 'Pull was canceled'));
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(new BerthError('CANCELED', 'Pull was canceled'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Runs `fn`, retrying transient failures with exponential backoff and jitter; rethrows the last error. */
export async function withRetries<T>(fn: (attempt: number) => Promise<T>, policy: RetryPolicy = {}, hooks: RetryHooks = {}): Promise<T> {
  const attempts = Math.max(1, policy.attempts ?? 6);
  const wait = hooks.sleep ?? sleep;
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (err) {
      if (!isTransient(err) || attempt + 1 >= attempts || hooks.signal?.aborted) throw err;
      const delayMs = backoffDelay(attempt, {
        baseMs: policy.baseMs ?? 1000,
        maxMs: policy.maxMs ?? 30_000,
        jitter: policy.jitter ?? 0.5,
      });
      hooks.onRetry?.({ attempt: attempt + 1, delayMs, error: err });
      await wait(delayMs, hooks.signal);
    }
  }
}
