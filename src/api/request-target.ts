import { BerthError } from '../errors/index.js';

/**
 * The request line's target, checked strictly: an origin-form path (`/tx/list?tx=x`) of URL path
 * characters, without empty, `.` or `..` segments (literal or percent-encoded), so a path means
 * exactly one route. Query parameters may appear once each. Its length is bounded before it gets
 * here: the HTTP parser counts the request line in the header limit (431).
 */
const PATH_CHARS = /^\/[A-Za-z0-9\-._~!$&'()*+,;=:@%/]*$/;

export interface RequestTarget {
  pathname: string;
  query: Record<string, string>;
}

function badPath(target: string, reason: string): BerthError {
  return new BerthError('INVALID_ARGUMENT', `Invalid request path ${JSON.stringify(target.slice(0, 80))}: ${reason}`);
}

export function parseRequestTarget(target: string): RequestTarget {
  const q = target.indexOf('?');
  const pathname = q === -1 ? target : target.slice(0, q);
  if (!PATH_CHARS.test(pathname)) throw badPath(target, 'expected an absolute path of URL characters');
  const segments = pathname.split('/').slice(1);
  if (pathname !== '/') {
    for (const s of segments) {
      if (s === '') throw badPath(target, 'empty path segment');
      if (/^(?:\.|%2e){1,2}$/i.test(s)) throw badPath(target, "'.' and '..' segments are not allowed");
    }
  }
  const query: Record<string, string> = {};
  const search = q === -1 ? '' : target.slice(q + 1);
  for (const part of search === '' ? [] : search.split('&')) {
    const eq = part.indexOf('=');
    let name: string;
    let value: string;
    try {
      name = decodeURIComponent((eq === -1 ? part : part.slice(0, eq)).replace(/\+/g, ' '));
      value = eq === -1 ? '' : decodeURIComponent(part.slice(eq + 1).replace(/\+/g, ' '));
    } catch {
      throw new BerthError('INVALID_ARGUMENT', `Invalid query ${JSON.stringify(search.slice(0, 80))}: bad percent-encoding`);
    }
    if (Object.hasOwn(query, name)) throw new BerthError('INVALID_ARGUMENT', `Query parameter '${name.slice(0, 40)}' is given more than once`);
    query[name] = value;
  }
  return { pathname, query };
}

/** Throws INVALID_ARGUMENT for a query parameter the route does not take. */
export function checkQueryNames(query: Record<string, string>, allowed: readonly string[]): void {
  for (const name of Object.keys(query)) {
    if (!allowed.includes(name)) {
      const hint = allowed.length === 0 ? 'this endpoint takes no query parameters' : `allowed: ${allowed.join(', ')}`;
      throw new BerthError('INVALID_ARGUMENT', `Unknown query parameter ${JSON.stringify(name.slice(0, 40))} (${hint})`);
    }
  }
}

/** `a,b` → `['a', 'b']`; an empty list is INVALID_ARGUMENT. */
export function commaList(value: string, name: string): string[] {
  if (value === '') throw new BerthError('INVALID_ARGUMENT', `Query parameter '${name}' must not be empty`);
  return value.split(',');
}
