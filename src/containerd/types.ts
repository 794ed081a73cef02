import type { AnyMessage } from './any.js';

/** Wire types as proto-loader decodes them (snake_case, sizes as numbers, enums as names). */

export interface Timestamp {
  seconds: number;
  nanos: number;
}

export interface Mount {
  type: string;
  source: string;
  target?: string;
  options: string[];
}

export interface Descriptor {
  media_type: string;
  digest: string;
  size: number;
  annotations?: Record<string, string>;
}

export interface Platform {
  os: string;
  architecture: string;
  variant?: string;
}

export interface FieldMask {
  paths: string[];
}

export interface ContentInfo {
  digest: string;
  size: number;
  created_at?: Timestamp | null;
  updated_at?: Timestamp | null;
  labels: Record<string, string>;
}

export interface ContentStatus {
  ref: string;
  offset: number;
  total: number;
  expected: string;
}

export interface Image {
  name: string;
  labels: Record<string, string>;
  target: Descriptor;
  created_at?: Timestamp | null;
  updated_at?: Timestamp | null;
}

export interface Lease {
  id: string;
  labels: Record<string, string>;
}

export type SnapshotKind = 'UNKNOWN' | 'VIEW' | 'ACTIVE' | 'COMMITTED';

export interface SnapshotInfo {
  name: string;
  parent: string;
  kind: SnapshotKind;
  labels: Record<string, string>;
}

export interface Container {
  id: string;
  labels: Record<string, string>;
  image: string;
  runtime: { name: string; options?: AnyMessage | null } | null;
  spec: AnyMessage | null;
  snapshotter: string;
  snapshot_key: string;
  created_at?: Timestamp | null;
  updated_at?: Timestamp | null;
  extensions?: Record<string, AnyMessage>;
}

export type ProcessStatus = 'UNKNOWN' | 'CREATED' | 'RUNNING' | 'STOPPED' | 'PAUSED' | 'PAUSING';

export interface Process {
  container_id: string;
  /** The container id for a task, the exec id for an exec (container_id is empty in 1.6). */
  id: string;
  pid: number;
  status: ProcessStatus;
  stdin: string;
  stdout: string;
  stderr: string;
  terminal: boolean;
  exit_status: number;
  exited_at: Timestamp | null;
}

export interface ExitStatus {
  exit_status: number;
  exited_at: Timestamp | null;
}

export interface Envelope {
  timestamp: Timestamp | null;
  namespace: string;
  topic: string;
  event: AnyMessage | null;
}

/** Go's zero time (year 1) marks "not exited"; anything at or before the epoch counts as unset. */
export function timestampToDate(ts: Timestamp | null | undefined): Date | undefined {
  if (!ts || ts.seconds <= 0) return undefined;
  return new Date(ts.seconds * 1000 + Math.floor(ts.nanos / 1e6));
}
