import type { Command } from 'commander';
import { BerthError } from '../../errors/index.js';
import type { JsonObject } from '../../model/index.js';
import { commitInTransaction } from './commit-transaction.js';
import type { CommandContext } from './context.js';
import { randomTransactionName } from './transaction-name.js';

/**
 * `apiclient apply [FILE|URL|-]…`: user-data documents (TOML or JSON with a top-level `settings`
 * table, as for boot user data) from files, `file://` paths, https:// URLs (http:// to loopback) or
 * `-` for stdin (the default), all patched into one `apiclient-apply-<random>` transaction that is
 * then committed and applied.
 */
export function registerApply(program: Command, ctx: CommandContext): void {
  program
    .command('apply')
    .description('apply user-data files (TOML or JSON with a [settings] table) in one transaction')
    .argument('[input...]', "files, file:// paths, https:// URLs (http:// to loopback), or '-' for stdin (the default)")
    .action(async (inputs: string[], _opts: unknown, cmd: Command) => {
      const sources = inputs.length === 0 ? ['-'] : inputs;
      if (sources.filter((s) => s === '-').length > 1) throw new BerthError('INVALID_ARGUMENT', "stdin ('-') can be given only once");
      // Loaded only for apply: the settings model brings the TOML parser and the schema with it.
      const { flattenSettings, parseSettingsDocument } = await import('../../model/index.js');
      const { readUserDataInput } = await import('./user-data-input.js');
      const documents: JsonObject[] = [];
      for (const source of sources) {
        const { name, text } = await readUserDataInput(source, { stdin: ctx.io.stdin, onStatus: ctx.statusPrinter(cmd) });
        documents.push(parseSettingsDocument(text, { name }));
      }
      if (documents.every((d) => flattenSettings(d).size === 0)) return;
      const client = ctx.client(cmd);
      const tx = randomTransactionName('apiclient-apply');
      await commitInTransaction(client, tx, async () => {
        for (const doc of documents) await client.patchSettings(doc, { tx });
      });
    });
}
