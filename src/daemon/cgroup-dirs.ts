import { readFile, readdir, rmdir } from 'node:fs/promises';
import path from 'node:path';
import { parseMountinfo, type MountEntry } from '../lib/mountinfo.js';
import type { BerthPaths } from './paths.js';

/**
 * Mount points of every cgroup hierarchy: one per cgroup v1 controller (or named) hierarchy, and the
 * v2 one. Only mounts of a hierarchy's top count: cgroup parents are paths from there.
 */
export function cgroupHierarchies(mounts: MountEntry[]): string[] {
  const tops = mounts.filter((m) => (m.fsType === 'cgroup' || m.fsType === 'cgroup2') && m.root === '/');
  return [...new Set(tops.map((m) => m.mountPoint))];
}

/** The cgroup above both daemons' cgroup parents: `/berth` for root "/", `/berth-<tag>` otherwise. */
export function berthCgroups(paths: BerthPaths): string[] {
  const parents = [paths.hostContainerd.cgroupParent, paths.orchestratorContainerd.cgroupParent];
  return [...new Set(parents.map((p) => path.posix.dirname(p)))];
}

/** Every directory of berth's cgroups for PATHS, in every hierarchy, children before their parent. */
export async function berthCgroupDirs(paths: BerthPaths): Promise<string[]> {
  const hierarchies = cgroupHierarchies(parseMountinfo(await readFile('/proc/self/mountinfo', 'utf8')));
  const out: string[] = [];
  for (const hierarchy of hierarchies) {
    for (const cgroup of berthCgroups(paths)) out.push(...(await treeChildrenFirst(path.join(hierarchy, cgroup))));
  }
  return out;
}

async function treeChildrenFirst(dir: string): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return []; // never created in this hierarchy, or already removed
  }
  const below: string[] = [];
  for (const e of entries) if (e.isDirectory()) below.push(...(await treeChildrenFirst(path.join(dir, e.name))));
  return [...below, dir];
}

export interface CgroupRemoval {
  removed: string[];
  /** Directories rmdir refused, with its error code (EBUSY: processes or child cgroups are still in it). */
  kept: Array<{ dir: string; reason: string }>;
}

/**
 * Removes berth's cgroup directories for PATHS (the containers' cgroups left behind, both daemons'
 * cgroup parents and the cgroup above them), children first. rmdir refuses a cgroup that still has
 * processes, so whatever is still in use stays and is reported.
 */
export async function removeBerthCgroups(paths: BerthPaths): Promise<CgroupRemoval> {
  const result: CgroupRemoval = { removed: [], kept: [] };
  for (const dir of await berthCgroupDirs(paths)) {
    try {
      await rmdir(dir);
      result.removed.push(dir);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? String(err);
      if (code !== 'ENOENT') result.kept.push({ dir, reason: code });
    }
  }
  return result;
}
