import { chmod, copyFile, cp, lstat, mkdir, readlink, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { BerthError } from '../../../src/errors/index.js';
import { sharedLibraries } from './shared-libraries.js';

/**
 * A directory tree being filled to become a guest's root filesystem. Host paths are copied to
 * the same or another path inside it; symlinks are kept as symlinks and their targets copied too,
 * so `/usr/bin/runc -> ../sbin/runc` arrives whole.
 */
export class StagingTree {
  readonly root: string;
  #added = new Set<string>();

  constructor(root: string) {
    this.root = root;
  }

  /** The staging path of a guest path. */
  at(guestPath: string): string {
    if (!path.isAbsolute(guestPath)) {
      throw new BerthError('INVALID_ARGUMENT', `Guest path '${guestPath}' must be absolute`);
    }
    return path.join(this.root, guestPath);
  }

  /** Mirrors the host's merged-/usr symlinks (/bin -> usr/bin, ...) so library paths resolve alike. */
  async mirrorTopLevelLinks(names: string[] = ['bin', 'sbin', 'lib', 'lib64']): Promise<void> {
    for (const name of names) {
      const host = `/${name}`;
      const st = await lstat(host).catch(() => undefined);
      if (st?.isSymbolicLink()) {
        await mkdir(this.at(`/${await readlink(host)}`), { recursive: true });
        await symlink(await readlink(host), this.at(host));
        this.#added.add(host);
      } else {
        await mkdir(this.at(host), { recursive: true });
      }
    }
  }

  /**
   * Copies a host file, directory (recursively) or symlink (and what it points to) to guestPath
   * (default: the same path). Adding the same path twice is a no-op.
   */
  async addHostPath(hostPath: string, guestPath = hostPath): Promise<void> {
    if (this.#added.has(guestPath)) return;
    const st = await lstat(hostPath).catch(() => undefined);
    if (!st) throw new BerthError('NOT_FOUND', `Cannot copy '${hostPath}' into the guest: no such file`);
    this.#added.add(guestPath);
    const dest = this.at(guestPath);
    await mkdir(path.dirname(dest), { recursive: true });
    if (st.isSymbolicLink()) {
      const target = await readlink(hostPath);
      await symlink(target, dest).catch((err: NodeJS.ErrnoException) => {
        if (err.code !== 'EEXIST') throw err;
      });
      const hostTarget = path.resolve(path.dirname(hostPath), target);
      const guestTarget = path.resolve(path.dirname(guestPath), target);
      await this.addHostPath(hostTarget, guestTarget);
    } else if (st.isDirectory()) {
      await cp(hostPath, dest, { recursive: true, verbatimSymlinks: true, preserveTimestamps: true });
    } else {
      await copyFile(hostPath, dest);
      await chmod(dest, st.mode & 0o7777);
    }
  }

  /** Copies a host executable and every shared library it needs, each to its own path. */
  async addBinary(hostPath: string, guestPath = hostPath): Promise<void> {
    await this.addHostPath(hostPath, guestPath);
    for (const lib of await sharedLibraries(hostPath)) await this.addHostPath(lib);
  }

  /** Writes a file with the given content and mode. */
  async writeFile(guestPath: string, content: string | Buffer, mode = 0o644): Promise<void> {
    const dest = this.at(guestPath);
    await mkdir(path.dirname(dest), { recursive: true });
    await writeFile(dest, content, { mode });
    await chmod(dest, mode);
    this.#added.add(guestPath);
  }

  /** Creates empty directories. */
  async makeDirs(guestPaths: string[]): Promise<void> {
    for (const p of guestPaths) await mkdir(this.at(p), { recursive: true });
  }

  /** Creates a symlink unless something already exists there. */
  async link(target: string, guestPath: string): Promise<void> {
    const dest = this.at(guestPath);
    if (await lstat(dest).catch(() => undefined)) return;
    await mkdir(path.dirname(dest), { recursive: true });
    await symlink(target, dest);
  }
}
