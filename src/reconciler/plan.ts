import type { ActualContainer, DesiredContainer, Plan } from './types.js';

/**
 * The pure heart of reconciliation: what to do with one container given what the settings want and
 * what host-containerd has. Idempotent: running the steps and planning again yields no steps.
 * Restart pacing (backoff) is the controller's business, not the plan's.
 */
export function plan(desired: DesiredContainer | undefined, actual: ActualContainer | undefined): Plan {
  if (!desired && !actual) return { steps: [], reason: 'not wanted, not present' };
  if (!desired) return { steps: ['stop', 'remove'], reason: 'disabled or removed in settings' };
  if (!actual) return { steps: ['create', 'start'], reason: 'enabled, not present' };
  if (actual.hash !== desired.hash) return { steps: ['stop', 'remove', 'create', 'start'], reason: 'settings changed' };
  switch (actual.task) {
    case 'running':
    case 'paused':
      return { steps: [], reason: 'running as wanted' };
    case 'created':
      return { steps: ['start'], reason: 'created, not started' };
    case 'stopped':
      return { steps: ['start'], reason: `exited with status ${actual.exitCode ?? 'unknown'}` };
    case 'none':
      return { steps: ['start'], reason: 'no task' };
  }
}
