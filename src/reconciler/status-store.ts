import { isDeepStrictEqual } from 'node:util';
import type { ContainerStatus } from './status.js';

/** Told a container's new status, or undefined when berth no longer knows the container. */
export type StatusListener = (name: string, status: ContainerStatus | undefined) => void;

/**
 * Each host container's current status, written by the reconciler and read by the status routes.
 * Whoever acts on a status (the SSH-audit follower) subscribes instead of polling: listeners hear
 * only real changes, so writing the same status twice is free.
 */
export class StatusStore {
  #statuses = new Map<string, ContainerStatus>();
  #listeners = new Set<StatusListener>();

  get(name: string): ContainerStatus | undefined {
    return this.#statuses.get(name);
  }

  /** Every container's status, by name. */
  list(): ContainerStatus[] {
    return [...this.#statuses.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  set(status: ContainerStatus): void {
    if (isDeepStrictEqual(this.#statuses.get(status.name), status)) return;
    this.#statuses.set(status.name, status);
    this.#notify(status.name, status);
  }

  delete(name: string): void {
    if (this.#statuses.delete(name)) this.#notify(name, undefined);
  }

  /** Calls `listener` after every change; returns the unsubscribe function. */
  subscribe(listener: StatusListener): () => void {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  #notify(name: string, status: ContainerStatus | undefined): void {
    for (const listener of this.#listeners) listener(name, status);
  }
}
