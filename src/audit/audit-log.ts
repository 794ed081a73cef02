import { open, readFile, rename, stat } from 'node:fs/promises';
import { BerthError } from '../errors/index.js';

/** Who opened a session: the socket peer for API execs, the SSH user and key for logins. */
export interface AuditActor {
  /** Peer process of the API socket (SO_PEERCRED). */
  pid?: number;
  uid?: number;
  gid?: number;
  /** Peer process name. */
  comm?: string;
  /** SSH login user. */
  user?: string;
  /** SSH client address:port. */
  from?: string;
  /** SSH key fingerprint. */
  key?: string;
}

export type AuditEvent = 'exec-start' | 'exec-end' | 'exec-refused' | 'ssh-login' | 'ssh-logout' | 'break-glass-expired' | 'api-refused' | 'bootstrap-command';

export interface AuditRecord {
  /** RFC 3339. */
  time: string;
  event: AuditEvent;
  /**
   * Host container name; for `api-refused`, the container the refused caller runs in (`-`: unknown);
   * for `bootstrap-command` (one apiclient call berthd made at boot), the bootstrap command's name.
   */
  target: string;
  /** Ties the start and end of one session together. */
  session?: string;
  actor?: AuditActor;
  command?: string[];
  tty?: boolean;
  durationMs?: number;
  exitCode?: number;
  /** The client went away before the process ended (it was killed). */
  disconnected?: boolean;
  reason?: string;
}

export interface AuditQuery {
  /** Only records at or after this time. */
  since?: Date;
  /** Only this container's records. */
  target?: string;
  /** The most recent N. */
  limit?: number;
}

/**
 * berth's own audit trail of break-glass access: one JSON object per line, appended and fsynced
 * record by record (an audit entry must survive a crash right after the session), rotated at
 * `maxBytes` keeping `keep` older files.
 */
export class AuditLog {
  readonly file: string;
  #maxBytes: number;
  #keep: number;
  #queue: Promise<void> = Promise.resolve();

  constructor(options: { file: string; maxBytes?: number; keep?: number }) {
    this.file = options.file;
    this.#maxBytes = options.maxBytes ?? 10 << 20;
    this.#keep = options.keep ?? 3;
  }

  append(record: Omit<AuditRecord, 'time'> & { time?: string }): Promise<void> {
    const line = JSON.stringify({ time: record.time ?? new Date().toISOString(), ...record }) + '\n';
    const next = this.#queue.then(() => this.#write(line));
    this.#queue = next.catch(() => undefined);
    return next;
  }

  async #write(line: string): Promise<void> {
    const size = (await stat(this.file).catch(() => undefined))?.size ?? 0;
    if (size > 0 && size + line.length > this.#maxBytes) await this.#rotate();
    const fh = await open(this.file, 'a', 0o600);
    try {
      await fh.write(line);
      await fh.sync();
    } finally {
      await fh.close();
    }
  }

  async #rotate(): Promise<void> {
    for (let i = this.#keep - 1; i >= 1; i--) await rename(`${this.file}.${i}`, `${this.file}.${i + 1}`).catch(() => undefined);
    await rename(this.file, `${this.file}.1`).catch(() => undefined);
  }

  /** Records oldest first, across rotated files. */
  async read(query: AuditQuery = {}): Promise<AuditRecord[]> {
    if (query.limit !== undefined && (!Number.isInteger(query.limit) || query.limit < 1)) {
      throw new BerthError('INVALID_ARGUMENT', `Invalid limit: expected a positive integer, got ${query.limit}`);
    }
    await this.#queue;
    const files = [...Array.from({ length: this.#keep }, (_, i) => `${this.file}.${this.#keep - i}`), this.file];
    const out: AuditRecord[] = [];
    for (const f of files) {
      const text = await readFile(f, 'utf8').catch(() => '');
      for (const line of text.split('\n')) {
        if (!line) continue;
        let r: AuditRecord;
        try {
          r = JSON.parse(line) as AuditRecord;
        } catch {
          continue; // a torn last line after a crash
        }
        if (query.since && Date.parse(r.time) < query.since.getTime()) continue;
        if (query.target && r.target !== query.target) continue;
        out.push(r);
      }
    }
    return query.limit ? out.slice(-query.limit) : out;
  }
}
