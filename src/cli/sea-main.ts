/**
 * The entry of the `berth` executable (scripts/build-sea.sh). It stays tiny so that every start is
 * as cheap as Node's own: the programs are separate bundles stored in the executable as assets,
 * each with a V8 code cache made at build time, and only the chosen one is compiled and run.
 */
import { getAsset } from 'node:sea';
import vm from 'node:vm';
import { chooseProgram, USAGE } from './program-choice.js';

interface Program {
  main(argv: readonly string[]): Promise<void>;
}

const PROGRAMS = ['berthd', 'apiclient'];

/** Compiles a program's bundle with its code cache and runs it as a CommonJS module. */
function load(name: string): Program {
  const source = getAsset(`${name}.cjs`, 'utf8');
  const script = new vm.Script(`(function (exports, require, module) {${source}\n})`, {
    filename: `berth:${name}.cjs`,
    cachedData: Buffer.from(getAsset(`${name}.cache`)),
  });
  const module = { exports: {} as Program };
  (script.runInThisContext() as (e: object, r: NodeJS.Require, m: object) => void)(module.exports, require, module);
  return module.exports;
}

async function start(): Promise<void> {
  const choice = chooseProgram(process.argv0, process.argv.slice(2), PROGRAMS);
  if ('usage' in choice) {
    if (choice.message) process.stderr.write(`${choice.message}\n`);
    (choice.usage === 0 ? process.stdout : process.stderr).write(USAGE);
    process.exitCode = choice.usage;
    return;
  }
  await load(choice.name).main(choice.args);
}

start().catch((err: unknown) => {
  process.stderr.write(`berth: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
