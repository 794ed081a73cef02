import type { Command } from 'commander';
import { BerthError } from '../../errors/index.js';
import { commitInTransaction } from './commit-transaction.js';
import type { CommandContext } from './context.js';
import { randomTransactionName } from './transaction-name.js';

/**
 * `apiclient set KEY=VALUE…` (values typed by the server: bool, then number, then string) or
 * `apiclient set --json '{…}'` (exact JSON types; a top-level `settings` table is optional). Both
 * fill a fresh `apiclient-set-<random>` transaction and commit and apply it.
 */
function parseJsonSettings(text: string): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new BerthError('INVALID_ARGUMENT', `Invalid --json value: ${(err as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new BerthError('INVALID_ARGUMENT', 'Invalid --json value: expected a JSON object of settings');
  }
  const keys = Object.keys(value);
  return keys.length === 1 && keys[0] === 'settings' ? (value as { settings: unknown }).settings : value;
}

export function registerSet(program: Command, ctx: CommandContext): void {
  program
    .command('set')
    .description('change settings and apply them: KEY=VALUE… or --json \'{…}\'')
    .argument('[key=value...]', 'settings such as host-containers.admin.enabled=true (settings. optional)')
    .option('-j, --json <json>', 'settings as a JSON object, with exact types')
    .action(async (pairs: string[], opts: { json?: string }, cmd: Command) => {
      if ((opts.json === undefined) === (pairs.length === 0)) {
        throw new BerthError('INVALID_ARGUMENT', 'set needs KEY=VALUE arguments or --json, and not both');
      }
      for (const pair of pairs) {
        if (!pair.includes('=')) throw new BerthError('INVALID_ARGUMENT', `Invalid argument '${pair}': expected KEY=VALUE`);
      }
      const client = ctx.client(cmd);
      const tx = randomTransactionName('apiclient-set');
      await commitInTransaction(client, tx, () =>
        opts.json === undefined ? client.patchKeypairs(pairs, { tx }) : client.patchSettings(parseJsonSettings(opts.json), { tx }),
      );
    });
}
