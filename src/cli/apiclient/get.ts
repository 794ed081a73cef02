import type { Command } from 'commander';
import { BerthError } from '../../errors/index.js';
import { mergeSettings, type Settings } from '../../model/index.js';
import type { CommandContext } from './context.js';

/**
 * `apiclient get [PREFIX…]`: all settings, or those whose keys start with any PREFIX (`settings.`
 * optional), merged, as `{"settings": {…}}`. `apiclient get /URI` prints what that URI returns.
 */
export function registerGet(program: Command, ctx: CommandContext): void {
  program
    .command('get')
    .description('print settings, all or those under each PREFIX; or GET a /URI')
    .argument('[prefix...]', 'key prefixes such as settings.host-containers.admin, or one /URI')
    .action(async (prefixes: string[], _opts: unknown, cmd: Command) => {
      const client = ctx.client(cmd);
      if (prefixes.some((p) => p.startsWith('/'))) {
        if (prefixes.length !== 1) throw new BerthError('INVALID_ARGUMENT', 'get takes either one /URI or key prefixes, not both');
        ctx.printJson(await client.request('GET', prefixes[0]!));
        return;
      }
      if (prefixes.length === 0) {
        ctx.printJson(await client.getModel());
        return;
      }
      let settings: Settings = {};
      for (const prefix of prefixes) {
        if (prefix === '') throw new BerthError('INVALID_ARGUMENT', 'A prefix must not be empty');
        const full = prefix.startsWith('settings') ? prefix : `settings.${prefix}`;
        settings = mergeSettings(settings, (await client.getModel(full)).settings);
      }
      ctx.printJson({ settings });
    });
}
