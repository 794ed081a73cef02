/** A bearer token and when berth stops using it. */
export interface CachedToken {
  token: string;
  /** Epoch ms after which the token is fetched again. */
  expiresAt: number;
}

/** Lifetime the distribution spec assumes when a token server gives none. */
export const DEFAULT_TOKEN_SECONDS = 60;
/** Tokens are renewed up to this long before they run out, so a request does not race the expiry. */
const EXPIRY_MARGIN_MS = 5_000;

/**
 * When a token from a token-server reply (`expires_in`, seconds) stops being used, given the time
 * it arrived: its lifetime less a margin of at most 5 s (a tenth of the lifetime for short ones).
 */
export function tokenExpiry(reply: { expires_in?: unknown }, receivedAt: number): number {
  const given = reply.expires_in;
  const seconds = typeof given === 'number' && Number.isFinite(given) && given > 0 ? given : DEFAULT_TOKEN_SECONDS;
  const lifetime = seconds * 1000;
  return receivedAt + lifetime - Math.min(EXPIRY_MARGIN_MS, lifetime / 10);
}

/**
 * Bearer tokens by key (token realm, service, scope and credential). Shared between pulls when the
 * caller passes one cache to several; tokens are dropped once they expire.
 */
export class TokenCache {
  #tokens = new Map<string, CachedToken>();
  #now: () => number;

  constructor(options: { now?: () => number } = {}) {
    this.#now = options.now ?? Date.now;
  }

  /** The cache's clock (epoch ms); token expiry is computed with it. */
  now(): number {
    return this.#now();
  }

  get(key: string): string | undefined {
    const found = this.#tokens.get(key);
    if (!found) return undefined;
    if (found.expiresAt <= this.#now()) {
      this.#tokens.delete(key);
      return undefined;
    }
    return found.token;
  }

  set(key: string, token: CachedToken): void {
    this.#tokens.set(key, token);
  }

  /** Forgets a token the registry refused (revoked, or issued for too narrow a scope). */
  delete(key: string): void {
    this.#tokens.delete(key);
  }

  get size(): number {
    return this.#tokens.size;
  }
}
