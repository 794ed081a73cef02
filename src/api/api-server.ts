import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { Readable } from 'node:stream';
import { rm } from 'node:fs/promises';
import { BerthError } from '../errors/index.js';
import type { Datastore } from '../datastore/index.js';
import type { Logger } from '../lib/logger.js';
import { accessDenial, type ApiAccessControl, type RequestLine } from './api-access.js';
import { errorResponse } from './http-status.js';
import { parseJsonBody, readBody, tooLargeBody } from './request-body.js';
import { checkQueryNames, parseRequestTarget } from './request-target.js';
import { Router, type Route, type RouteResult } from './router.js';
import { settingsRoutes } from './settings-routes.js';
import { txRoutes } from './tx-routes.js';
import { prepareSocketPath, resolveGroupId, setSocketAccess } from './unix-socket.js';

/**
 * berth's API: HTTP/1.1 + JSON on a Unix socket, Bottlerocket's paths and semantics (docs/api.md).
 * Errors are `{code, message}` with the status of ./http-status.ts. The server only reads and
 * changes settings through the datastore; extra routes and an upgrade handler (exec) come from the
 * daemon, so this layer never touches containerd.
 */
export type ApiLogger = Pick<Logger, 'info' | 'warn' | 'error' | 'debug'>;

export interface ApiServerOptions {
  datastore: Datastore;
  /** Absolute path of the socket; its parent directory is created when missing. Required. */
  socketPath: string;
  /** Mode set after bind. Default 0o660. */
  socketMode?: number;
  /** Owner group set after bind: a gid or a group name. Optional. */
  socketGroup?: number | string;
  /** Where group names are looked up. Default `/etc/group`. */
  groupFile?: string;
  /** Largest request body in bytes; bigger ones get 413. Default 1 MiB. */
  bodyLimit?: number;
  logger?: ApiLogger;
  /** Extra routes, matched after the built-in ones. */
  routes?: readonly Route[];
  /**
   * Handlers of HTTP upgrade requests by path (e.g. `/exec`), each for GET only. The request target
   * is checked as for every route first; an upgrade of any other path gets 404.
   */
  upgrades?: Readonly<Record<string, (upgrade: { req: IncomingMessage; socket: Duplex; head: Buffer }) => void>>;
  /**
   * Who each caller is and where refusals are recorded (./api-access.ts); every request and upgrade
   * is checked before anything else. Optional; without it every caller has full access.
   */
  access?: ApiAccessControl;
}

export interface ApiServer {
  readonly socketPath: string;
  listen(): Promise<void>;
  close(): Promise<void>;
}

/** Request line and headers together (Node's parser counts both); nginx's default line limit. */
const HEADER_LIMIT = 8 * 1024;

const silent: ApiLogger = { info() {}, warn() {}, error() {}, debug() {} };

function send(res: ServerResponse, result: RouteResult): void {
  const { status, body } = result;
  if (body === undefined) {
    res.writeHead(status).end();
  } else if (typeof body === 'string' || Buffer.isBuffer(body)) {
    res.writeHead(status, { 'content-type': result.contentType ?? 'text/plain; charset=utf-8' }).end(body);
  } else if (body instanceof Readable) {
    res.writeHead(status, { 'content-type': result.contentType ?? 'text/plain; charset=utf-8' });
    body.on('error', () => res.destroy());
    res.on('close', () => body.destroy());
    body.pipe(res);
  } else {
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  }
}

/** An error reply written straight to a socket that has no ServerResponse (upgrades, parse errors). */
function endRaw(socket: Duplex, statusLine: string, body: { code: string; message: string }): void {
  const text = JSON.stringify(body);
  socket.end(`HTTP/1.1 ${statusLine}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(text)}\r\nconnection: close\r\n\r\n${text}`);
}

export function createApiServer(options: ApiServerOptions): ApiServer {
  const { datastore, socketPath } = options;
  const logger = options.logger ?? silent;
  const bodyLimit = options.bodyLimit ?? 1024 * 1024;
  const router = new Router();
  for (const route of [...settingsRoutes(datastore), ...txRoutes(datastore), ...(options.routes ?? [])]) router.add(route);

  /** Throws the PERMISSION_DENIED of a request the caller may not send, once it is recorded. */
  async function authorize(req: IncomingMessage, request: RequestLine): Promise<void> {
    if (!options.access) return;
    const caller = await options.access.callerOf(req.socket);
    const denial = accessDenial(caller, request);
    if (!denial) return;
    await options.access.refused(req.socket, caller, denial).catch((err: unknown) => logger.error({ err }, 'cannot record a refused api request'));
    throw denial;
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<RouteResult> {
    const method = req.method ?? 'GET';
    const { pathname, query } = parseRequestTarget(req.url ?? '');
    await authorize(req, { method, pathname });
    const match = router.match(method, pathname);
    if (match.kind === 'none') throw new BerthError('NOT_FOUND', `No such endpoint: ${method} ${pathname.slice(0, 100)}`);
    if (match.kind === 'wrong-method') {
      res.setHeader('allow', match.allowed.join(', '));
      const message = `Method ${method.slice(0, 20)} is not allowed on ${pathname} (allowed: ${match.allowed.join(', ')})`;
      return { status: 405, body: { code: 'INVALID_ARGUMENT', message } };
    }
    if (match.route.query !== undefined) checkQueryNames(query, match.route.query);
    const body = parseJsonBody(await readBody(req, { limit: bodyLimit }));
    return match.route.handler({ params: match.params, query, body, req });
  }

  const server = http.createServer({ maxHeaderSize: HEADER_LIMIT }, (req, res) => {
    handle(req, res).then(
      (result) => {
        logger.debug({ method: req.method, url: req.url, status: result.status }, 'api request');
        send(res, result);
      },
      (err: unknown) => {
        const { status, body } = errorResponse(err);
        if (status >= 500) logger.error({ err, method: req.method, url: req.url }, 'api request failed');
        else logger.debug({ method: req.method, url: req.url, status, code: body.code }, 'api request rejected');
        if (status === 413) res.setHeader('connection', 'close');
        if (res.headersSent) res.destroy();
        else send(res, { status, body });
      },
    );
  });
  // The peer is placed while its process surely still runs, before its pid could be reused.
  const access = options.access;
  if (access) server.on('connection', (socket: Socket) => void access.callerOf(socket).catch(() => undefined));
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    const refuse = (err: unknown) => {
      const { status, body } = errorResponse(err);
      endRaw(socket, `${status} ${http.STATUS_CODES[status] ?? ''}`, body);
    };
    let pathname: string;
    try {
      pathname = parseRequestTarget(req.url ?? '').pathname;
    } catch (err) {
      refuse(err);
      return;
    }
    authorize(req, { method: req.method ?? 'GET', pathname }).then(() => upgrade(req, { socket, head, pathname }), refuse);
  });

  function upgrade(req: IncomingMessage, { socket, head, pathname }: { socket: Duplex; head: Buffer; pathname: string }): void {
    const handler = options.upgrades?.[pathname];
    if (!handler) {
      endRaw(socket, '404 Not Found', { code: 'NOT_FOUND', message: `No upgrade endpoint: ${pathname.slice(0, 100)}` });
    } else if (req.method !== 'GET') {
      endRaw(socket, '405 Method Not Allowed', { code: 'INVALID_ARGUMENT', message: `Method ${String(req.method).slice(0, 20)} is not allowed on ${pathname} (allowed: GET)` });
    } else {
      handler({ req, socket, head });
    }
  }
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
    logger.debug({ err }, 'api client error');
    if (!socket.writable) {
      socket.destroy();
      return;
    }
    if (err.code === 'HPE_HEADER_OVERFLOW') {
      const message = `Request line and headers are larger than the limit of ${HEADER_LIMIT} bytes`;
      endRaw(socket, '431 Request Header Fields Too Large', { code: 'PAYLOAD_TOO_LARGE', message });
      return;
    }
    endRaw(socket, '400 Bad Request', { code: 'INVALID_ARGUMENT', message: `Malformed HTTP request (${err.code ?? err.message})` });
  });
  // A client that asks before sending a body (Expect: 100-continue) learns at once that it is too big.
  server.on('checkContinue', (req: IncomingMessage, res: ServerResponse) => {
    if (Number(req.headers['content-length'] ?? 0) > bodyLimit) {
      const { status, body } = errorResponse(tooLargeBody(bodyLimit));
      res.setHeader('connection', 'close');
      send(res, { status, body });
      return;
    }
    res.writeContinue();
    server.emit('request', req, res);
  });

  async function close(): Promise<void> {
    if (!server.listening) return;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
    await rm(socketPath, { force: true });
  }

  async function listen(): Promise<void> {
    await prepareSocketPath(socketPath);
    const gid = options.socketGroup === undefined ? undefined : await resolveGroupId(options.socketGroup, { groupFile: options.groupFile ?? '/etc/group' });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(socketPath, () => {
        server.off('error', reject);
        resolve();
      });
    });
    try {
      await setSocketAccess(socketPath, { mode: options.socketMode ?? 0o660, ...(gid === undefined ? {} : { gid }) });
    } catch (err) {
      await close();
      throw new BerthError('FAILED_PRECONDITION', `Cannot set the group and mode of '${socketPath}': ${(err as Error).message}`, { cause: err });
    }
    logger.info({ socket: socketPath }, 'api listening');
  }

  return { socketPath, listen, close };
}
