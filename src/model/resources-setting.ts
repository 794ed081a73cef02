import { describeValue } from './describe-value.js';
import { invalidSetting, type FieldValidator } from './field-validators.js';

/**
 * `host-containers.<name>.resources.*`: cgroup limits of one host container, so a runaway container
 * cannot starve the node (bottlerocket#4608). Names and units are the ones Bottlerocket users know
 * from Kubernetes (`memory = "512Mi"`, CPUs as `"500m"`) and docker (`cpu-shares`, `pids-limit`):
 * - `memory`: bytes as an integer, or a string with a binary suffix (`"512Mi"`, `"2Gi"`);
 * - `cpu-shares`: relative CPU weight against other containers (1024 is the default weight);
 * - `cpu-quota`: the most CPU time it may use, in CPUs: `"500m"` (millicores), `0.5`, `2`;
 * - `pids-max`: the most processes and threads it may have at once.
 * Each is a setting of its own (`apiclient set host-containers.x.resources.memory=256Mi`); an
 * absent one means no limit. Values are stored as written; resourceLimits() gives the numbers.
 */

const KI = 1024;
const MI = KI * KI;
const GI = KI * MI;
const TI = MI * MI;
/** Below this a container cannot even start: runc's init must fit (docker's minimum is 6 MB too). */
export const MEMORY_MIN_BYTES = 6 * MI;
/** 1 PiB: more than any host has, and still an exact integer in a JS number. */
export const MEMORY_MAX_BYTES = 1024 * TI;
/** The kernel's bounds of cpu.shares (MIN_SHARES, MAX_SHARES). */
export const CPU_SHARES_MIN = 2;
export const CPU_SHARES_MAX = 262_144;
/** 10m: 1 ms of every 100 ms period, the kernel's smallest CFS quota. */
export const CPU_QUOTA_MIN_MILLICPUS = 10;
/** 1024 CPUs. */
export const CPU_QUOTA_MAX_MILLICPUS = 1024 * 1000;
/** Room for the process, an `apiclient exec` session and a few children. */
export const PIDS_MIN = 16;
/** The kernel's PID_MAX_LIMIT. */
export const PIDS_MAX = 4_194_304;

/** The limits as numbers; each absent when not set. */
export interface ResourceLimits {
  memoryBytes?: number;
  cpuShares?: number;
  /** CPU time per period, in thousandths of a CPU. */
  cpuQuotaMillicpus?: number;
  pidsMax?: number;
}

/** The settings as written (./settings.ts HostContainerSettings.resources). */
export interface ResourcesSettings {
  memory?: number | string;
  'cpu-shares'?: number;
  'cpu-quota'?: number | string;
  'pids-max'?: number;
}

type Parse = (value: unknown, key: readonly string[]) => number;

function inRange(n: number, key: readonly string[], [min, max]: [number, number], unit: (n: number) => string): number {
  if (n < min || n > max) throw invalidSetting(key, `${unit(n)} is out of range: expected ${unit(min)} to ${unit(max)}`);
  return n;
}

function integer(value: unknown, key: readonly string[], what: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) throw invalidSetting(key, `expected ${what}, got ${describeValue(value)}`);
  return value;
}

const SUFFIX_BYTES: Readonly<Record<string, number>> = { '': 1, Ki: KI, Mi: MI, Gi: GI, Ti: TI };
const MEMORY_TEXT = /^([0-9]{1,16})(Ki|Mi|Gi|Ti)?$/;
/** A size as users write it: the largest suffix that divides it, else bytes. */
const bytes = (n: number): string => {
  const [suffix, unit] = Object.entries(SUFFIX_BYTES).reverse().find(([, u]) => n !== 0 && n % u === 0 && u > 1) ?? ['', 1];
  return suffix ? `${n / unit}${suffix}` : `${n} bytes`;
};

const parseMemory: Parse = (value, key) => {
  const what = 'bytes as an integer or a string like "512Mi" (suffixes Ki, Mi, Gi, Ti)';
  if (typeof value !== 'string') return inRange(integer(value, key, what), key, [MEMORY_MIN_BYTES, MEMORY_MAX_BYTES], bytes);
  const m = MEMORY_TEXT.exec(value);
  if (!m) throw invalidSetting(key, `expected ${what}, got ${describeValue(value)}`);
  return inRange(Number(m[1]) * SUFFIX_BYTES[m[2] ?? '']!, key, [MEMORY_MIN_BYTES, MEMORY_MAX_BYTES], bytes);
};

const parseCpuShares: Parse = (value, key) => inRange(integer(value, key, 'an integer weight'), key, [CPU_SHARES_MIN, CPU_SHARES_MAX], String);

/** `"500m"`, `"1.5"`, `1.5`: at most 3 decimals, since the unit is the millicpu. */
const CPU_TEXT = /^(?:([0-9]{1,9})m|([0-9]{1,9})(?:\.([0-9]{1,3}))?)$/;
const cpus = (millis: number): string => `${millis}m`;

const parseCpuQuota: Parse = (value, key) => {
  const what = 'CPUs as a number (0.5, 2) or millicores as a string ("500m")';
  const text = typeof value === 'number' && Number.isFinite(value) ? String(value) : value;
  const m = typeof text === 'string' ? CPU_TEXT.exec(text) : null;
  if (!m) throw invalidSetting(key, `expected ${what} with at most 3 decimals, got ${describeValue(value)}`);
  const millis = m[1] !== undefined ? Number(m[1]) : Number(m[2]) * 1000 + Number((m[3] ?? '').padEnd(3, '0'));
  return inRange(millis, key, [CPU_QUOTA_MIN_MILLICPUS, CPU_QUOTA_MAX_MILLICPUS], cpus);
};

const parsePidsMax: Parse = (value, key) => inRange(integer(value, key, 'an integer'), key, [PIDS_MIN, PIDS_MAX], String);

/** A field that checks its value with `parse` and stores it as written. */
const asWritten =
  (parse: Parse): FieldValidator =>
  (value, key) => {
    parse(value, key);
    return value as number | string;
  };

/** The fields of the `resources` table, each a setting of its own. */
export const RESOURCES_FIELDS: Readonly<Record<keyof ResourcesSettings, FieldValidator>> = {
  memory: asWritten(parseMemory),
  'cpu-shares': asWritten(parseCpuShares),
  'cpu-quota': asWritten(parseCpuQuota),
  'pids-max': asWritten(parsePidsMax),
};

/** The numbers of validated settings (the keys in errors are only for settings that skipped validation). */
export function resourceLimits(settings: ResourcesSettings | undefined): ResourceLimits {
  const s = settings ?? {};
  const key = (name: string) => ['resources', name];
  const out: ResourceLimits = {};
  if (s.memory !== undefined) out.memoryBytes = parseMemory(s.memory, key('memory'));
  if (s['cpu-shares'] !== undefined) out.cpuShares = parseCpuShares(s['cpu-shares'], key('cpu-shares'));
  if (s['cpu-quota'] !== undefined) out.cpuQuotaMillicpus = parseCpuQuota(s['cpu-quota'], key('cpu-quota'));
  if (s['pids-max'] !== undefined) out.pidsMax = parsePidsMax(s['pids-max'], key('pids-max'));
  return out;
}
