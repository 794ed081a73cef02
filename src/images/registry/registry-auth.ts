import { createHash } from 'node:crypto';
import { BerthError } from '../../errors/index.js';
import { parseAuthChallenges } from './auth-challenge.js';
import { readBody, type HttpTransport } from './http-transport.js';
import type { Credential, CredentialLookup } from './registry-credentials.js';
import { tokenExpiry, type TokenCache } from './token-cache.js';

export interface RegistryAuthOptions {
  credentials: CredentialLookup;
  /** The upstream registry (`docker.io`, `host:port`): the fallback key for credentials. */
  registry: string;
  transport: HttpTransport;
  /** Bearer tokens by realm, service, scope and credential; its clock times their expiry. */
  cache: TokenCache;
  signal?: AbortSignal;
}

type HostScheme = { kind: 'basic' } | { kind: 'bearer'; realm: string; service: string | undefined };

const TOKEN_REPLY_LIMIT = 1 << 20;
/** The OAuth2 client id sent with refresh-token requests. */
const CLIENT_ID = 'berth';

/**
 * Authentication towards registry hosts, learnt from their 401 challenges: `Basic` is answered with
 * the user and password; `Bearer` with a token fetched from the challenge's realm (GET with
 * `service` and `scope`, basic credentials when berth has them; or an OAuth2 refresh-token POST for
 * an identity token) and cached per scope until it expires. Once a host has challenged, later
 * requests carry the authorization from the start.
 */
export class RegistryAuth {
  #options: RegistryAuthOptions;
  #hosts = new Map<string, HostScheme>();
  #inflight = new Map<string, Promise<string>>();
  /** Tokens a registry refused; never sent again. */
  #refused = new Set<string>();

  constructor(options: RegistryAuthOptions) {
    this.#options = options;
  }

  /** The Authorization header for `host` and `scope` (`repository:<name>:pull`), if the host asked for one. */
  async authorization(host: string, scope: string): Promise<string | undefined> {
    const scheme = this.#hosts.get(host);
    if (!scheme) return undefined;
    const credential = await this.#options.credentials.find(host, this.#options.registry);
    if (scheme.kind === 'basic') {
      if (credential?.kind !== 'password') return undefined;
      return 'Basic ' + Buffer.from(`${credential.username}:${credential.password}`).toString('base64');
    }
    return 'Bearer ' + (await this.#token(scheme, scope, credential));
  }

  /**
   * Learns from a 401 and its `WWW-Authenticate` header. When the refused request carried a bearer
   * token, that token is never used again, so the next `authorization()` fetches a fresh one.
   */
  challenged(host: string, header: string | string[] | undefined, refused: string | undefined): void {
    const challenges = parseAuthChallenges(header);
    const bearer = challenges.find((c) => c.scheme === 'bearer' && c.params.realm);
    if (refused?.startsWith('Bearer ')) this.#refused.add(refused.slice('Bearer '.length));
    if (bearer) {
      this.#hosts.set(host, { kind: 'bearer', realm: bearer.params.realm as string, service: bearer.params.service });
    } else if (challenges.some((c) => c.scheme === 'basic')) {
      this.#hosts.set(host, { kind: 'basic' });
    }
  }

  /** The error for a request that stayed unauthorized: what berth had, and where to configure it. */
  async refusal(host: string, what: string): Promise<BerthError> {
    const credential = await this.#options.credentials.find(host, this.#options.registry);
    if (!credential) {
      return new BerthError(
        'PERMISSION_DENIED',
        `Registry ${host} requires authentication for ${what} and berth has no credentials for it ` +
          `(settings.container-registry.credentials for '${host}' or '${this.#options.registry}', or docker's config.json)`,
        { details: { host } },
      );
    }
    return new BerthError('PERMISSION_DENIED', `Registry ${host} refused the credentials from ${credential.source} for ${what}`, {
      details: { host },
    });
  }

  async #token(scheme: Extract<HostScheme, { kind: 'bearer' }>, scope: string, credential: Credential | undefined): Promise<string> {
    // Tokens are kept per credential (hashed, so a changed password does not reuse an old token).
    const secret = !credential ? '' : credential.kind === 'password' ? `${credential.username}:${credential.password}` : credential.token;
    const who = !credential ? 'anonymous' : `${credential.kind}:${createHash('sha256').update(secret).digest('hex').slice(0, 16)}`;
    const key = [scheme.realm, scheme.service ?? '', scope, who].join('\0');
    const cached = this.#options.cache.get(key);
    if (cached !== undefined && !this.#refused.has(cached)) return cached;
    let running = this.#inflight.get(key);
    if (!running) {
      running = this.#fetchToken(scheme, scope, credential)
        .then(({ token, expiresAt }) => {
          this.#options.cache.set(key, { token, expiresAt });
          return token;
        })
        .finally(() => this.#inflight.delete(key));
      this.#inflight.set(key, running);
    }
    return running;
  }

  async #fetchToken(
    scheme: Extract<HostScheme, { kind: 'bearer' }>,
    scope: string,
    credential: Credential | undefined,
  ): Promise<{ token: string; expiresAt: number }> {
    let realm: URL;
    try {
      realm = new URL(scheme.realm);
    } catch {
      throw new BerthError('FAILED_PRECONDITION', `Registry token realm ${JSON.stringify(scheme.realm)} is not a URL`);
    }
    const headers: Record<string, string> = { accept: 'application/json' };
    let body: string | undefined;
    if (credential?.kind === 'identity-token') {
      // OAuth2 refresh-token grant, as docker and containerd do for an identity token.
      const form = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: credential.token, client_id: CLIENT_ID, scope });
      if (scheme.service) form.set('service', scheme.service);
      body = form.toString();
      headers['content-type'] = 'application/x-www-form-urlencoded';
    } else {
      if (scheme.service) realm.searchParams.set('service', scheme.service);
      realm.searchParams.append('scope', scope);
      if (credential) headers.authorization = 'Basic ' + Buffer.from(`${credential.username}:${credential.password}`).toString('base64');
    }
    const res = await this.#options.transport.request(realm, {
      method: body === undefined ? 'GET' : 'POST',
      headers,
      ...(body !== undefined ? { body } : {}),
      ...(this.#options.signal ? { signal: this.#options.signal } : {}),
    });
    const where = `${realm.origin}${realm.pathname}`;
    if (res.status !== 200) {
      res.body.resume();
      const details = { host: realm.host };
      if (res.status === 401 || res.status === 403) {
        const whose = credential ? `the credentials from ${credential.source}` : 'anonymous access';
        throw new BerthError('PERMISSION_DENIED', `Token server ${where} refused ${whose} for ${scope} (HTTP ${res.status})`, { details });
      }
      const code = res.status === 429 || res.status >= 500 ? 'UNAVAILABLE' : 'FAILED_PRECONDITION';
      throw new BerthError(code, `Token server ${where} answered HTTP ${res.status} for ${scope}`, { details });
    }
    const receivedAt = this.#options.cache.now();
    let reply: { token?: unknown; access_token?: unknown; expires_in?: unknown };
    try {
      reply = JSON.parse((await readBody(res, TOKEN_REPLY_LIMIT)).toString('utf8')) as typeof reply;
    } catch (err) {
      if (BerthError.is(err)) throw err;
      throw new BerthError('FAILED_PRECONDITION', `Token server ${where} sent invalid JSON`, { cause: err });
    }
    const token = typeof reply.access_token === 'string' && reply.access_token ? reply.access_token : reply.token;
    if (typeof token !== 'string' || token === '') {
      throw new BerthError('FAILED_PRECONDITION', `Token server ${where} sent no token for ${scope}`);
    }
    return { token, expiresAt: tokenExpiry(reply, receivedAt) };
  }
}
