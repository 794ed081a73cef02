import http from 'node:http';
import net from 'node:net';
import { BerthError } from '../errors/index.js';
import type { JsonObject, Settings } from '../model/index.js';
import { connectionError, errorFromResponse } from './api-error.js';

/**
 * A client of berth's API over its Unix socket (docs/api.md), used by the `apiclient` CLI and the
 * tests. `request()` sends JSON and returns the parsed reply; non-2xx replies throw a BerthError with
 * the server's code and message. The typed helpers add the query strings.
 */
export interface ApiClientOptions {
  /** The API socket. Required. */
  socketPath: string;
  /** Per-request timeout in milliseconds. Default 30 000. */
  timeoutMs?: number;
  /** Called with the status line (`HTTP/1.1 200 OK`) of each response, for `apiclient -v`. Optional. */
  onStatus?: (line: string) => void;
}

/** A response's status line as it came over the wire, for verbose output. */
export function statusLine(res: http.IncomingMessage): string {
  return `HTTP/${res.httpVersion} ${res.statusCode ?? 0} ${res.statusMessage ?? ''}`.trimEnd();
}

export interface ApiResponse {
  status: number;
  contentType: string;
  body: Buffer;
}

export interface TxOptions {
  /** Transaction name. Default: the server's `default`. */
  tx?: string;
}

function withQuery(path: string, params: Record<string, string | undefined>): string {
  const parts = Object.entries(params)
    .filter((e): e is [string, string] => e[1] !== undefined)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`);
  return parts.length === 0 ? path : `${path}?${parts.join('&')}`;
}

export class ApiClient {
  readonly socketPath: string;
  readonly #timeoutMs: number;
  readonly #onStatus: ((line: string) => void) | undefined;

  /**
   * Where requests go: straight to the Unix socket, without an http.Agent. An agent would work out a
   * TLS server name for every request (compiling Node's IPv6 pattern, 5 ms of a CLI's start) and
   * keep sockets alive that a one-shot client never reuses.
   */
  #target(): http.RequestOptions {
    return { createConnection: () => net.createConnection({ path: this.socketPath }) };
  }

  constructor({ socketPath, timeoutMs = 30_000, onStatus }: ApiClientOptions) {
    this.socketPath = socketPath;
    this.#timeoutMs = timeoutMs;
    this.#onStatus = onStatus;
  }

  /** Sends `body` as is (no JSON encoding) and returns the reply whatever its status. */
  requestRaw(method: string, uri: string, body?: string | Buffer): Promise<ApiResponse> {
    if (!uri.startsWith('/')) return Promise.reject(new BerthError('INVALID_ARGUMENT', `Invalid URI '${uri}': it must start with '/'`));
    return new Promise((resolve, reject) => {
      const headers: Record<string, string | number> = { accept: 'application/json' };
      if (body !== undefined) {
        headers['content-type'] = 'application/json';
        headers['content-length'] = Buffer.byteLength(body);
      }
      const req = http.request({ ...this.#target(), method: method.toUpperCase(), path: uri, headers, timeout: this.#timeoutMs }, (res) => {
        this.#onStatus?.(statusLine(res));
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, contentType: String(res.headers['content-type'] ?? ''), body: Buffer.concat(chunks) }),
        );
      });
      req.on('timeout', () => req.destroy(new BerthError('DEADLINE_EXCEEDED', `No reply from the berth API within ${this.#timeoutMs} ms`)));
      req.on('error', (err: NodeJS.ErrnoException) => reject(BerthError.is(err) ? err : connectionError(err, this.socketPath)));
      req.end(body);
    });
  }

  /**
   * GET a body that may never end (`logs -f`): a 2xx body is passed to `onChunk` as it arrives
   * (no timeout); any other reply is collected and returned for the caller to turn into an error.
   */
  stream(method: string, uri: string, onChunk: (chunk: Buffer) => void): Promise<ApiResponse> {
    if (!uri.startsWith('/')) return Promise.reject(new BerthError('INVALID_ARGUMENT', `Invalid URI '${uri}': it must start with '/'`));
    return new Promise((resolve, reject) => {
      const req = http.request({ ...this.#target(), method, path: uri, headers: { accept: '*/*' } }, (res) => {
        this.#onStatus?.(statusLine(res));
        const ok = (res.statusCode ?? 0) >= 200 && (res.statusCode ?? 0) < 300;
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => (ok ? onChunk(c) : chunks.push(c)));
        res.on('error', reject);
        res.on('end', () => resolve({ status: res.statusCode ?? 0, contentType: String(res.headers['content-type'] ?? ''), body: Buffer.concat(chunks) }));
      });
      req.on('error', (err: NodeJS.ErrnoException) => reject(BerthError.is(err) ? err : connectionError(err, this.socketPath)));
      req.end();
    });
  }

  /** Sends `body` as JSON; returns the parsed JSON reply (text for non-JSON, undefined for none). */
  async request<T = unknown>(method: string, uri: string, body?: unknown): Promise<T> {
    const res = await this.requestRaw(method, uri, body === undefined ? undefined : JSON.stringify(body));
    const text = res.body.toString('utf8');
    if (res.status < 200 || res.status > 299) throw errorFromResponse(res.status, text);
    if (text === '') return undefined as T;
    if (!res.contentType.startsWith('application/json')) return text as T;
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new BerthError('INTERNAL', `The berth API sent invalid JSON for ${method} ${uri}`);
    }
  }

  /** `GET /` — `{settings}`, optionally only keys starting with `prefix`. */
  getModel(prefix?: string): Promise<{ settings: Settings }> {
    return this.request('GET', withQuery('/', { prefix }));
  }

  getSettings({ keys, prefix }: { keys?: readonly string[]; prefix?: string } = {}): Promise<Settings> {
    return this.request('GET', withQuery('/settings', { keys: keys?.join(','), prefix }));
  }

  async patchSettings(settings: unknown, { tx }: TxOptions = {}): Promise<void> {
    await this.request('PATCH', withQuery('/settings', { tx }), settings);
  }

  async patchKeypairs(pairs: readonly string[], { tx }: TxOptions = {}): Promise<void> {
    await this.request('PATCH', withQuery('/settings/keypair', { tx }), { request_payload: pairs });
  }

  getTransaction({ tx }: TxOptions = {}): Promise<JsonObject> {
    return this.request('GET', withQuery('/tx', { tx }));
  }

  deleteTransaction({ tx }: TxOptions = {}): Promise<string[]> {
    return this.request('DELETE', withQuery('/tx', { tx }));
  }

  listTransactions(): Promise<string[]> {
    return this.request('GET', '/tx/list');
  }

  commit({ tx }: TxOptions = {}): Promise<string[]> {
    return this.request('POST', withQuery('/tx/commit', { tx }));
  }

  async apply(keys?: readonly string[]): Promise<void> {
    await this.request('POST', withQuery('/tx/apply', { keys: keys?.join(',') }));
  }

  commitAndApply({ tx }: TxOptions = {}): Promise<string[]> {
    return this.request('POST', withQuery('/tx/commit_and_apply', { tx }));
  }
}
