import { mkdir } from 'node:fs/promises';
import { BerthError } from '../errors/index.js';
import type { Logger } from '../lib/logger.js';
import { readBerthdState, readLiveBerthdState, removeBerthdState, writeBerthdState } from './berthd-state.js';
import { berthPaths, type BerthPaths } from './paths.js';
import { RuntimeManager, type ContainerdMode } from './runtime-manager.js';
import { processRunning } from './process-identity.js';

export interface BerthdOptions {
  /** Prefix of every path. Default "/". */
  root: string;
  containerd: ContainerdMode;
  logger: Logger;
}

/**
 * The running supervisor: the composition root that wires paths, the containerd runtime manager and
 * (as they land) the datastore, API and reconciler. The only place with process-wide side effects.
 */
export class Berthd {
  readonly paths: BerthPaths;
  readonly runtime: RuntimeManager;
  #log: Logger;
  #options: BerthdOptions;
  /** Keeps the event loop alive: the daemons are detached and their watchers unref'd. */
  #keepAlive: NodeJS.Timeout | undefined;

  constructor(options: BerthdOptions) {
    this.#options = options;
    this.#log = options.logger;
    this.paths = berthPaths(options.root);
    this.runtime = new RuntimeManager({ mode: options.containerd, paths: this.paths, logger: options.logger });
  }

  async start(): Promise<void> {
    const p = this.paths;
    const live = await readLiveBerthdState(p.berthdState);
    if (live && live.pid !== process.pid) {
      throw new BerthError('ALREADY_EXISTS', `berthd is already running for root ${p.root} (pid ${live.pid})`);
    }
    await mkdir(p.run, { recursive: true, mode: 0o755 });
    await mkdir(p.data, { recursive: true, mode: 0o700 });
    await mkdir(p.logs, { recursive: true, mode: 0o750 });
    await writeBerthdState(p.berthdState, {
      pid: process.pid,
      mode: this.#options.containerd,
      root: p.root,
      startedAt: new Date().toISOString(),
    });
    this.#log.info({ root: p.root, containerd: this.#options.containerd }, 'berthd starting');
    this.#keepAlive = setInterval(() => undefined, 1 << 30);
    await this.runtime.start();
    this.#log.info({ api: p.apiSocket }, 'berthd ready');
  }

  /**
   * berthd exits but leaves the containerd daemons and the host containers running: the next
   * berthd adopts them (a restart must not take break-glass access down).
   */
  async exit(): Promise<void> {
    clearInterval(this.#keepAlive);
    this.runtime.detach();
    await removeBerthdState(this.paths.berthdState);
    this.#log.info('berthd exiting; daemons and containers keep running');
  }
}

/**
 * `berthd stop`: ends a running berthd, then stops what it managed, in order (orchestrator's
 * containerd, then host-containerd). Works when berthd already died, from the pidfiles.
 */
export async function stopBerthd(options: { root: string; logger: Logger; graceMs?: number }): Promise<void> {
  const paths = berthPaths(options.root);
  const last = await readBerthdState(paths.berthdState);
  const live = await readLiveBerthdState(paths.berthdState);
  if (live) {
    process.kill(live.pid, 'SIGTERM');
    const deadline = Date.now() + 30_000;
    while (processRunning(live.pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    if (processRunning(live.pid)) process.kill(live.pid, 'SIGKILL');
    options.logger.info({ pid: live.pid }, 'berthd stopped');
  }
  const mode = last?.mode ?? 'managed';
  const runtime = new RuntimeManager({ mode, paths, logger: options.logger });
  await runtime.stop({ graceMs: options.graceMs ?? 10_000 });
  await removeBerthdState(paths.berthdState);
}
