import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** seinfo's summary of the policy (version, MLS, counts). */
export async function policySummary(policy: string): Promise<string> {
  const { stdout } = await run('seinfo', [policy]);
  return stdout;
}

/** Every type the policy declares (aliases not included). */
export async function declaredTypes(policy: string): Promise<Set<string>> {
  // The policy goes first: -t takes an optional argument and would swallow it.
  const { stdout } = await run('seinfo', [policy, '-t', '--flat']);
  const names = stdout
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => /^[a-z0-9_]+$/.test(l));
  return new Set(names);
}
