import { isLayer } from './media-types.js';
import type { ProgressEvent, ProgressListener } from './progress-events.js';

/**
 * Shows the ProgressEvents of a pull or an archive import. On a terminal: a compact view redrawn
 * in place (bytes per blob in flight, a totals line, the last retry). Elsewhere: plain lines, one
 * per blob done, per layer unpacked, per retry and at the end. The state and the rendering are pure
 * functions; ProgressDisplay only decides when to write.
 */
export interface BlobProgress {
  digest: string;
  mediaType: string;
  bytes: number;
  total: number;
  done: boolean;
}

export interface ProgressState {
  /** In the order first seen. */
  blobs: BlobProgress[];
  unpack?: { done: number; total: number };
  lastRetry?: Extract<ProgressEvent, { kind: 'retry' }>;
  finished?: { name: string; digest: string };
}

export function emptyProgress(): ProgressState {
  return { blobs: [] };
}

/** The state after `event` (a new object; `state` is not changed). */
export function applyProgress(state: ProgressState, event: ProgressEvent): ProgressState {
  switch (event.kind) {
    case 'blob': {
      const known = state.blobs.find((b) => b.digest === event.digest);
      const next: BlobProgress = {
        digest: event.digest,
        mediaType: event.mediaType || known?.mediaType || '',
        bytes: Math.min(event.bytes, event.total),
        total: event.total,
        done: (known?.done ?? false) || event.bytes >= event.total,
      };
      return { ...state, blobs: known ? state.blobs.map((b) => (b === known ? next : b)) : [...state.blobs, next] };
    }
    case 'unpack':
      return { ...state, unpack: { done: event.done, total: event.total } };
    case 'retry':
      return { ...state, lastRetry: event };
    case 'done':
      return { ...state, finished: { name: event.name, digest: event.digest } };
  }
}

/** 1536 → "1.5 KiB". */
export function formatBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = n;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${n} B` : `${value.toFixed(1)} ${units[unit]}`;
}

export function shortDigest(digest: string): string {
  return digest.replace(/^sha256:/, '').slice(0, 12);
}

function bar(bytes: number, total: number, width: number): string {
  const filled = total > 0 ? Math.floor((bytes / total) * width) : width;
  return '[' + '='.repeat(filled) + (filled < width ? '>' + ' '.repeat(width - filled - 1) : '') + ']';
}

function noun(state: ProgressState): string {
  return state.blobs.every((b) => isLayer(b.mediaType)) ? 'layers' : 'blobs';
}

/** The live view: up to `maxRows` blobs in flight, then a totals line (and the last retry). */
export function renderLive(state: ProgressState, options: { width: number; maxRows?: number }): string[] {
  const maxRows = options.maxRows ?? 6;
  const fit = (line: string) => (line.length >= options.width ? line.slice(0, Math.max(0, options.width - 1)) : line);
  const active = state.blobs.filter((b) => !b.done);
  const lines = active
    .slice(0, maxRows)
    .map((b) => `${shortDigest(b.digest)}  ${bar(b.bytes, b.total, 20)}  ${formatBytes(b.bytes)} / ${formatBytes(b.total)}`);
  if (active.length > maxRows) lines.push(`… and ${active.length - maxRows} more`);
  const bytes = state.blobs.reduce((sum, b) => sum + b.bytes, 0);
  const total = state.blobs.reduce((sum, b) => sum + b.total, 0);
  const done = state.blobs.filter((b) => b.done).length;
  let summary = `${noun(state)} ${done}/${state.blobs.length}  ${formatBytes(bytes)} / ${formatBytes(total)}`;
  if (state.unpack) summary += `  unpacked ${state.unpack.done}/${state.unpack.total}`;
  if (state.finished) summary += `  done ${state.finished.name}`;
  lines.push(summary);
  if (state.lastRetry && !state.finished) lines.push(retryLine(state.lastRetry));
  return lines.map(fit);
}

function retryLine(r: Extract<ProgressEvent, { kind: 'retry' }>): string {
  const what = r.what.startsWith('sha256:') ? shortDigest(r.what) : r.what;
  return `retry ${r.attempt} of ${what} in ${(r.delayMs / 1000).toFixed(1)} s: ${r.reason}`;
}

/** The plain log lines for `event`, given the state before it (a blob is reported once, when done). */
export function logLines(before: ProgressState, event: ProgressEvent): string[] {
  switch (event.kind) {
    case 'blob': {
      const wasDone = before.blobs.find((b) => b.digest === event.digest)?.done ?? false;
      return !wasDone && event.bytes >= event.total ? [`${shortDigest(event.digest)} done (${formatBytes(event.total)})`] : [];
    }
    case 'unpack':
      return [`unpacked layer ${event.done}/${event.total}`];
    case 'retry':
      return [retryLine(event)];
    case 'done':
      return [`done: ${event.name} ${event.digest}`];
  }
}

export interface ProgressOutput {
  write(text: string): unknown;
  /** A terminal gets the live view. */
  isTTY?: boolean;
  /** Terminal width. Default 80. */
  columns?: number;
}

export class ProgressDisplay {
  #out: ProgressOutput;
  #live: boolean;
  #intervalMs: number;
  #now: () => number;
  #state = emptyProgress();
  #drawn = 0;
  #lastDraw = -Infinity;

  constructor(out: ProgressOutput, options: { live?: boolean; intervalMs?: number; now?: () => number } = {}) {
    this.#out = out;
    this.#live = options.live ?? out.isTTY === true;
    this.#intervalMs = options.intervalMs ?? 100;
    this.#now = options.now ?? Date.now;
  }

  /** Pass this as `onProgress`. */
  readonly listener: ProgressListener = (event) => {
    const before = this.#state;
    this.#state = applyProgress(before, event);
    if (!this.#live) {
      for (const line of logLines(before, event)) this.#out.write(line + '\n');
      return;
    }
    const now = this.#now();
    if (event.kind !== 'blob' || now - this.#lastDraw >= this.#intervalMs) {
      this.#lastDraw = now;
      this.#draw();
    }
  };

  /** Draws the final state (live view); call when the pull or import ends. */
  finish(): void {
    if (this.#live) this.#draw();
  }

  #draw(): void {
    const lines = renderLive(this.#state, { width: this.#out.columns ?? 80 });
    // Up to the first line drawn last time, clear to the end of the screen, draw again.
    const up = this.#drawn > 0 ? `\x1b[${this.#drawn}F\x1b[J` : '';
    this.#out.write(up + lines.join('\n') + '\n');
    this.#drawn = lines.length;
  }
}
