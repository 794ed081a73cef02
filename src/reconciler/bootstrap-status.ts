import type { BootstrapMode, Settings } from '../model/index.js';
import type { BootstrapRun } from './bootstrap.js';

/**
 * A bootstrap container's state in this boot (docs/api.md):
 * - `off`: mode `off`, and it did not run in this boot;
 * - `pending`: to run in this boot (mode `once` or `always`), not started yet;
 * - `running`;
 * - `succeeded`, `failed` (`error` says why), `timed-out`: how its run in this boot ended.
 */
export type BootstrapState = 'off' | 'pending' | 'running' | 'succeeded' | 'failed' | 'timed-out';

/** What `GET /bootstrap-containers` and `apiclient status` report per bootstrap container. */
export interface BootstrapContainerStatus {
  /** The settings name; the CLI shows it as `boot.NAME`. */
  name: string;
  kind: 'bootstrap';
  mode: BootstrapMode;
  essential: boolean;
  source: string | undefined;
  state: BootstrapState;
  /** When its run in this boot started (RFC 3339). */
  startedAt?: string;
  /** How its process exited in this boot. */
  lastExit?: { code: number; at: string | undefined };
  /** Why its run failed or timed out. */
  error?: string;
}

const ENDED: Readonly<Record<NonNullable<BootstrapRun['result']>, BootstrapState>> = { ok: 'succeeded', failed: 'failed', timeout: 'timed-out' };

/** The status of every bootstrap container in settings, from the runs recorded in this boot. */
export function bootstrapStatuses(settings: Settings, runs: ReadonlyMap<string, BootstrapRun>): BootstrapContainerStatus[] {
  return Object.entries(settings['bootstrap-containers'] ?? {})
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, b]) => {
      const mode = b.mode ?? 'off';
      const run = runs.get(name);
      const out: BootstrapContainerStatus = { name, kind: 'bootstrap', mode, essential: b.essential ?? false, source: b.source, state: mode === 'off' ? 'off' : 'pending' };
      if (!run) return out;
      out.state = run.result ? ENDED[run.result] : 'running';
      out.startedAt = run.startedAt;
      if (run.exitCode !== undefined) out.lastExit = { code: run.exitCode, at: run.exitedAt };
      if (run.result && run.result !== 'ok' && run.reason) out.error = run.reason;
      return out;
    });
}
