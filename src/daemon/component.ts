import { messageOf } from '../errors/index.js';
import type { Logger } from '../lib/logger.js';

/** One subsystem of berthd: started in order when berthd starts, stopped in reverse when it exits. */
export interface Component {
  readonly name: string;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts components one after the other. When one fails, those already started are stopped again
 * (last first) before the error is thrown, so a failed start leaves nothing half-running.
 */
export async function startComponents(components: readonly Component[], log: Logger): Promise<Component[]> {
  const started: Component[] = [];
  try {
    for (const c of components) {
      await c.start();
      started.push(c);
    }
    return started;
  } catch (err) {
    await stopComponents(started, log);
    throw err;
  }
}

/** Stops started components, last first; a failing stop is logged and the others still stop. */
export async function stopComponents(started: readonly Component[], log: Logger): Promise<void> {
  for (const c of [...started].reverse()) {
    await c.stop().catch((err: unknown) => log.warn({ component: c.name, err: messageOf(err) }, 'stop failed'));
  }
}
