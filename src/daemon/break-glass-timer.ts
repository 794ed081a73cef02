import type { AuditLog } from '../audit/audit-log.js';
import type { Datastore } from '../datastore/index.js';
import { messageOf } from '../errors/index.js';
import type { Logger } from '../lib/logger.js';
import { expiryPlan } from '../reconciler/expiry.js';

/** Longest single wait: re-check at least this often (clock changes, setTimeout's 24-day limit). */
const MAX_WAIT_MS = 60 * 60 * 1000;
const TX = 'berth-expiry';

/**
 * Enforces `enabled-until`: when it passes, berth itself commits `enabled=false` (and clears the
 * deadline, so a later plain enable is not cut short by a stale one), which makes the reconciler stop
 * the container, and records the expiry in the audit log. Expiries that passed while berthd was down
 * are applied at start.
 */
export class BreakGlassTimer {
  #datastore: Datastore;
  #audit: AuditLog;
  #log: Logger;
  #timer: NodeJS.Timeout | undefined;
  #stopped = false;
  #running: Promise<void> = Promise.resolve();

  constructor(options: { datastore: Datastore; audit: AuditLog; logger: Logger }) {
    this.#datastore = options.datastore;
    this.#audit = options.audit;
    this.#log = options.logger.child({ component: 'break-glass' });
  }

  /** Applies what has expired and arms the timer for the next deadline. */
  check(): Promise<void> {
    this.#running = this.#running.then(() => this.#check()).catch((err) => this.#log.error({ err: messageOf(err) }, 'expiry check failed'));
    return this.#running;
  }

  async #check(): Promise<void> {
    if (this.#stopped) return;
    clearTimeout(this.#timer);
    const now = new Date();
    const plan = expiryPlan(this.#datastore.live(), now);
    if (plan.expired.length > 0) {
      const patch = Object.fromEntries(plan.expired.map((n) => [n, { enabled: false, 'enabled-until': null }]));
      const until = Object.fromEntries(plan.expired.map((n) => [n, this.#datastore.live()['host-containers']?.[n]?.['enabled-until']]));
      await this.#datastore.patch(TX, { 'host-containers': patch });
      await this.#datastore.commit(TX);
      for (const name of plan.expired) {
        this.#log.info({ container: name, enabledUntil: until[name] }, 'break-glass time is up: container disabled');
        await this.#audit.append({ event: 'break-glass-expired', target: name, reason: `enabled-until ${until[name]} passed` });
      }
    }
    if (plan.next && !this.#stopped) {
      const wait = Math.min(MAX_WAIT_MS, Math.max(0, plan.next.getTime() - Date.now()) + 50);
      this.#timer = setTimeout(() => void this.check(), wait);
      this.#timer.unref();
    }
  }

  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#timer);
  }
}
