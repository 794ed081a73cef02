import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { makeFifos } from './fifo.js';

/** What an exec needs of its FIFOs: a directory holding `stdin`, `stdout` and `stderr`. */
export interface FifoSource {
  /** A fresh directory of FIFOs, now named `<dir>/<name>`; the caller removes it when done. */
  take(name: string): Promise<string>;
}

const FIFO_NAMES = ['stdin', 'stdout', 'stderr'] as const;

/**
 * FIFOs made ahead of time, so that starting an exec does not wait for a mkfifo process (about
 * 5 ms of every `apiclient exec`). Sets are made a batch at a time by one mkfifo and handed out by
 * renaming their directory; the batch is made again in the background once half is used.
 */
export class FifoPool implements FifoSource {
  #dir: string;
  #batch: number;
  #ready: string[] = [];
  #refilling: Promise<void> | undefined;

  constructor(dir: string, { batch = 8 }: { batch?: number } = {}) {
    this.#dir = dir;
    this.#batch = batch;
  }

  async take(name: string): Promise<string> {
    while (this.#ready.length === 0) await this.#refill();
    const set = this.#ready.shift() as string;
    if (this.#ready.length <= this.#batch / 2) this.#refill().catch(() => undefined);
    const dest = path.join(this.#dir, name);
    await rename(set, dest);
    return dest;
  }

  /** Removes the sets not handed out (berthd stopping). */
  async drain(): Promise<void> {
    await this.#refilling?.catch(() => undefined);
    await Promise.all(this.#ready.splice(0).map((d) => rm(d, { recursive: true, force: true })));
  }

  #refill(): Promise<void> {
    this.#refilling ??= this.#make().finally(() => (this.#refilling = undefined));
    return this.#refilling;
  }

  async #make(): Promise<void> {
    const dirs = Array.from({ length: this.#batch }, () => path.join(this.#dir, `pool-${randomBytes(6).toString('hex')}`));
    await Promise.all(dirs.map((d) => mkdir(d, { recursive: true, mode: 0o700 })));
    await makeFifos(dirs.flatMap((d) => FIFO_NAMES.map((f) => path.join(d, f))));
    this.#ready.push(...dirs);
  }
}
