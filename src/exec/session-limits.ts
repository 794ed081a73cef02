import { BerthError } from '../errors/index.js';

export interface SessionLimitsOptions {
  /** Sessions open at once into one host container. */
  perTarget: number;
  /** Sessions open at once in all. */
  total: number;
}

/** Default bounds: enough for people and scripts, far below what would starve berthd. */
export const DEFAULT_SESSION_LIMITS: SessionLimitsOptions = { perTarget: 32, total: 64 };

/**
 * Counts open exec sessions per target and in total. A session holds its place from Initialize
 * until its process is gone and released.
 */
export class SessionLimits {
  #options: SessionLimitsOptions;
  #byTarget = new Map<string, number>();
  #total = 0;

  constructor(options: SessionLimitsOptions = DEFAULT_SESSION_LIMITS) {
    this.#options = options;
  }

  get open(): number {
    return this.#total;
  }

  /** Takes a place for `target` and returns the function that gives it back; UNAVAILABLE when full. */
  acquire(target: string): () => void {
    const here = this.#byTarget.get(target) ?? 0;
    if (this.#total >= this.#options.total) {
      throw new BerthError('UNAVAILABLE', `Too many exec sessions open (limit ${this.#options.total}); try again when one has ended`);
    }
    if (here >= this.#options.perTarget) {
      throw new BerthError('UNAVAILABLE', `Too many exec sessions open into '${target}' (limit ${this.#options.perTarget}); try again when one has ended`);
    }
    this.#byTarget.set(target, here + 1);
    this.#total++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#total--;
      const left = (this.#byTarget.get(target) ?? 1) - 1;
      if (left === 0) this.#byTarget.delete(target);
      else this.#byTarget.set(target, left);
    };
  }
}
