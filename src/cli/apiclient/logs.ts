import type { Command } from 'commander';
import { StringDecoder } from 'node:string_decoder';
import { errorFromResponse } from '../../apiclient/index.js';
import { BerthError } from '../../errors/index.js';
import type { ContainerStatus } from '../../reconciler/status.js';
import type { BootstrapContainerStatus } from '../../reconciler/bootstrap-status.js';
import type { CommandContext } from './context.js';
import { containerPath } from './container-name.js';

/**
 * Why a container shows no live output, for stderr: a host container that is not running, or a
 * bootstrap container whose run did not succeed (or has not started); undefined otherwise.
 */
export function notRunningNote(arg: string, s: ContainerStatus | BootstrapContainerStatus): string | undefined {
  if (s.state === 'running' || s.state === 'succeeded') return undefined;
  return `apiclient: ${arg} is not running: ${s.state}${s.error ? ` (${s.error})` : ''}\n`;
}

/**
 * `apiclient logs NAME [-f]`: a container's output (stdout and stderr), optionally followed; NAME is a
 * host container or `boot.NAME`. When the container is not running, a line on stderr says why
 * (output still goes to stdout alone).
 */
export function registerLogs(program: Command, ctx: CommandContext): void {
  program
    .command('logs')
    .description("print a container's output; -f keeps following it")
    .argument('<name>', 'host container, or boot.NAME for a bootstrap container')
    .option('-f, --follow', 'keep printing new output until interrupted')
    .action(async (name: string, opts: { follow?: boolean }, cmd: Command) => {
      const client = ctx.client(cmd);
      const path = containerPath(name);
      const note = notRunningNote(name, await client.request<ContainerStatus | BootstrapContainerStatus>('GET', path));
      if (note) ctx.io.stderr.write(note);
      const utf8 = new StringDecoder('utf8'); // a chunk may end inside a multi-byte character
      const res = await client.stream('GET', `${path}/logs${opts.follow ? '?follow=true' : ''}`, (chunk) => ctx.io.stdout.write(utf8.write(chunk)));
      ctx.io.stdout.write(utf8.end());
      if (res.status < 200 || res.status > 299) throw errorFromResponse(res.status, res.body.toString('utf8'));
      if (res.status !== 200) throw new BerthError('INTERNAL', `Unexpected status ${res.status}`);
    });
}
