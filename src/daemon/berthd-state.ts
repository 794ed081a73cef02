import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import type { ContainerdMode } from './containerd-supervisor.js';
import { processArgv } from './process-identity.js';

/** What a running berthd records about itself, so `berthd stop` knows what to stop. */
export interface BerthdState {
  pid: number;
  mode: ContainerdMode;
  root: string;
  startedAt: string;
}

export async function writeBerthdState(file: string, state: BerthdState): Promise<void> {
  const tmp = `${file}.tmp`;
  await writeFile(tmp, JSON.stringify(state) + '\n', { mode: 0o644 });
  await rename(tmp, file);
}

/** The recorded state when that berthd is still alive, else undefined. */
export async function readLiveBerthdState(file: string): Promise<BerthdState | undefined> {
  let state: BerthdState;
  try {
    state = JSON.parse(await readFile(file, 'utf8')) as BerthdState;
  } catch {
    return undefined;
  }
  const argv = await processArgv(state.pid);
  return argv && argv.some((a) => a.includes('berthd')) ? state : undefined;
}

/** The recorded state even if that berthd is gone (to learn the mode of the last run). */
export async function readBerthdState(file: string): Promise<BerthdState | undefined> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as BerthdState;
  } catch {
    return undefined;
  }
}

export async function removeBerthdState(file: string): Promise<void> {
  await rm(file, { force: true });
}
