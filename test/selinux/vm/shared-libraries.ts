import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * The shared libraries ldd lists for a binary, including the dynamic loader, as absolute
 * paths. A static binary has none.
 */
export function parseLddOutput(output: string): string[] {
  const libs: string[] = [];
  for (const line of output.split('\n')) {
    const arrow = /=>\s+(\/\S+)/.exec(line);
    const bare = /^\s*(\/\S+)\s+\(0x/.exec(line);
    const lib = arrow?.[1] ?? bare?.[1];
    if (lib) libs.push(lib);
  }
  return [...new Set(libs)];
}

/** Runs ldd on a host binary. */
export async function sharedLibraries(binary: string): Promise<string[]> {
  try {
    const { stdout } = await run('ldd', [binary]);
    return parseLddOutput(stdout);
  } catch (err) {
    const out = `${(err as { stdout?: string }).stdout ?? ''}${(err as { stderr?: string }).stderr ?? ''}`;
    if (/not a dynamic executable|statically linked/.test(out)) return [];
    throw err;
  }
}
