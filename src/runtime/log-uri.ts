/** Rotation limits of container logs. */
export interface LogLimits {
  /** The log file. Required. */
  file: string;
  /** Rotate when the file would pass this many bytes. Default 10 MiB. */
  maxBytes?: number;
  /** Rotated files kept (file.1 … file.N). Default 1. */
  keep?: number;
}

/**
 * The `binary://` URI that makes the shim run berth-logger for a container's stdout and stderr.
 * The shim passes the query to the logger as argument pairs.
 */
export function loggerUri(loggerBinary: string, limits: LogLimits): string {
  const q = new URLSearchParams({
    file: limits.file,
    max: String(limits.maxBytes ?? 10 << 20),
    keep: String(limits.keep ?? 1),
  });
  return `binary://${loggerBinary}?${q.toString()}`;
}
