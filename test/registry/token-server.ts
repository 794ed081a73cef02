import { createPrivateKey, randomBytes, sign, X509Certificate } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CertPair } from './tls-material.js';

export interface TokenServerOptions {
  /** Signs the tokens; the registry trusts it through `rootcertbundle`. */
  signer: CertPair;
  issuer: string;
  service: string;
  /** Users allowed to pull (and push), by password. */
  users: Record<string, string>;
  /** OAuth2 refresh tokens (identity tokens) accepted by POST, mapped to a user. */
  refreshTokens?: Record<string, string>;
  /** Lifetime given in `expires_in`. Default 300. */
  expiresIn?: number;
}

export interface TokenRequest {
  method: string;
  /** The user who authenticated (basic or refresh token); undefined for anonymous. */
  user?: string;
  scopes: string[];
  service?: string;
  grantType?: string;
  status: number;
}

type Access = { type: string; name: string; actions: string[] };

const b64url = (data: Buffer | string) => Buffer.from(data).toString('base64url');

/**
 * A token server for the registry's `auth.token` (the distribution token spec): GET with
 * `service` and `scope` (basic credentials optional), or an OAuth2 `refresh_token` POST. It mints
 * RS256 JWTs whose header carries the signing certificate in `x5c`. Anonymous requests are refused,
 * so a pull without credentials fails. Every request is recorded.
 */
export class TokenServer {
  readonly requests: TokenRequest[] = [];
  #server: http.Server;
  #options: TokenServerOptions;

  private constructor(server: http.Server, options: TokenServerOptions) {
    this.#server = server;
    this.#options = options;
  }

  static async start(options: TokenServerOptions): Promise<TokenServer> {
    const server = http.createServer();
    const ts = new TokenServer(server, options);
    server.on('request', (req, res) => void ts.#handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return ts;
  }

  get realm(): string {
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}/token`;
  }

  /** A token granting `access` (used to push test images with skopeo). */
  mint(access: Access[], subject = 'tester'): string {
    const o = this.#options;
    const der = new X509Certificate(o.signer.certPem).raw;
    const now = Math.floor(Date.now() / 1000);
    const header = b64url(JSON.stringify({ typ: 'JWT', alg: 'RS256', x5c: [der.toString('base64')] }));
    const claims = b64url(
      JSON.stringify({ iss: o.issuer, sub: subject, aud: o.service, exp: now + (o.expiresIn ?? 300), nbf: now - 10, iat: now, jti: randomBytes(8).toString('hex'), access }),
    );
    const signature = sign('sha256', Buffer.from(`${header}.${claims}`), createPrivateKey(o.signer.keyPem));
    return `${header}.${claims}.${b64url(signature)}`;
  }

  close(): Promise<void> {
    this.#server.closeAllConnections();
    return new Promise((resolve) => this.#server.close(() => resolve()));
  }

  async #handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://token');
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
    const record: TokenRequest = { method: req.method ?? '', scopes: [], status: 0 };
    let user: string | undefined;
    let ok = false;
    if (req.method === 'POST') {
      record.grantType = form.get('grant_type') ?? '';
      record.scopes = form.getAll('scope').flatMap((s) => s.split(' '));
      record.service = form.get('service') ?? undefined;
      const owner = this.#options.refreshTokens?.[form.get('refresh_token') ?? ''];
      if (record.grantType === 'refresh_token' && owner) [user, ok] = [owner, true];
    } else {
      record.scopes = url.searchParams.getAll('scope');
      record.service = url.searchParams.get('service') ?? undefined;
      const basic = /^Basic (.+)$/.exec(req.headers.authorization ?? '');
      if (basic) {
        const [name, password] = Buffer.from(basic[1] as string, 'base64').toString('utf8').split(':');
        if (name !== undefined && this.#options.users[name] === password) [user, ok] = [name, true];
      }
    }
    if (user) record.user = user;
    if (!ok || record.service !== this.#options.service) {
      record.status = 401;
      this.requests.push(record);
      res.writeHead(401, { 'content-type': 'application/json' }).end('{"errors":[{"code":"UNAUTHORIZED"}]}');
      return;
    }
    const access: Access[] = record.scopes
      .map((s) => s.split(':'))
      .filter((p) => p.length === 3 && p[0] === 'repository')
      .map(([type, name, actions]) => ({ type: type as string, name: name as string, actions: (actions as string).split(',').filter((a) => a === 'pull' || a === 'push') }));
    const token = this.mint(access, user);
    record.status = 200;
    this.requests.push(record);
    const field = req.method === 'POST' ? 'access_token' : 'token';
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ [field]: token, expires_in: this.#options.expiresIn ?? 300, issued_at: new Date().toISOString() }));
  }
}
