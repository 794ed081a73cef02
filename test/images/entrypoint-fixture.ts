import assert from 'node:assert/strict';
import { access, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { archivePath, ensureImagesBuilt } from './build-images-run.js';
import { EntrypointRun, unpackImage, within } from './entrypoint-run.js';
import { makeTempRoot, removeTempRoot } from '../helpers/temp-root.js';

/**
 * One unpacked image under a fresh test root, and the entrypoint runs a test file starts from it.
 * `cleanup()` kills whatever still runs (the mounts go with the namespaces) and removes the directory.
 */
export class EntrypointFixture {
  #dir: string;
  #rootfs: string;
  #entrypoint: string;
  #runs: EntrypointRun[] = [];
  #count = 0;

  constructor(dir: string, rootfs: string, entrypoint: string) {
    this.#dir = dir;
    this.#rootfs = rootfs;
    this.#entrypoint = entrypoint;
  }

  /** Builds the images if needed and unpacks IMAGE. */
  static async create(image: 'control' | 'admin', entrypoint: string): Promise<EntrypointFixture> {
    await ensureImagesBuilt();
    const dir = await makeTempRoot(`${image}-ep`);
    const rootfs = await unpackImage(archivePath(image), path.join(dir, 'image'));
    return new EntrypointFixture(dir, rootfs, entrypoint);
  }

  get dir(): string {
    return this.#dir;
  }

  /** The unpacked image (the read-only lower layer of every run). */
  get rootfs(): string {
    return this.#rootfs;
  }

  /** A new persistent storage directory (mode 0700, as berth makes it), with USER_DATA if given. */
  async storage(userData?: unknown): Promise<string> {
    const storage = path.join(this.#dir, 'storage', String(++this.#count));
    await mkdir(storage, { recursive: true, mode: 0o700 });
    if (userData !== undefined) {
      const text = typeof userData === 'string' ? userData : JSON.stringify(userData);
      await writeFile(path.join(storage, 'user-data'), text, { mode: 0o600 });
    }
    return storage;
  }

  /** Starts the image's entrypoint on a pristine copy of its root filesystem with STORAGE. */
  start(storage: string): EntrypointRun {
    const run = EntrypointRun.start(this.#rootfs, {
      runDir: path.join(this.#dir, 'runs', String(++this.#count)),
      storage,
      entrypoint: this.#entrypoint,
    });
    this.#runs.push(run);
    return run;
  }

  /**
   * Starts with USER_DATA and expects the entrypoint to print MESSAGE and idle (CHECK runs meanwhile),
   * then to exit 0 within 10 s of SIGTERM, without having made host keys.
   */
  async expectIdle(userData: unknown, message: RegExp, check?: () => Promise<void>): Promise<void> {
    const storage = await this.storage(userData);
    const run = this.start(storage);
    await run.waitForOutput(message);
    await check?.();
    await run.terminate();
    const exit = await within(run.exited, 10_000, `exit of the idle entrypoint after SIGTERM (${message})`);
    assert.deepEqual(exit, { code: 0, signal: null });
    await assert.rejects(access(path.join(storage, 'etc')), 'no host keys were made');
  }

  /** Starts with USER_DATA and expects the entrypoint to exit 1 printing MESSAGE, without host keys. */
  async expectFailure(userData: unknown, message: RegExp): Promise<EntrypointRun> {
    const storage = await this.storage(userData);
    const run = this.start(storage);
    const exit = await within(run.exited, 20_000, `exit on ${JSON.stringify(userData)}`);
    assert.equal(exit.code, 1, `${JSON.stringify(userData)}: ${run.output}`);
    assert.match(run.output, message);
    await assert.rejects(access(path.join(storage, 'etc')), 'no host keys were made');
    return run;
  }

  async cleanup(): Promise<void> {
    await Promise.all(this.#runs.map((r) => r.kill()));
    await removeTempRoot(this.#dir);
  }
}
