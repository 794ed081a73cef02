import type { AuditLog } from '../audit/audit-log.js';
import type { Datastore } from '../datastore/index.js';
import { messageOf } from '../errors/index.js';
import type { Logger } from '../lib/logger.js';
import { expiryPlan } from '../reconciler/expiry.js';

/** Longest single wait: re-check at least this often (clock changes, setTimeout's 24-day limit). */
const MAX_WAIT_MS = 60 * 60 * 1000;
const TX = 'berth-expiry';
/** The settings that move a deadline: a container enabled or disabled, or its `enabled-until`. */
const DEADLINE_KEY = /^(settings\.)?host-containers\.[^.]+\.(enabled|enabled-until)$/;

/**
 * The one owner of `enabled-until`: it watches the settings for deadlines, keeps one timer for the
 * next, and when one passes commits `enabled=false` (clearing the deadline, so a later plain enable
 * is not cut short by a stale one) and records the expiry in the audit log. The reconciler then
 * stops the container like any disabled one. Expiries that passed while berthd was down are applied
 * at start.
 */
export class BreakGlassExpiry {
  #datastore: Datastore;
  #audit: AuditLog;
  #log: Logger;
  #timer: NodeJS.Timeout | undefined;
  #unsubscribe = (): void => undefined;
  #stopped = false;
  #running: Promise<void> = Promise.resolve();

  constructor(options: { datastore: Datastore; audit: AuditLog; logger: Logger }) {
    this.#datastore = options.datastore;
    this.#audit = options.audit;
    this.#log = options.logger.child({ component: 'break-glass' });
  }

  /** Applies what has expired, then follows the settings for new deadlines. */
  async start(): Promise<void> {
    await this.#queueCheck();
    this.#unsubscribe = this.#datastore.subscribe((keys) => {
      if (keys.some((k) => DEADLINE_KEY.test(k))) void this.#queueCheck();
    });
  }

  stop(): void {
    this.#stopped = true;
    this.#unsubscribe();
    clearTimeout(this.#timer);
  }

  /** Checks are serialised: two at once would commit the same expiry twice. */
  #queueCheck(): Promise<void> {
    this.#running = this.#running.then(() => this.#check()).catch((err) => this.#log.error({ err: messageOf(err) }, 'expiry check failed'));
    return this.#running;
  }

  /** Applies what has expired and arms the timer for the next deadline. */
  async #check(): Promise<void> {
    if (this.#stopped) return;
    clearTimeout(this.#timer);
    const plan = expiryPlan(this.#datastore.live(), new Date());
    if (plan.expired.length > 0) await this.#disable(plan.expired);
    if (plan.next && !this.#stopped) {
      const wait = Math.min(MAX_WAIT_MS, Math.max(0, plan.next.getTime() - Date.now()) + 50);
      this.#timer = setTimeout(() => void this.#queueCheck(), wait);
      this.#timer.unref();
    }
  }

  async #disable(names: readonly string[]): Promise<void> {
    const until = Object.fromEntries(names.map((n) => [n, this.#datastore.live()['host-containers']?.[n]?.['enabled-until']]));
    const patch = Object.fromEntries(names.map((n) => [n, { enabled: false, 'enabled-until': null }]));
    await this.#datastore.patch(TX, { 'host-containers': patch });
    await this.#datastore.commit(TX);
    for (const name of names) {
      this.#log.info({ container: name, enabledUntil: until[name] }, 'break-glass time is up: container disabled');
      await this.#audit.append({ event: 'break-glass-expired', target: name, reason: `enabled-until ${until[name]} passed` });
    }
  }
}
