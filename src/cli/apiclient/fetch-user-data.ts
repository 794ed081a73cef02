import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import tls from 'node:tls';
import { statusLine } from '../../apiclient/index.js';
import { BerthError } from '../../errors/index.js';

/**
 * User data from a URL, as Bottlerocket's `apiclient apply` takes it. https is checked against Node's
 * bundled CAs, the system's and NODE_EXTRA_CA_CERTS. Plain http goes only to a loopback address,
 * where nothing on the way can change the settings it carries. Redirects are not followed (a 3xx is
 * refused like any other non-2xx reply): the URL given is the one trusted.
 */
export interface FetchUserDataOptions {
  /** Largest body accepted, in bytes. Required. */
  limit: number;
  /** Time for the whole exchange, in milliseconds. Default 30 000. */
  timeoutMs?: number;
  /** Called with the reply's status line, for `apiclient -v`. Optional. */
  onStatus?: (line: string) => void;
}

/** `localhost`, 127.0.0.0/8 and ::1, as `URL` spells hosts (lower case, IPv6 in brackets). */
export function isLoopbackHost(hostname: string): boolean {
  return hostname === 'localhost' || isLoopbackAddress(hostname.replace(/^\[(.*)\]$/, '$1'));
}

function isLoopbackAddress(address: string): boolean {
  if (net.isIPv4(address)) return address.startsWith('127.');
  // `URL` and the resolver both write ::1 compressed.
  return address === '::1';
}

/** Resolves as usual, but refuses a name (`localhost`) that does not lead only to loopback addresses. */
const loopbackLookup: net.LookupFunction = (hostname, options, callback) => {
  dns.lookup(hostname, { ...options, all: true }, (err, addresses) => {
    if (err) return callback(err, '');
    const outside = addresses.find((a) => !isLoopbackAddress(a.address));
    if (outside !== undefined) return callback(Object.assign(new Error(`${hostname} resolves to ${outside.address}, not a loopback address`), { code: 'ENOTLOOPBACK' }), '');
    if (options.all) return callback(null, addresses);
    return callback(null, addresses[0]!.address, addresses[0]!.family);
  });
};

function trustedCertificates(): string[] {
  return [...new Set([...tls.getCACertificates('default'), ...tls.getCACertificates('system')])];
}

type Failure = (code: 'INVALID_ARGUMENT' | 'UNAVAILABLE' | 'DEADLINE_EXCEEDED' | 'PAYLOAD_TOO_LARGE', reason: string) => BerthError;

function checkedUrl(source: string, fail: Failure): URL {
  let url: URL;
  try {
    url = new URL(source);
  } catch {
    throw fail('INVALID_ARGUMENT', 'not a valid URL');
  }
  if (url.protocol === 'https:') return url;
  if (url.protocol !== 'http:') throw fail('INVALID_ARGUMENT', `only https:// (and http:// to a loopback address) can be fetched, not ${url.protocol}//`);
  if (!isLoopbackHost(url.hostname)) throw fail('INVALID_ARGUMENT', 'http:// is allowed only to a loopback address (127.0.0.0/8, ::1, localhost): use https://');
  return url;
}

function download(url: URL, { limit, timeoutMs = 30_000, onStatus, fail }: FetchUserDataOptions & { fail: Failure }): Promise<string> {
  const tooLarge = fail('PAYLOAD_TOO_LARGE', `the user data is larger than the limit of ${limit} bytes`);
  return new Promise((resolve, reject) => {
    const options = url.protocol === 'https:' ? { ca: trustedCertificates() } : { lookup: loopbackLookup };
    const get = url.protocol === 'https:' ? https.get : http.get;
    const req = get(url, { ...options, agent: false }, (res) => {
      onStatus?.(statusLine(res));
      const status = res.statusCode ?? 0;
      if (status < 200 || status > 299) {
        reject(fail('UNAVAILABLE', `the server answered ${status} ${res.statusMessage ?? ''}`.trimEnd()));
        return req.destroy();
      }
      if (Number(res.headers['content-length'] ?? 0) > limit) {
        reject(tooLarge);
        return req.destroy();
      }
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > limit) {
          reject(tooLarge);
          req.destroy();
        } else chunks.push(chunk);
      });
      res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
      res.on('error', (err) => reject(fail('UNAVAILABLE', err.message)));
    });
    const timer = setTimeout(() => {
      reject(fail('DEADLINE_EXCEEDED', `no complete reply within ${timeoutMs} ms`));
      req.destroy();
    }, timeoutMs);
    req.on('close', () => clearTimeout(timer));
    // Node adds "; if the root CA is installed locally, try --use-system-ca" to TLS errors: the system's CAs are already trusted here.
    req.on('error', (err) => reject(fail('UNAVAILABLE', err.message.split(';')[0]!)));
  });
}

/** The body at `source` as text; throws a BerthError naming the URL and what went wrong. */
export async function fetchUserData(source: string, options: FetchUserDataOptions): Promise<string> {
  const fail: Failure = (code, reason) => new BerthError(code, `Cannot apply '${source}': ${reason}`);
  return download(checkedUrl(source, fail), { ...options, fail });
}
