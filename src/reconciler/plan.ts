import { userDataDigest } from '../lib/user-data-digest.js';
import type { ActualContainer, ActualState, ContainerStep, DesiredContainer, DesiredState, Plan, Step, UserDataStep } from './types.js';

/**
 * The pure heart of reconciliation: what to do with one name given what the settings want and what
 * host-containerd and the container's storage hold. Idempotent: running the steps and planning
 * again yields no steps. Restart pacing (backoff) is the controller's business, not the plan's.
 */
export function plan(desired: DesiredState, actual: ActualState): Plan {
  const forContainer = containerPlan(desired.container, actual.container);
  const userData = userDataStep(desired.userData, actual.userDataDigest);
  if (!userData) return forContainer;
  // After any stop and remove, before any create and start: a replaced container's old process
  // never sees the new data, and the new one finds it at its first start.
  const steps = [...forContainer.steps];
  const at = steps.findIndex((s) => s === 'create' || s === 'start');
  steps.splice(at < 0 ? steps.length : at, 0, userData);
  if (forContainer.steps.length > 0) return { steps, reason: forContainer.reason };
  return { steps, reason: userData === 'write-user-data' ? 'stored user data differs from settings' : 'user data no longer in settings' };
}

/** Whether the stored user data must be written or removed to match `wanted`. */
export function userDataStep(wanted: Buffer | undefined, storedDigest: string | undefined): UserDataStep | undefined {
  if (!wanted) return storedDigest === undefined ? undefined : 'remove-user-data';
  return userDataDigest(wanted) === storedDigest ? undefined : 'write-user-data';
}

/** Whether a step acts on the container rather than on its stored user data. */
export function isContainerStep(step: Step): step is ContainerStep {
  return step !== 'write-user-data' && step !== 'remove-user-data';
}

function containerPlan(desired: DesiredContainer | undefined, actual: ActualContainer | undefined): Plan {
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
