import type { ContainerdClient, Container } from '../containerd/index.js';
import { jsonAny, protoAny, TYPE_URLS } from '../containerd/index.js';
import { isAlreadyExists, isNotFound } from '../errors/index.js';
import type { Spec } from '../oci/spec.js';
import { stopTask } from './task-ops.js';

export interface NewHostContainer {
  id: string;
  /** Image record name (informational, shown by ctr). */
  imageName: string;
  /** Top chain ID of the unpacked image: the parent of the container's rootfs snapshot. */
  chainId: string;
  spec: Spec;
  labels: Record<string, string>;
  /** runc state root of this containerd instance. */
  runcRoot: string;
}

/** The snapshot that holds a container's writable rootfs. */
export function snapshotKeyOf(id: string): string {
  return `${id}-snapshot`;
}

/**
 * Creates the container record and its rootfs snapshot under one lease, so the garbage collector
 * cannot take the snapshot between the two calls.
 */
export async function createContainer(client: ContainerdClient, c: NewHostContainer): Promise<Container> {
  const lease = await client.leases.create({ expireAfterMs: 600_000 });
  const key = snapshotKeyOf(c.id);
  try {
    await client.snapshots.prepare(key, c.chainId, { lease: lease.id }).catch(async (err: unknown) => {
      if (!isAlreadyExists(err)) throw err;
      // A leftover from a crash halfway through a removal.
      await client.snapshots.remove(key);
      await client.snapshots.prepare(key, c.chainId, { lease: lease.id });
    });
    return await client.containers.create(
      {
        id: c.id,
        labels: c.labels,
        image: c.imageName,
        runtime: { name: 'io.containerd.runc.v2', options: protoAny(TYPE_URLS.runcOptions, { root: c.runcRoot }) },
        spec: jsonAny(TYPE_URLS.spec, c.spec),
        snapshotter: client.snapshotter,
        snapshot_key: key,
      },
      { lease: lease.id },
    );
  } catch (err) {
    await client.snapshots.remove(key).catch(() => undefined);
    throw err;
  } finally {
    await client.leases.delete(lease.id).catch(() => undefined);
  }
}

/**
 * Removes a container completely: task (stopped first), snapshot, record. Snapshot before record,
 * as containerd's own cleanup does, so GC cannot race us to it. Missing pieces are fine.
 */
export async function removeContainer(client: ContainerdClient, id: string, options: { graceMs: number }): Promise<void> {
  await stopTask(client, id, options);
  let key = snapshotKeyOf(id);
  try {
    key = (await client.containers.get(id)).snapshot_key || key;
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
  await client.snapshots.remove(key).catch((err) => {
    if (!isNotFound(err)) throw err;
  });
  await client.containers.delete(id).catch((err) => {
    if (!isNotFound(err)) throw err;
  });
}
