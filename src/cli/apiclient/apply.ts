import type { Command } from 'commander';
import { readFile } from 'node:fs/promises';
import { BerthError } from '../../errors/index.js';
import type { JsonObject } from '../../model/index.js';
import { commitInTransaction } from './commit-transaction.js';
import type { CommandContext } from './context.js';
import { randomTransactionName } from './transaction-name.js';

/**
 * `apiclient apply [FILE|-]…`: user-data documents (TOML or JSON with a top-level `settings` table,
 * as for boot user data) from files, `file://` paths or `-` for stdin (the default), all patched into
 * one `apiclient-apply-<random>` transaction that is then committed and applied.
 */
async function readStdin(stdin: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString('utf8');
}

async function readInput(source: string, stdin: NodeJS.ReadableStream): Promise<{ name: string; text: string }> {
  if (source === '-') return { name: 'stdin', text: await readStdin(stdin) };
  if (/^https?:\/\//i.test(source)) throw new BerthError('INVALID_ARGUMENT', `Cannot apply '${source}': URLs are not supported, download the file first`);
  const file = source.startsWith('file://') ? decodeURIComponent(source.slice('file://'.length)) : source;
  try {
    return { name: `'${file}'`, text: await readFile(file, 'utf8') };
  } catch (err) {
    throw new BerthError('INVALID_ARGUMENT', `Cannot read '${file}': ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}

export function registerApply(program: Command, ctx: CommandContext): void {
  program
    .command('apply')
    .description('apply user-data files (TOML or JSON with a [settings] table) in one transaction')
    .argument('[input...]', "files, file:// paths, or '-' for stdin (the default)")
    .action(async (inputs: string[], _opts: unknown, cmd: Command) => {
      const sources = inputs.length === 0 ? ['-'] : inputs;
      if (sources.filter((s) => s === '-').length > 1) throw new BerthError('INVALID_ARGUMENT', "stdin ('-') can be given only once");
      // Loaded only for apply: the settings model brings the TOML parser and the schema with it.
      const { flattenSettings, parseSettingsDocument } = await import('../../model/index.js');
      const documents: JsonObject[] = [];
      for (const source of sources) {
        const { name, text } = await readInput(source, ctx.io.stdin);
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
