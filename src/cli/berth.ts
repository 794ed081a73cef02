#!/usr/bin/env node
/**
 * `berth`: one executable, several programs. It runs as `berthd` or `apiclient` by the name it is
 * called with (a link, or the bind mount at /usr/local/bin/apiclient in host containers), or by its
 * first argument (`berth apiclient get …`). Only the chosen program's modules are loaded.
 */
import { chooseProgram, USAGE } from './program-choice.js';

const PROGRAMS: Readonly<Record<string, () => Promise<{ main(argv: readonly string[]): Promise<void> }>>> = {
  berthd: () => import('./berthd.js'),
  apiclient: () => import('./apiclient.js'),
};

async function start(): Promise<void> {
  const choice = chooseProgram(process.argv0, process.argv.slice(2), Object.keys(PROGRAMS));
  if ('usage' in choice) {
    if (choice.message) process.stderr.write(`${choice.message}\n`);
    (choice.usage === 0 ? process.stdout : process.stderr).write(USAGE);
    process.exitCode = choice.usage;
    return;
  }
  const program = await PROGRAMS[choice.name]!();
  await program.main(choice.args);
}

start().catch((err: unknown) => {
  process.stderr.write(`berth: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
