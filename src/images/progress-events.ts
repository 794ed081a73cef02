/** What an import or pull reports while it runs; the display decides how to show it. */
export type ProgressEvent =
  | { kind: 'blob'; digest: string; bytes: number; total: number; mediaType: string }
  | { kind: 'unpack'; done: number; total: number }
  | { kind: 'retry'; what: string; attempt: number; delayMs: number; reason: string }
  | { kind: 'done'; name: string; digest: string };

export type ProgressListener = (event: ProgressEvent) => void;
