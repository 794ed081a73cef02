import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { removeNetworkLeftovers } from './network-leftovers.js';
import { makeTempRoot, removeTempRoot } from './temp-root.js';

const root = await makeTempRoot('netl');
after(() => removeTempRoot(root));

/** An empty bridge with ALIAS, as a test's pod network leaves it; its name is short and unique. */
function taggedBridge(alias: string): string {
  const name = `bnl${createHash('sha256').update(alias).digest('hex').slice(0, 10)}`;
  execFileSync('ip', ['link', 'add', 'name', name, 'type', 'bridge']);
  execFileSync('ip', ['link', 'set', 'dev', name, 'alias', alias]);
  return name;
}

/** A libcni cache entry as containerd 1.6 writes it: the network config in base64. */
async function cachedResult(dir: string, entry: { network: string; containerId: string; ifName: string; config: object }): Promise<string> {
  const file = path.join(dir, `${entry.network}-${entry.containerId}-${entry.ifName}`);
  const config = Buffer.from(JSON.stringify(entry.config)).toString('base64');
  await writeFile(file, JSON.stringify({ kind: 'cniCacheV1', containerId: entry.containerId, config, ifName: entry.ifName, networkName: entry.network }));
  return file;
}

test('removeNetworkLeftovers() removes the interfaces and the cached CNI results that name the root, nothing else', async () => {
  const sibling = `${root}-sibling`;
  const ours = taggedBridge(root);
  const theirs = taggedBridge(sibling);
  after(() => execFileSync('ip', ['link', 'delete', 'dev', theirs]));
  const results = path.join(root, 'cni-cache', 'results');
  await mkdir(results, { recursive: true });
  const bridge = await cachedResult(results, { network: 'net', containerId: 'pod1', ifName: 'eth0', config: { ipam: { dataDir: `${root}/var/lib/cni` } } });
  const loopback = await cachedResult(results, { network: 'cni-loopback', containerId: 'pod1', ifName: 'lo', config: { type: 'loopback' } });
  const other = await cachedResult(results, { network: 'net', containerId: 'pod2', ifName: 'eth0', config: { ipam: { dataDir: `${sibling}/var/lib/cni` } } });
  await writeFile(path.join(results, 'not-json'), 'x');

  const report = await removeNetworkLeftovers(root, { cniCacheDir: path.join(root, 'cni-cache') });

  assert.deepEqual(report.failures, []);
  assert.deepEqual(report.removed.sort(), [`CNI result ${bridge}`, `CNI result ${loopback}`, `network interface ${ours}`].sort());
  assert.ok(!existsSync(`/sys/class/net/${ours}`));
  assert.ok(existsSync(`/sys/class/net/${theirs}`), "another root's interface stays");
  assert.deepEqual((await readdir(results)).sort(), [path.basename(other), 'not-json'].sort());
});

test('removeNetworkLeftovers() removes the CNI cache directories its removals left empty', async () => {
  const cacheDir = path.join(root, 'cni-cache-2');
  const results = path.join(cacheDir, 'results');
  await mkdir(results, { recursive: true });
  await cachedResult(results, { network: 'net', containerId: 'pod3', ifName: 'eth0', config: { ipam: { dataDir: `${root}/var/lib/cni` } } });

  const report = await removeNetworkLeftovers(root, { cniCacheDir: cacheDir });

  assert.equal(report.removed.length, 1);
  assert.ok(!existsSync(cacheDir));
});
