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

/** Failed bootstrap containers as the CLI names them: `boot.setup (exited with status 1), …`. */
export function bootstrapFailures(failures: ReadonlyArray<{ name: string; error: string }>): string {
  return failures.map((f) => `${BOOTSTRAP_PREFIX}${f.name} (${f.error})`).join(', ');
}
