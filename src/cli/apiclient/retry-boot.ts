import type { Command } from 'commander';
import { BerthError } from '../../errors/index.js';
import type { BootReport } from '../../daemon/boot-report.js';
import type { CommandContext } from './context.js';
import { bootFailures } from './container-name.js';

const POLL_MS = 250;

/**
 * `apiclient retry-boot`: retries a failed boot (`POST /boot/retry`) and waits for its outcome. It
 * prints nothing when the boot now succeeds (host containers start); otherwise it fails with the
 * essential bootstrap commands or containers that failed again (exit status 5).
 */
export function registerRetryBoot(program: Command, ctx: CommandContext): void {
  program
    .command('retry-boot')
    .description('run the bootstrap commands and containers that did not succeed again after a failed boot, then start host containers')
    .action(async (_opts: unknown, cmd: Command) => {
      const client = ctx.client(cmd);
      let report = (await client.request<BootReport>('POST', '/boot/retry')).bootstrap;
      while (report?.state === 'running') {
        await new Promise((r) => setTimeout(r, POLL_MS));
        report = (await client.request<BootReport>('GET', '/boot')).bootstrap;
      }
      if (report?.state === 'failed') {
        throw new BerthError('FAILED_PRECONDITION', `The boot failed again: essential ${bootFailures(report.failures)}`);
      }
    });
}
