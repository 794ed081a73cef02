import type { Command } from 'commander';
import { StringDecoder } from 'node:string_decoder';
import { errorFromResponse } from '../../apiclient/index.js';
import { BerthError } from '../../errors/index.js';
import type { CommandContext } from './context.js';

/** `apiclient logs NAME [-f]`: a host container's output (stdout and stderr), optionally followed. */
export function registerLogs(program: Command, ctx: CommandContext): void {
  program
    .command('logs')
    .description("print a host container's output; -f keeps following it")
    .argument('<name>', 'host container')
    .option('-f, --follow', 'keep printing new output until interrupted')
    .action(async (name: string, opts: { follow?: boolean }, cmd: Command) => {
      const uri = `/host-containers/${encodeURIComponent(name)}/logs${opts.follow ? '?follow=true' : ''}`;
      const utf8 = new StringDecoder('utf8'); // a chunk may end inside a multi-byte character
      const res = await ctx.client(cmd).stream('GET', uri, (chunk) => ctx.io.stdout.write(utf8.write(chunk)));
      ctx.io.stdout.write(utf8.end());
      if (res.status < 200 || res.status > 299) throw errorFromResponse(res.status, res.body.toString('utf8'));
      if (res.status !== 200) throw new BerthError('INTERNAL', `Unexpected status ${res.status}`);
    });
}
