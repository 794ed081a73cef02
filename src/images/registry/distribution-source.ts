import type { ContainerdClient } from '../../containerd/index.js';

/**
 * containerd's `containerd.io/distribution.source.<registry>` label: the repositories of that
 * registry a blob is known to come from (comma-separated, sorted). Go's client sets it on every blob
 * it pulls; a later push can then mount blobs across repositories instead of uploading them.
 */
export function distributionSourceKey(registry: string): string {
  return `containerd.io/distribution.source.${registry}`;
}

/** The label's new value with `repository` added, or undefined when it is there already. */
export function withRepository(existing: string | undefined, repository: string): string | undefined {
  const repos = (existing ?? '').split(',').filter((r) => r !== '');
  if (repos.includes(repository)) return undefined;
  return [...repos, repository].sort().join(',');
}

/** Adds the label to each blob (already in the content store). */
export async function labelDistributionSource(
  client: ContainerdClient,
  digests: readonly string[],
  options: { registry: string; repository: string; lease: string },
): Promise<void> {
  const key = distributionSourceKey(options.registry);
  for (const digest of new Set(digests)) {
    const info = await client.content.info(digest, { lease: options.lease });
    const value = withRepository(info.labels?.[key], options.repository);
    if (value !== undefined) await client.content.setLabels(digest, { [key]: value }, { lease: options.lease });
  }
}
