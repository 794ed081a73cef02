/** A tiny benchmark harness: runs alternate between berth and the reference so drift hits both. */

export interface Sample {
  berthMs: number;
  referenceMs: number;
}

export interface Comparison {
  name: string;
  reference: string;
  runs: number;
  /** Runs to discard first (cold caches, first connection). Default 1. */
  warmup?: number;
  berth: () => Promise<void>;
  ref: () => Promise<void>;
  /** Run after each measured call (not timed): clean up what it created. */
  reset?: () => Promise<void>;
}

export interface Result {
  name: string;
  reference: string;
  berthMedianMs: number;
  referenceMedianMs: number;
  ratio: number;
  samples: Sample[];
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

async function timed(fn: () => Promise<void>): Promise<number> {
  const start = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

export async function compare(c: Comparison): Promise<Result> {
  const samples: Sample[] = [];
  const warmup = c.warmup ?? 1;
  for (let i = 0; i < warmup + c.runs; i++) {
    // Alternate the order so neither side always runs on a warmer machine.
    const berthFirst = i % 2 === 0;
    let berthMs: number;
    let referenceMs: number;
    if (berthFirst) {
      berthMs = await timed(c.berth);
      await c.reset?.();
      referenceMs = await timed(c.ref);
    } else {
      referenceMs = await timed(c.ref);
      await c.reset?.();
      berthMs = await timed(c.berth);
    }
    await c.reset?.();
    if (i >= warmup) samples.push({ berthMs, referenceMs });
  }
  const berthMedianMs = median(samples.map((s) => s.berthMs));
  const referenceMedianMs = median(samples.map((s) => s.referenceMs));
  return { name: c.name, reference: c.reference, berthMedianMs, referenceMedianMs, ratio: berthMedianMs / referenceMedianMs, samples };
}

export function report(results: readonly Result[]): string {
  const rows = results.map(
    (r) =>
      `${r.name.padEnd(34)} ${r.berthMedianMs.toFixed(1).padStart(9)} ms  ${r.referenceMedianMs.toFixed(1).padStart(9)} ms  ${r.ratio.toFixed(2).padStart(6)}x  (${r.reference}, n=${r.samples.length})`,
  );
  return [`${'benchmark'.padEnd(34)} ${'berth'.padStart(12)}  ${'reference'.padStart(12)}  ${'ratio'.padStart(7)}`, ...rows].join('\n');
}
