import { BerthError } from '../errors/index.js';
import type { Route } from '../api/index.js';
import { followFile } from '../lib/follow-file.js';

/**
 * `GET <collection>/NAME/logs[?follow=true]`: a container's log file (the rotated one first),
 * optionally followed; `check` throws NOT_FOUND for a container that does not exist.
 */
export function logsRoute(collection: string, options: { check: (name: string) => unknown; logFileOf: (name: string) => string }): Route {
  return {
    method: 'GET',
    path: `${collection}/:name/logs`,
    query: ['follow'],
    handler: async ({ params, query }) => {
      const name = params['name'] as string;
      options.check(name);
      const follow = query['follow'];
      if (follow !== undefined && follow !== 'true' && follow !== 'false') {
        throw new BerthError('INVALID_ARGUMENT', `Invalid query 'follow': expected true or false, got '${follow.slice(0, 40)}'`);
      }
      const file = options.logFileOf(name);
      return { status: 200, body: followFile(file, { follow: follow === 'true', rotated: [`${file}.1`] }) };
    },
  };
}
