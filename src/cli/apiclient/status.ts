import type { Command } from 'commander';
import type { ContainerStatus as Status } from '../../reconciler/status.js';
import type { CommandContext } from './context.js';
import type { BootReport } from '../../daemon/boot-report.js';

function table(rows: Status[]): string {
  const head = ['NAME', 'STATE', 'PID', 'ENABLED', 'SUPER', 'RESTARTS', 'LAST EXIT', 'SINCE', 'IMAGE'];
  const lines = rows.map((s) => [
    s.name,
    s.state + (s.error ? ` (${s.error})` : ''),
    s.pid === undefined ? '-' : String(s.pid),
    s.desired.enabled ? (s.desired.enabledUntil ? `until ${s.desired.enabledUntil}` : 'yes') : 'no',
    s.desired.superpowered ? 'yes' : 'no',
    String(s.restarts),
    s.lastExit ? String(s.lastExit.code) : '-',
    s.since,
    s.imageDigest ? s.imageDigest.slice(0, 19) : '-',
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] as string).length)));
  return [head, ...lines].map((l) => l.map((c, i) => c.padEnd(widths[i] as number)).join('  ').trimEnd()).join('\n') + '\n';
}

/** Lines about boot problems an operator must see (user data refused, or sections of it skipped), or none. */
function bootLines(boot: BootReport): string {
  const ud = boot.userData;
  if (ud?.error) return `BOOT: user data not applied (${ud.sources.length > 0 ? ud.sources.join(', ') : 'no readable source'}): ${ud.error}\n\n`;
  if (ud && ud.skipped.length > 0) return `BOOT: user data applied (${ud.sources.join(', ')}); skipped settings berth does not own: ${ud.skipped.join(', ')}\n\n`;
  return '';
}

/**
 * `apiclient status [NAME] [--json]`: desired and actual state of host containers; without NAME,
 * also what went wrong at boot. `--json` without NAME prints `{boot, hostContainers}`.
 */
export function registerStatus(program: Command, ctx: CommandContext): void {
  program
    .command('status')
    .description('show host containers: desired vs actual state, pid, restarts, last exit')
    .argument('[name]', 'one host container')
    .option('--json', 'print JSON')
    .action(async (name: string | undefined, opts: { json?: boolean }, cmd: Command) => {
      const client = ctx.client(cmd);
      if (name) {
        const one = await client.request<Status>('GET', `/host-containers/${encodeURIComponent(name)}`);
        if (opts.json) return ctx.printJson(one);
        ctx.io.stdout.write(table([one]));
        return;
      }
      const [boot, hostContainers] = await Promise.all([client.request<BootReport>('GET', '/boot'), client.request<Status[]>('GET', '/host-containers')]);
      if (opts.json) return ctx.printJson({ boot, hostContainers });
      ctx.io.stdout.write(bootLines(boot) + table(hostContainers));
    });
}
