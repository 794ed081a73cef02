import { InvalidArgumentError, Option } from 'commander';

/** `--root DIR`: the prefix of every path berth uses. Every berthd subcommand takes it. */
export function rootOption(): Option {
  return new Option('--root <dir>', 'prefix of every path berth uses (sockets, state, data, logs)').default('/').argParser((v: string) => {
    if (!v.startsWith('/')) throw new InvalidArgumentError(`must be an absolute path, got '${v}'`);
    return v;
  });
}

/** An option holding a number of seconds (decimals allowed). */
export function secondsOption(flags: string, description: string, def: number): Option {
  return new Option(flags, description).default(def).argParser((v: string) => {
    const n = Number(v);
    if (!/^\d+(\.\d+)?$/.test(v) || !Number.isFinite(n)) throw new InvalidArgumentError(`expected a number of seconds, got '${v}'`);
    return n;
  });
}
