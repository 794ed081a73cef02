import { pino } from 'pino';
import type { Logger } from '../lib/logger.js';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** berthd's structured JSON log on stdout (one object per line), as journald and log shippers expect. */
export function createLogger(level: LogLevel): Logger & { flush(): void } {
  return pino({ level, base: { name: 'berthd' }, timestamp: pino.stdTimeFunctions.isoTime });
}
