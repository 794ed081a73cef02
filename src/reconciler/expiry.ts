import type { Settings } from '../model/index.js';

/** Whether an `enabled-until` time has passed at `now`: the one definition berth uses. */
export function expired(enabledUntil: string | undefined, now: Date): boolean {
  return enabledUntil !== undefined && Date.parse(enabledUntil) <= now.getTime();
}

export interface ExpiryPlan {
  /** Enabled containers whose `enabled-until` has passed: to disable now. */
  expired: string[];
  /** The next `enabled-until` still ahead, if any. */
  next?: Date;
}

/**
 * Time-limited break-glass: which enabled host containers are past their `enabled-until`, and when
 * the next one will be. Pure; the daemon's BreakGlassExpiry commits the result and sets the timer.
 */
export function expiryPlan(settings: Settings, now: Date): ExpiryPlan {
  const out: ExpiryPlan = { expired: [] };
  for (const [name, hc] of Object.entries(settings['host-containers'] ?? {})) {
    const until = hc['enabled-until'];
    if (!hc.enabled || until === undefined) continue;
    const at = Date.parse(until);
    if (Number.isNaN(at)) continue; // validated on the way in; a corrupted store is not ours to fix here
    if (expired(until, now)) out.expired.push(name);
    else if (!out.next || at < out.next.getTime()) out.next = new Date(at);
  }
  out.expired.sort();
  return out;
}
