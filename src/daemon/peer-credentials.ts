import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import type { Socket } from 'node:net';
import { createInterface } from 'node:readline';
import type { AuditActor } from '../audit/audit-log.js';

/** The file descriptor under a connected socket (libuv's handle keeps it; Node does not expose it). */
function fdOf(socket: Socket): number | undefined {
  const fd = (socket as unknown as { _handle?: { fd?: unknown } })._handle?.fd;
  return typeof fd === 'number' && fd >= 0 ? fd : undefined;
}

/** A running helper and the answers it still owes, in the order asked. */
interface Helper {
  child: ChildProcess;
  waiting: Array<(line: string | undefined) => void>;
}

/** An answer that does not come within this long counts as "unknown". */
const ANSWER_TIMEOUT_MS = 5000;

/**
 * The process on the other end of an API connection (SO_PEERCRED), for the audit log. Node cannot
 * call getsockopt, so the berth-peercred helper reads it from a duplicate of berthd's descriptor;
 * one helper serves berthd for its whole life (started on first use, again if it dies), answering
 * one line per request in order. An unknown peer is `{}`.
 */
export class PeerCredentials {
  #helper: string;
  #current: Helper | undefined;

  constructor(helper: string) {
    this.#helper = helper;
  }

  async of(socket: Socket): Promise<AuditActor> {
    const fd = fdOf(socket);
    if (fd === undefined) return {};
    const line = await this.#ask(String(fd));
    const m = line === undefined ? null : /^(\d+) (\d+) (\d+)$/.exec(line);
    if (!m) return {};
    const pid = Number(m[1]);
    const comm = (await readFile(`/proc/${pid}/comm`, 'utf8').catch(() => '')).trim();
    return { pid, uid: Number(m[2]), gid: Number(m[3]), ...(comm ? { comm } : {}) };
  }

  close(): void {
    this.#current?.child.kill();
    this.#current = undefined;
  }

  #ask(request: string): Promise<string | undefined> {
    return new Promise((resolve) => {
      const helper = this.#running();
      if (!helper.child.stdin?.writable) return resolve(undefined);
      let done = false;
      const timer = setTimeout(() => settle(undefined), ANSWER_TIMEOUT_MS);
      const settle = (line: string | undefined) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        resolve(line);
      };
      helper.waiting.push(settle);
      helper.child.stdin.write(`${request}\n`);
    });
  }

  #running(): Helper {
    const current = this.#current;
    if (current && current.child.exitCode === null && current.child.signalCode === null) return current;
    const child = spawn(this.#helper, [String(process.pid)], { stdio: ['pipe', 'pipe', 'ignore'] });
    const helper: Helper = { child, waiting: [] };
    const gone = () => {
      if (this.#current === helper) this.#current = undefined;
      for (const settle of helper.waiting.splice(0)) settle(undefined);
    };
    child.on('error', gone);
    child.on('exit', gone);
    child.stdin.on('error', () => undefined);
    createInterface({ input: child.stdout }).on('line', (line) => helper.waiting.shift()?.(line));
    this.#current = helper;
    return helper;
  }
}
