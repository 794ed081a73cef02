import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startTestContainerd, type TestContainerd } from '../helpers/containerd.js';
import { makeTempRoot, removeTempRoot } from '../helpers/temp-root.js';
import { parseImageReference, type RegistryImageReference } from '../../src/model/index.js';
import { TestRegistry } from './registry-process.js';

export interface PullFixture {
  ctrd: TestContainerd;
  /** A fresh temp dir for the test file, removed at the end. */
  work: string;
  /** A plain-http registry on 127.0.0.1 (anonymous pulls), when asked for. */
  registry: TestRegistry;
  /** Run at the end, last added first. */
  cleanups: Array<() => Promise<unknown>>;
}

/**
 * Registers before/after hooks that start a private containerd (and a registry when `withRegistry`)
 * and clean everything up, including what the test file adds to `cleanups`. The fields are set once
 * the hooks have run: read them inside tests.
 */
export function usePullFixture(options: { withRegistry: boolean }): PullFixture {
  const state: Partial<PullFixture> = { cleanups: [] };
  const cleanups = state.cleanups as Array<() => Promise<unknown>>;
  before(async () => {
    state.work = await makeTempRoot('reg');
    const work = state.work;
    [state.ctrd, state.registry] = await Promise.all([
      startTestContainerd(),
      options.withRegistry ? TestRegistry.start(path.join(work, 'registry')) : Promise.resolve(undefined),
    ]);
  });
  after(async () => {
    for (const c of cleanups.reverse()) await c().catch(() => undefined);
    await state.registry?.kill();
    await state.ctrd?.cleanup();
    if (state.work) await removeTempRoot(state.work); // and the registry, should kill() have missed it
  });
  return state as PullFixture;
}

export function registryRef(text: string): RegistryImageReference {
  const ref = parseImageReference(text);
  assert.equal(ref.kind, 'registry');
  return ref;
}
