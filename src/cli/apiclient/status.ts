import type { Command } from 'commander';
import type { ContainerStatus as Status } from '../../reconciler/status.js';
import type { CommandContext } from './context.js';

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

/** `apiclient status [NAME] [--json]`: desired and actual state of host containers. */
export function registerStatus(program: Command, ctx: CommandContext): void {
  program
    .command('status')
    .description('show host containers: desired vs actual state, pid, restarts, last exit')
    .argument('[name]', 'one host container')
    .option('--json', 'print JSON')
    .action(async (name: string | undefined, opts: { json?: boolean }, cmd: Command) => {
      const client = ctx.client(cmd);
      const body = name
        ? await client.request<Status>('GET', `/host-containers/${encodeURIComponent(name)}`)
        : await client.request<Status[]>('GET', '/host-containers');
      if (opts.json) return ctx.printJson(body);
      ctx.io.stdout.write(table(Array.isArray(body) ? body : [body]));
    });
}
