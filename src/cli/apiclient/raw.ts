import { Option, type Command } from 'commander';
import { BerthError } from '../../errors/index.js';
import { errorFromResponse } from '../../apiclient/index.js';
import type { CommandContext } from './context.js';

/**
 * `apiclient raw -u URI [-m METHOD] [-d DATA]` (also the default command, as in Bottlerocket):
 * sends DATA as is and prints the reply body; a non-2xx reply is an error.
 */
export function registerRaw(program: Command, ctx: CommandContext): void {
  program
    .command('raw', { isDefault: true })
    .description('send a request to the API and print the reply (the default command)')
    .requiredOption('-u, --uri <uri>', 'request URI, e.g. /settings')
    .option('-m, --method <method>', 'HTTP method', 'GET')
    .addOption(new Option('-X <method>', 'same as --method').hideHelp())
    .option('-d, --data <data>', 'request body')
    .action(async (opts: { uri: string; method: string; X?: string; data?: string }, cmd: Command) => {
      const method = (opts.X ?? opts.method).toUpperCase();
      if (!/^[A-Z]{1,16}$/.test(method)) throw new BerthError('INVALID_ARGUMENT', `Invalid method '${method}'`);
      const res = await ctx.client(cmd).requestRaw(method, opts.uri, opts.data);
      const text = res.body.toString('utf8');
      if (res.status < 200 || res.status > 299) throw errorFromResponse(res.status, text);
      if (text !== '') ctx.io.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
    });
}
