import type { Command } from 'commander';
import type { ContainerStatus as Status } from '../../reconciler/status.js';
import type { BootstrapContainerStatus as BootStatus } from '../../reconciler/bootstrap-status.js';
import type { CommandContext } from './context.js';
import type { BootReport } from '../../daemon/boot-report.js';
import { BOOTSTRAP_PREFIX, bootFailures, containerPath } from './container-name.js';

function columns(head: string[], lines: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] as string).length)));
  return [head, ...lines].map((l) => l.map((c, i) => c.padEnd(widths[i] as number)).join('  ').trimEnd()).join('\n') + '\n';
}

function hostTable(rows: Status[]): string {
  const head = ['NAME', 'STATE', 'PID', 'ENABLED', 'SUPER', 'RESTARTS', 'LAST EXIT', 'SINCE', 'IMAGE'];
  return columns(
    head,
    rows.map((s) => [
      s.name,
      s.state + (s.error ? ` (${s.error})` : ''),
      s.pid === undefined ? '-' : String(s.pid),
      s.desired.enabled ? (s.desired.enabledUntil ? `until ${s.desired.enabledUntil}` : 'yes') : 'no',
      s.desired.superpowered ? 'yes' : 'no',
      String(s.restarts),
      s.lastExit ? `${s.lastExit.code}${s.lastExit.reason ? ` (${s.lastExit.reason})` : ''}` : '-',
      s.since,
      s.imageDigest ? s.imageDigest.slice(0, 19) : '-',
    ]),
  );
}

function bootstrapTable(rows: BootStatus[]): string {
  const head = ['NAME', 'STATE', 'KIND', 'MODE', 'ESSENTIAL', 'LAST EXIT', 'EXITED AT'];
  return columns(
    head,
    rows.map((s) => [
      BOOTSTRAP_PREFIX + s.name,
      s.state + (s.error ? ` (${s.error})` : ''),
      s.kind,
      s.mode,
      s.essential ? 'yes' : 'no',
      s.lastExit ? String(s.lastExit.code) : '-',
      s.lastExit?.at ?? '-',
    ]),
  );
}

/** Lines about the boot an operator must see (user data refused or partly skipped, a failed or running boot), or none. */
function bootLines(boot: BootReport): string {
  const lines: string[] = [];
  const ud = boot.userData;
  if (ud?.error) lines.push(`BOOT: user data not applied (${ud.sources.length > 0 ? ud.sources.join(', ') : 'no readable source'}): ${ud.error}`);
  else if (ud && ud.skipped.length > 0) lines.push(`BOOT: user data applied (${ud.sources.join(', ')}); skipped settings berth does not own: ${ud.skipped.join(', ')}`);
  const b = boot.bootstrap;
  if (b?.state === 'failed') {
    lines.push(`BOOT: failed: essential ${bootFailures(b.failures)}; host containers are not started until \`apiclient retry-boot\` or a change to bootstrap settings succeeds`);
  } else if (b?.state === 'running') {
    lines.push(`BOOT: bootstrap commands and containers running (attempt ${b.attempts}); host containers start after them`);
  }
  return lines.length > 0 ? `${lines.join('\n')}\n\n` : '';
}

/**
 * `apiclient status [NAME] [--json]`: desired and actual state of host containers, then bootstrap
 * containers (`boot.NAME`); without NAME, also what went wrong at boot. `--json` without NAME prints
 * `{boot, hostContainers, bootstrapContainers}`.
 */
export function registerStatus(program: Command, ctx: CommandContext): void {
  program
    .command('status')
    .description('show host and bootstrap containers: desired vs actual state, pid, restarts, last exit')
    .argument('[name]', 'one host container, or boot.NAME for a bootstrap container')
    .option('--json', 'print JSON')
    .action(async (name: string | undefined, opts: { json?: boolean }, cmd: Command) => {
      const client = ctx.client(cmd);
      if (name) {
        const one = await client.request<Status | BootStatus>('GET', containerPath(name));
        if (opts.json) return ctx.printJson(one);
        ctx.io.stdout.write(one.kind === 'bootstrap' ? bootstrapTable([one]) : hostTable([one]));
        return;
      }
      const [boot, hostContainers, bootstrapContainers] = await Promise.all([
        client.request<BootReport>('GET', '/boot'),
        client.request<Status[]>('GET', '/host-containers'),
        client.request<BootStatus[]>('GET', '/bootstrap-containers'),
      ]);
      if (opts.json) return ctx.printJson({ boot, hostContainers, bootstrapContainers });
      const bootstrap = bootstrapContainers.length > 0 ? `\n${bootstrapTable(bootstrapContainers)}` : '';
      ctx.io.stdout.write(bootLines(boot) + hostTable(hostContainers) + bootstrap);
    });
}
