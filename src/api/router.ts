import type { IncomingMessage } from 'node:http';
import { BerthError } from '../errors/index.js';

/**
 * Routes of the API: a method, a path pattern whose `:name` segments capture one segment each, and
 * an async handler. Built-in and extra routes (the daemon's status, logs, audit…) share this shape.
 */
export interface RouteContext {
  /** Decoded `:name` segments of the path. */
  params: Record<string, string>;
  /** Query parameters (each at most once). */
  query: Record<string, string>;
  /** The parsed JSON body; undefined when the request had none. */
  body: unknown;
  req: IncomingMessage;
}

export interface RouteResult {
  status: number;
  /** undefined → no body; a string, Buffer or stream → sent as is; anything else → JSON. */
  body?: unknown;
  /** Content type for string, Buffer and stream bodies. Default `text/plain; charset=utf-8`. */
  contentType?: string;
}

export interface Route {
  method: string;
  /** `/host-containers/:name`: literal segments and `:param` segments. */
  path: string;
  /** Query parameters the route accepts; others are rejected with 400. Undefined accepts any. */
  query?: readonly string[];
  handler(ctx: RouteContext): Promise<RouteResult>;
}


export type RouteMatch =
  | { kind: 'found'; route: Route; params: Record<string, string> }
  | { kind: 'wrong-method'; allowed: string[] }
  | { kind: 'none' };

function matchPath(pattern: string[], segments: string[]): Record<string, string> | null {
  if (pattern.length !== segments.length) return null;
  const params: Record<string, string> = {};
  for (const [i, p] of pattern.entries()) {
    const s = segments[i]!;
    if (p.startsWith(':')) {
      if (s === '') return null;
      try {
        params[p.slice(1)] = decodeURIComponent(s);
      } catch {
        throw new BerthError('INVALID_ARGUMENT', `Invalid path segment '${s.slice(0, 60)}': bad percent-encoding`);
      }
    } else if (p !== s) {
      return null;
    }
  }
  return params;
}

export class Router {
  readonly #routes: Array<{ route: Route; pattern: string[] }> = [];

  add(route: Route): void {
    this.#routes.push({ route, pattern: route.path.split('/') });
  }

  match(method: string, pathname: string): RouteMatch {
    const segments = pathname.split('/');
    const allowed: string[] = [];
    for (const { route, pattern } of this.#routes) {
      const params = matchPath(pattern, segments);
      if (params === null) continue;
      if (route.method === method) return { kind: 'found', route, params };
      allowed.push(route.method);
    }
    return allowed.length > 0 ? { kind: 'wrong-method', allowed } : { kind: 'none' };
  }
}
