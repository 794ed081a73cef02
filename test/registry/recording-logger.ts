import type { Logger } from '../../src/lib/logger.js';

export interface LogEntry {
  level: 'info' | 'warn' | 'error' | 'debug';
  msg: string;
  fields: Record<string, unknown>;
}

/** A Logger that keeps what it is told, for tests that check what was logged. */
export function recordingLogger(entries: LogEntry[] = []): Logger & { entries: LogEntry[] } {
  const at =
    (level: LogEntry['level']) =>
    (obj: object | string, msg?: string): void => {
      entries.push(typeof obj === 'string' ? { level, msg: obj, fields: {} } : { level, msg: msg ?? '', fields: obj as Record<string, unknown> });
    };
  const logger = { entries, info: at('info'), warn: at('warn'), error: at('error'), debug: at('debug'), child: () => logger };
  return logger;
}
