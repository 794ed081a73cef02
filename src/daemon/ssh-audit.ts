import { existsSync, statSync } from 'node:fs';
import type { Readable } from 'node:stream';
import type { AuditLog } from '../audit/audit-log.js';
import { parseSshdLine } from '../audit/sshd-log.js';
import { followFile } from '../lib/follow-file.js';
import type { Logger } from '../lib/logger.js';
import type { StatusStore } from '../reconciler/status-store.js';

/**
 * Records SSH logins into host containers in the audit log. sshd in the admin and control images
 * logs to the container's output (`sshd -e`), which berth-logger writes to a file berth owns; this
 * follows those files and turns "Accepted …" and "Disconnected from user …" into records.
 */
export class SshAudit {
  #audit: AuditLog;
  #log: Logger;
  #logFileOf: (name: string) => string;
  #followers = new Map<string, Readable>();
  #sessions = new Map<string, number>();
  /** Sizes of the log files when berthd started: what was there is old news. */
  #startSizes = new Map<string, number>();
  #started = new Set<string>();

  constructor(options: { audit: AuditLog; logger: Logger; logFileOf: (name: string) => string }) {
    this.#audit = options.audit;
    this.#log = options.logger.child({ component: 'ssh-audit' });
    this.#logFileOf = options.logFileOf;
  }

  /**
   * Follows the logs of the containers that are not disabled, starting and stopping as their status
   * changes in `statuses`; returns the function that stops following them all.
   */
  follow(statuses: StatusStore): () => void {
    const update = (): void => this.#watch(statuses.list().filter((s) => s.state !== 'disabled').map((s) => s.name));
    update();
    const unsubscribe = statuses.subscribe(update);
    return () => {
      unsubscribe();
      this.#stop();
    };
  }

  /** Follows the logs of these containers (and stops following the others). */
  #watch(names: readonly string[]): void {
    for (const name of names) {
      if (this.#followers.has(name)) continue;
      const file = this.#logFileOf(name);
      if (!this.#started.has(name)) {
        this.#started.add(name);
        this.#startSizes.set(name, existsSync(file) ? statSync(file).size : 0);
      }
      const size = existsSync(file) ? statSync(file).size : 0;
      const from = Math.min(size, this.#startSizes.get(name) ?? 0);
      this.#startSizes.set(name, 0); // after the first follower, everything new counts
      const stream = followFile(file, { follow: true, lastBytes: size - from, pollMs: 500 });
      let partial = '';
      stream.on('data', (chunk: Buffer) => {
        const lines = (partial + chunk.toString('utf8')).split('\n');
        partial = lines.pop() ?? '';
        for (const line of lines) this.#line(name, line.trimEnd());
      });
      stream.on('error', () => this.#followers.delete(name));
      this.#followers.set(name, stream);
    }
    for (const [name, stream] of this.#followers) {
      if (!names.includes(name)) {
        stream.destroy();
        this.#followers.delete(name);
      }
    }
  }

  #line(target: string, line: string): void {
    const e = parseSshdLine(line);
    if (!e) return;
    const session = `ssh-${target}-${e.from}`;
    const actor = { user: e.user, from: e.from, ...(e.kind === 'login' && e.key ? { key: e.key } : {}) };
    if (e.kind === 'login') {
      this.#sessions.set(session, Date.now());
      void this.#audit.append({ event: 'ssh-login', target, session, actor });
    } else {
      const started = this.#sessions.get(session);
      this.#sessions.delete(session);
      void this.#audit.append({ event: 'ssh-logout', target, session, actor, ...(started ? { durationMs: Date.now() - started } : {}) });
    }
    this.#log.info({ container: target, event: e.kind, user: e.user, from: e.from }, 'ssh session');
  }

  #stop(): void {
    for (const s of this.#followers.values()) s.destroy();
    this.#followers.clear();
  }
}
