import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, readdir, rm, rmdir } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { mentionsPath } from './path-mention.js';

const exec = promisify(execFile);

/** Where libcni caches each attachment's result; containerd 1.6's CRI cannot move it. */
const CNI_CACHE_DIR = '/var/lib/cni';

/** The host network state of a test root that was removed, and what could not be. */
export interface NetworkLeftovers {
  removed: string[];
  failures: string[];
}

/**
 * Removes the host network state a pod network of a test under UNDER left behind, which no process,
 * mount or cgroup holds: every interface whose alias names UNDER (a test's CNI bridge outlives its
 * pods and is tagged so), and libcni's cached results of the pods attached to a network whose
 * config names UNDER (left when containerd was killed before it detached them), with the cache
 * directories when that leaves them empty. Veth pairs need nothing: they go with the pod's
 * network namespace.
 */
export async function removeNetworkLeftovers(under: string, options: { cniCacheDir?: string } = {}): Promise<NetworkLeftovers> {
  const out: NetworkLeftovers = { removed: [], failures: [] };
  for (const iface of await interfacesNaming(under)) {
    try {
      await exec('ip', ['link', 'delete', 'dev', iface]);
      out.removed.push(`network interface ${iface}`);
    } catch (err) {
      if (existsSync(path.join('/sys/class/net', iface))) out.failures.push(`Cannot delete network interface ${iface}: ${(err as Error).message}`);
    }
  }
  const cacheDir = options.cniCacheDir ?? CNI_CACHE_DIR;
  const resultsDir = path.join(cacheDir, 'results');
  const results = await cniResultsNaming(under, resultsDir);
  for (const file of results) {
    await rm(file, { force: true })
      .then(() => out.removed.push(`CNI result ${file}`))
      .catch((err: Error) => out.failures.push(`Cannot remove CNI result ${file}: ${err.message}`));
  }
  if (results.length > 0) {
    // libcni made them for those results, and makes them again when needed: only when empty.
    await rmdir(resultsDir).catch(() => undefined);
    await rmdir(cacheDir).catch(() => undefined);
  }
  return out;
}

async function interfacesNaming(under: string): Promise<string[]> {
  const names = await readdir('/sys/class/net').catch(() => []);
  const found: string[] = [];
  for (const name of names) {
    const alias = await readFile(path.join('/sys/class/net', name, 'ifalias'), 'utf8').catch(() => '');
    if (mentionsPath(alias.trim(), under)) found.push(name);
  }
  return found;
}

/** A libcni cache entry (`<network>-<container id>-<interface>`): JSON, the network config in base64. */
interface CachedResult {
  containerId?: string;
  config?: string;
}

/**
 * The cached results of every container attached to a network whose config names UNDER, and of
 * that container's other attachments too (containerd's loopback network names nothing).
 */
async function cniResultsNaming(under: string, resultsDir: string): Promise<string[]> {
  const entries: Array<{ file: string; entry: CachedResult }> = [];
  for (const name of await readdir(resultsDir).catch(() => [])) {
    const file = path.join(resultsDir, name);
    const text = await readFile(file, 'utf8').catch(() => undefined);
    if (text === undefined) continue;
    try {
      entries.push({ file, entry: JSON.parse(text) as CachedResult });
    } catch {
      // not a libcni entry: leave it
    }
  }
  const ours = new Set(
    entries
      .filter(({ entry }) => mentionsPath(Buffer.from(entry.config ?? '', 'base64').toString('utf8'), under))
      .map(({ entry }) => entry.containerId),
  );
  return entries.filter(({ entry }) => entry.containerId !== undefined && ours.has(entry.containerId)).map(({ file }) => file);
}
