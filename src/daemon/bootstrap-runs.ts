import { mkdir, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from '../datastore/index.js';
import type { BootstrapRun, EndedRun } from '../reconciler/bootstrap.js';

/** Why a run recorded without an end counts as failed (and is not started again by itself). */
const CUT_SHORT = 'berthd stopped while it ran; not run again in this boot';

/**
 * The runs of bootstrap containers in this boot, one JSON file per container under /run, so they
 * are gone at reboot and a berthd restart in the same boot neither runs them again nor forgets how
 * they ended.
 */
export class BootstrapRuns {
  readonly #dir: string;
  readonly #runs: Map<string, BootstrapRun>;

  constructor(dir: string, runs: Map<string, BootstrapRun>) {
    this.#dir = dir;
    this.#runs = runs;
  }

  /** Reads what earlier berthd processes of this boot recorded; a run they left unfinished ended then. */
  static async load(dir: string): Promise<BootstrapRuns> {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const runs = new Map<string, BootstrapRun>();
    for (const name of await readdir(dir)) {
      if (name.endsWith('.tmp')) continue;
      const run = parseRun(await readFile(path.join(dir, name), 'utf8'));
      runs.set(name, run.result ? run : { ...run, result: 'failed', reason: CUT_SHORT });
    }
    return new BootstrapRuns(dir, runs);
  }

  get all(): ReadonlyMap<string, BootstrapRun> {
    return this.#runs;
  }

  /** The run of `name` in this boot, if it ended. */
  ended(name: string): EndedRun | undefined {
    const run = this.#runs.get(name);
    return run?.result ? { ...run, result: run.result } : undefined;
  }

  async record(name: string, run: BootstrapRun): Promise<void> {
    this.#runs.set(name, run);
    await writeFileAtomic(path.join(this.#dir, name), JSON.stringify(run));
  }
}

/** An older berth's marker holds only the start time: like that berth, count the container as done. */
function parseRun(text: string): BootstrapRun {
  try {
    return JSON.parse(text) as BootstrapRun;
  } catch {
    return { startedAt: text.trim(), result: 'ok' };
  }
}
