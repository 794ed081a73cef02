import path from 'node:path';

export const USAGE = `usage: berth <program> [arguments…]   (or call it by a program's name)
programs:
  berthd      the host-container supervisor (berthd run|stop|write-config|images)
  apiclient   the client of berthd's API (apiclient get|set|apply|exec|logs|status|audit|raw)
`;

export type ProgramChoice = { name: string; args: readonly string[] } | { usage: 0 | 2; message?: string };

/**
 * Which program of the `berth` executable to run: the one it was called as (the basename of
 * argv[0]: a link or a bind mount named `berthd` or `apiclient`), else the first argument.
 * Anything else is a usage error (exit 2); `-h`/`--help` alone is usage on request (exit 0).
 */
export function chooseProgram(argv0: string, args: readonly string[], programs: readonly string[]): ProgramChoice {
  const called = path.basename(argv0);
  if (programs.includes(called)) return { name: called, args };
  const [first, ...rest] = args;
  if (first === undefined) return { usage: 2, message: `berth: which program? (${programs.join(' or ')})` };
  if (first === '-h' || first === '--help' || first === 'help') return { usage: 0 };
  if (programs.includes(first)) return { name: first, args: rest };
  return { usage: 2, message: `berth: unknown program '${first.slice(0, 60)}' (${programs.join(' or ')})` };
}
