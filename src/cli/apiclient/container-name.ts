/**
 * On the command line a bootstrap container is `boot.NAME`, as an exec target is (container names
 * hold no `.`, so no host container can be taken for one); anything else is a host container.
 */
export const BOOTSTRAP_PREFIX = 'boot.';

/** The API path of the container an argument names. */
export function containerPath(arg: string): string {
  return arg.startsWith(BOOTSTRAP_PREFIX)
    ? `/bootstrap-containers/${encodeURIComponent(arg.slice(BOOTSTRAP_PREFIX.length))}`
    : `/host-containers/${encodeURIComponent(arg)}`;
}

/**
 * What failed the boot as the CLI names it: `bootstrap container boot.setup (exited with status 1),
 * …` or `bootstrap command 010-admin (call 1 of 1 (…) exited with status 2: …)`.
 */
export function bootFailures(failures: ReadonlyArray<{ kind: 'command' | 'container'; name: string; error: string }>): string {
  const listed = (kind: 'command' | 'container', prefix: string): string[] => {
    const of = failures.filter((f) => f.kind === kind);
    return of.length === 0 ? [] : [`bootstrap ${kind} ${of.map((f) => `${prefix}${f.name} (${f.error})`).join(', ')}`];
  };
  return [...listed('command', ''), ...listed('container', BOOTSTRAP_PREFIX)].join('; ');
}
