import { formatImageReference, parseImageReference } from '../model/index.js';
import type { PullRetry } from './runtime-port.js';

/**
 * What status says while a pull is retried: the reference and the registry (what an operator
 * checks first), the failed attempt and when the next one is due.
 */
export function pullRetryMessage(source: string, retry: PullRetry, now: Date): string {
  const ref = parseImageReference(source);
  const where = ref.kind === 'registry' ? ` from registry ${ref.registry}` : '';
  const next = new Date(now.getTime() + retry.delayMs).toISOString();
  return `Cannot pull ${formatImageReference(ref)}${where}: attempt ${retry.attempt} failed (${retry.reason}); next attempt at ${next}`;
}
