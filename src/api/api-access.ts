import type { Socket } from 'node:net';
import { BerthError } from '../errors/index.js';
import type { ApiAccess } from '../model/index.js';

/**
 * Who may send which request (`host-containers.<name>.api-access`). The daemon says who the caller
 * is; the decision itself is a pure function of the caller's level and the request line.
 */
export type ApiCaller =
  /** Outside any host container: full access, as on Bottlerocket. */
  | { kind: 'host' }
  | { kind: 'container'; name: string; access: ApiAccess }
  /** A peer berth cannot place (its process is gone): refused, or leaving a container would be a way out. */
  | { kind: 'unidentified'; why: string };

/** A request as access sees it: the method and the path without its query. An exec session is `GET /exec`. */
export interface RequestLine {
  method: string;
  pathname: string;
}

/** How the server learns who is at the other end of a connection, and records what it refused. */
export interface ApiAccessControl {
  /** Asked once as the connection opens, then for each request on it (the level may have changed). */
  callerOf(socket: Socket): Promise<ApiCaller>;
  /** Awaited before the 403 goes out, so the record exists once the caller learns of the refusal. */
  refused(socket: Socket, caller: ApiCaller, error: BerthError): Promise<void>;
}

/** GETs that are not reads: an exec session runs commands in a container. */
const NOT_READS: ReadonlySet<string> = new Set(['/exec']);

export function mayCall(access: ApiAccess, request: RequestLine): boolean {
  switch (access) {
    case 'admin':
      return true;
    case 'read-only':
      return request.method === 'GET' && !NOT_READS.has(request.pathname);
    case 'none':
      return false;
  }
}

/** The PERMISSION_DENIED to answer `request` with, or undefined when the caller may send it. */
export function accessDenial(caller: ApiCaller, request: RequestLine): BerthError | undefined {
  if (caller.kind === 'host') return undefined;
  if (caller.kind === 'container' && mayCall(caller.access, request)) return undefined;
  const who = caller.kind === 'container' ? `Host container '${caller.name}' has api-access ${caller.access}` : `Cannot identify the caller (${caller.why})`;
  return new BerthError('PERMISSION_DENIED', `${who}: ${request.method.slice(0, 20)} ${request.pathname.slice(0, 100)} is not allowed`, {
    details: caller.kind === 'container' ? { container: caller.name, access: caller.access } : {},
  });
}
