import { BerthError, messageOf } from '../../errors/index.js';
import type { Logger } from '../../lib/logger.js';
import type { RegistryImageReference } from '../../model/index.js';
import { isNotTls, type HttpResponse, type HttpTransport } from './http-transport.js';
import type { RegistryAuth } from './registry-auth.js';
import type { RegistryEndpoint } from './registry-endpoints.js';
import { isTransient } from './registry-retry.js';

export interface RegistrySessionOptions {
  ref: RegistryImageReference;
  /** In the order they are tried: mirrors, then the registry. */
  endpoints: readonly RegistryEndpoint[];
  auth: RegistryAuth;
  transport: HttpTransport;
  logger: Logger;
  signal?: AbortSignal;
}

export interface SessionResponse {
  res: HttpResponse;
  endpoint: RegistryEndpoint;
}

/**
 * One repository's view of a registry and its mirrors. Each GET goes to the endpoint that answered
 * last, then to the others in order: a mirror that fails in any way is skipped; the registry's own
 * definite answers (404, 401 after authentication) are final. When every endpoint failed for a
 * reason a retry may fix, the error is UNAVAILABLE and lists the hosts tried (`details.hosts`).
 */
export class RegistrySession {
  readonly ref: RegistryImageReference;
  /** The token scope of a pull of this repository. */
  readonly scope: string;
  readonly endpoints: readonly RegistryEndpoint[];
  #options: RegistrySessionOptions;
  #preferred = 0;
  /** Loopback endpoints found to speak plain http. */
  #plainHttp = new Set<string>();

  constructor(options: RegistrySessionOptions) {
    this.#options = options;
    this.ref = options.ref;
    this.endpoints = options.endpoints;
    this.scope = `repository:${options.ref.repository}:pull`;
  }

  /** `<api root>/<repository>/<path>` from the first endpoint that serves it; 2xx only. */
  async get(path: string, options: { headers?: Record<string, string>; what: string }): Promise<SessionResponse> {
    const order = [this.#preferred, ...this.endpoints.keys()].filter((v, i, all) => all.indexOf(v) === i);
    const failures: Array<{ endpoint: RegistryEndpoint; error: unknown }> = [];
    for (const i of order) {
      const endpoint = this.endpoints[i] as RegistryEndpoint;
      try {
        const res = await this.#getFrom(endpoint, path, options);
        this.#preferred = i;
        return { res, endpoint };
      } catch (err) {
        if (BerthError.is(err) && err.code === 'CANCELED') throw err;
        failures.push({ endpoint, error: err });
        if (endpoint.mirror) {
          this.#options.logger.debug({ mirror: endpoint.base, err: messageOf(err) }, 'registry mirror failed, trying the next endpoint');
          continue;
        }
        if (!isTransient(err)) throw err;
      }
    }
    const hosts = failures.map((f) => f.endpoint.host);
    const reasons = failures.map((f) => `${this.baseOf(f.endpoint)}: ${messageOf(f.error)}`).join('; ');
    throw new BerthError('UNAVAILABLE', `No endpoint of registry ${this.ref.registry} could serve ${options.what} (${reasons})`, {
      cause: failures.at(-1)?.error,
      details: { hosts },
    });
  }

  /** The API root used for an endpoint (`http://` once a loopback registry turned out not to speak TLS). */
  baseOf(endpoint: RegistryEndpoint): string {
    return this.#plainHttp.has(endpoint.base) ? endpoint.base.replace(/^https:/, 'http:') : endpoint.base;
  }

  async #getFrom(endpoint: RegistryEndpoint, path: string, options: { headers?: Record<string, string>; what: string }): Promise<HttpResponse> {
    const { auth, transport, signal } = this.#options;
    const what = `${options.what} of ${this.ref.repository}`;
    let sent = await auth.authorization(endpoint.host, this.scope);
    let reauthenticated = false;
    for (;;) {
      const url = new URL(`${this.baseOf(endpoint)}/${this.ref.repository}/${path}`);
      let res: HttpResponse;
      try {
        res = await transport.request(url, {
          headers: { ...options.headers, ...(sent !== undefined ? { authorization: sent } : {}) },
          ...(signal ? { signal } : {}),
        });
      } catch (err) {
        if (isNotTls(err) && endpoint.httpFallback && !this.#plainHttp.has(endpoint.base)) {
          this.#plainHttp.add(endpoint.base);
          continue;
        }
        throw err;
      }
      if (res.status === 401) {
        res.body.resume();
        if (!reauthenticated) {
          reauthenticated = true;
          auth.challenged(endpoint.host, res.headers['www-authenticate'], sent);
          const next = await auth.authorization(endpoint.host, this.scope);
          if (next !== undefined && next !== sent) {
            sent = next;
            continue;
          }
        }
        throw await auth.refusal(endpoint.host, what);
      }
      if (res.status >= 200 && res.status < 300) return res;
      res.body.resume();
      throw statusError(res.status, { host: endpoint.host, what });
    }
  }
}

/** A registry's non-2xx answer as a BerthError: 404 NOT_FOUND, 403 PERMISSION_DENIED, 429/5xx UNAVAILABLE. */
export function statusError(status: number, options: { host: string; what: string }): BerthError {
  const details = { host: options.host, status };
  if (status === 404) return new BerthError('NOT_FOUND', `Registry ${options.host} has no ${options.what} (HTTP 404)`, { details });
  if (status === 403) return new BerthError('PERMISSION_DENIED', `Registry ${options.host} denied access to ${options.what} (HTTP 403)`, { details });
  if (status === 429 || status >= 500) {
    return new BerthError('UNAVAILABLE', `Registry ${options.host} answered HTTP ${status} for ${options.what}`, { details });
  }
  return new BerthError('FAILED_PRECONDITION', `Registry ${options.host} answered HTTP ${status} for ${options.what}`, { details });
}
