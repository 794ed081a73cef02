import http from 'node:http';
import https from 'node:https';
import { rootCertificates } from 'node:tls';
import { BerthError } from '../../errors/index.js';
import { isLoopbackHost } from './registry-endpoints.js';

export interface HttpResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** The body; read it, or call `resume()`/`destroy()` to release the connection. */
  body: http.IncomingMessage;
  /** The URL that answered (after redirects). */
  url: URL;
}

export interface HttpRequestOptions {
  /** Default GET. */
  method?: 'GET' | 'HEAD' | 'POST';
  /** Header names in lower case. */
  headers?: Record<string, string>;
  body?: string | Buffer;
  signal?: AbortSignal;
}

export interface HttpTransportOptions {
  /** CA certificates (PEM) trusted in addition to the system's, e.g. a private registry's. Optional. */
  ca?: string | Buffer;
  /** Longest wait for a connection, a response or the next bytes of a body, in ms. Default 30 000. */
  idleTimeoutMs?: number;
  /** Redirects followed per request. Default 5. */
  maxRedirects?: number;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const TLS_TRUST_ERRORS = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/**
 * HTTP(S) for registry traffic over Node's own http/https, with keep-alive agents, an idle timeout,
 * extra CAs, and redirects followed by hand: `Authorization` is dropped when a redirect leaves the
 * origin (blob downloads are often redirected to object storage), and plain http is allowed only to
 * loopback hosts. Failures become BerthErrors: UNAVAILABLE for what a retry may fix (connection
 * refused or reset, timeouts), FAILED_PRECONDITION for TLS trouble, CANCELED when aborted.
 */
export class HttpTransport {
  #http: http.Agent;
  #https: https.Agent;
  #idleMs: number;
  #maxRedirects: number;

  constructor(options: HttpTransportOptions = {}) {
    this.#http = new http.Agent({ keepAlive: true });
    this.#https = new https.Agent({ keepAlive: true, ...(options.ca ? { ca: [...rootCertificates, options.ca.toString()] } : {}) });
    this.#idleMs = options.idleTimeoutMs ?? 30_000;
    this.#maxRedirects = options.maxRedirects ?? 5;
  }

  async request(url: URL, options: HttpRequestOptions = {}): Promise<HttpResponse> {
    let current = url;
    let method = options.method ?? 'GET';
    let body = options.body;
    const headers = { ...options.headers };
    for (let hop = 0; ; hop++) {
      checkScheme(current);
      const res = await this.#once(current, { method, headers, body, signal: options.signal });
      const location = res.headers.location;
      if (!REDIRECTS.has(res.status) || !location) return res;
      res.body.resume();
      if (hop >= this.#maxRedirects) {
        throw new BerthError('FAILED_PRECONDITION', `Too many redirects from ${url.href} (more than ${this.#maxRedirects})`, { details: { host: url.host } });
      }
      const next = new URL(location, current);
      if (next.origin !== current.origin) delete headers.authorization;
      if (res.status === 303) {
        method = 'GET';
        body = undefined;
      }
      current = next;
    }
  }

  #once(url: URL, options: HttpRequestOptions): Promise<HttpResponse> {
    const secure = url.protocol === 'https:';
    const send = secure ? https.request : http.request;
    return new Promise((resolve, reject) => {
      const req = send(url, {
        method: options.method ?? 'GET',
        headers: { 'user-agent': 'berth', ...options.headers, ...(options.body !== undefined ? { 'content-length': String(Buffer.byteLength(options.body)) } : {}) },
        agent: secure ? this.#https : this.#http,
        ...(options.signal ? { signal: options.signal } : {}),
      });
      req.setTimeout(this.#idleMs, () => {
        req.destroy(Object.assign(new Error(`no answer for ${this.#idleMs} ms`), { code: 'ETIMEDOUT' }));
      });
      req.on('error', (err) => reject(transportError(err, url)));
      req.on('response', (res) => {
        // Errors of the body (a connection that breaks mid-download) surface on the body stream.
        res.on('error', () => undefined);
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: res, url });
      });
      req.end(options.body);
    });
  }

  /** Closes pooled connections. */
  close(): void {
    this.#http.destroy();
    this.#https.destroy();
  }
}

function checkScheme(url: URL): void {
  if (url.protocol === 'https:') return;
  if (url.protocol === 'http:' && isLoopbackHost(url.host)) return;
  throw new BerthError('FAILED_PRECONDITION', `Refusing ${url.protocol}//${url.host}: plain http is used only for loopback hosts`, {
    details: { host: url.host },
  });
}

/** Maps a socket or TLS error to a BerthError naming the host. */
export function transportError(err: unknown, url: URL): BerthError {
  if (BerthError.is(err)) return err;
  const e = err as NodeJS.ErrnoException;
  const details = { host: url.host };
  if (e?.name === 'AbortError') return new BerthError('CANCELED', `Request to ${url.host} was canceled`, { cause: err, details });
  const code = e?.code ?? '';
  if (TLS_TRUST_ERRORS.has(code)) {
    return new BerthError(
      'FAILED_PRECONDITION',
      `TLS certificate of ${url.host} is not trusted (${code}); add its CA certificate with the caFile option`,
      { cause: err, details },
    );
  }
  if (code === 'EPROTO' || code.startsWith('ERR_SSL_')) {
    return new BerthError('FAILED_PRECONDITION', `${url.host} does not speak TLS (${code})`, {
      cause: err,
      details: { ...details, notTls: true },
    });
  }
  return new BerthError('UNAVAILABLE', `Cannot reach ${url.host}: ${code || e?.message || String(err)}`, { cause: err, details });
}

/** Whether an error says the server answered TLS with something else (plain http). */
export function isNotTls(err: unknown): boolean {
  return BerthError.is(err) && err.details?.notTls === true;
}

/** Reads a whole (small) body, refusing more than `limit` bytes. A broken connection is UNAVAILABLE. */
export async function readBody(res: HttpResponse, limit: number): Promise<Buffer> {
  const declared = Number(res.headers['content-length'] ?? NaN);
  if (declared > limit) {
    res.body.destroy();
    throw new BerthError('PAYLOAD_TOO_LARGE', `Response from ${res.url.host} is too large (${declared} bytes, limit ${limit})`);
  }
  const chunks: Buffer[] = [];
  let length = 0;
  try {
    for await (const chunk of res.body as AsyncIterable<Buffer>) {
      length += chunk.length;
      if (length > limit) {
        res.body.destroy();
        throw new BerthError('PAYLOAD_TOO_LARGE', `Response from ${res.url.host} is larger than ${limit} bytes`);
      }
      chunks.push(chunk);
    }
  } catch (err) {
    throw transportError(err, res.url);
  }
  return Buffer.concat(chunks);
}
