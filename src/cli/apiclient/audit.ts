import type { Command } from 'commander';
import { BerthError } from '../../errors/index.js';
import type { AuditRecord } from '../../audit/audit-log.js';
import type { CommandContext } from './context.js';

function who(a: AuditRecord['actor']): string {
  if (!a) return '-';
  if (a.user) return `${a.user}@${a.from ?? '?'}${a.key ? ` (${a.key})` : ''}`;
  if (a.uid !== undefined) return `uid=${a.uid} pid=${a.pid}${a.comm ? ` (${a.comm})` : ''}`;
  return '-';
}

function line(r: AuditRecord): string {
  const parts = [r.time, r.event.padEnd(19), r.target.padEnd(12), who(r.actor)];
  if (r.command) parts.push(`cmd=${JSON.stringify(r.command)}`);
  if (r.tty !== undefined) parts.push(r.tty ? 'tty' : 'no-tty');
  if (r.durationMs !== undefined) parts.push(`duration=${(r.durationMs / 1000).toFixed(1)}s`);
  if (r.exitCode !== undefined) parts.push(`exit=${r.exitCode}`);
  if (r.disconnected) parts.push('client-disconnected');
  if (r.reason) parts.push(`reason=${JSON.stringify(r.reason)}`);
  return parts.join('  ');
}

/** `apiclient audit [--since TIME] [--target NAME] [--limit N] [--json]`: break-glass access records. */
export function registerAudit(program: Command, ctx: CommandContext): void {
  program
    .command('audit')
    .description('show the audit log of exec sessions, SSH logins and break-glass expiries')
    .option('--since <time>', 'only records at or after this RFC 3339 time')
    .option('--target <name>', 'only records of this host container')
    .option('--limit <n>', 'only the last N records')
    .option('--json', 'print JSON')
    .action(async (opts: { since?: string; target?: string; limit?: string; json?: boolean }, cmd: Command) => {
      if (opts.limit !== undefined && !/^[1-9]\d*$/.test(opts.limit)) {
        throw new BerthError('INVALID_ARGUMENT', `Invalid --limit: expected a positive integer, got '${opts.limit}'`);
      }
      const q = new URLSearchParams();
      if (opts.since) q.set('since', opts.since);
      if (opts.target) q.set('target', opts.target);
      if (opts.limit) q.set('limit', opts.limit);
      const qs = q.toString();
      const records = await ctx.client(cmd).request<AuditRecord[]>('GET', `/audit${qs ? `?${qs}` : ''}`);
      if (opts.json) return ctx.printJson(records);
      ctx.io.stdout.write(records.map(line).join('\n') + (records.length ? '\n' : ''));
    });
}
