import { mkdir, rm } from 'node:fs/promises';
import type { AuditLog } from '../audit/audit-log.js';
import type { ContainerdClient } from '../containerd/index.js';
import { BerthError } from '../errors/index.js';
import { createExecUpgrade, type UpgradeRequest } from '../exec/exec-server.js';
import type { SessionLimits } from '../exec/session-limits.js';
import type { Logger } from '../lib/logger.js';
import { startExec } from '../runtime/exec-process.js';
import { FifoPool } from '../runtime/fifo-pool.js';
import type { HostContainerRuntime } from '../runtime/host-container-runtime.js';
import type { Component } from './component.js';
import type { PeerCredentials } from './peer-credentials.js';
import { killSession, pidNamespaceOf } from './process-tree.js';

export interface ExecOptions {
  client: ContainerdClient;
  runtime: HostContainerRuntime;
  audit: AuditLog;
  fifoDir: string;
  peers: PeerCredentials;
  logger: Logger;
  limits?: SessionLimits;
}

/**
 * berthd's exec subsystem: `GET /exec` sessions into running host containers, each recorded in the
 * audit log. `handle` is the API server's upgrade handler for `/exec`; it works once started.
 */
export function execComponent(options: ExecOptions): Component & { handle(upgrade: UpgradeRequest): void } {
  const fifos = new FifoPool(options.fifoDir);
  let handler: ((upgrade: UpgradeRequest) => void) | undefined;
  return {
    name: 'exec',
    async start() {
      // What an earlier berthd left (sessions cut short, its FIFO pool) goes; no shim uses it any more.
      await rm(options.fifoDir, { recursive: true, force: true });
      await mkdir(options.fifoDir, { recursive: true, mode: 0o700 });
      handler = execUpgrade(options, fifos);
    },
    async stop() {
      handler = undefined;
      options.peers.close();
      await fifos.drain();
    },
    handle(upgrade) {
      if (handler) handler(upgrade);
      else upgrade.socket.destroy();
    },
  };
}

function execUpgrade(options: ExecOptions, fifos: FifoPool): (upgrade: UpgradeRequest) => void {
  return createExecUpgrade({
    logger: options.logger,
    peer: (socket) => options.peers.of(socket),
    audit: (record) => options.audit.append(record),
    ...(options.limits ? { limits: options.limits } : {}),
    async start(init) {
      // Bottlerocket's targets: a host container's name, or boot.<name> for a bootstrap container.
      const [name, kind] = init.target.startsWith('boot.') ? [init.target.slice(5), 'bootstrap' as const] : [init.target, 'host' as const];
      const target = await options.runtime.execTarget(name, kind);
      if (!target) throw new BerthError('NOT_FOUND', `No host container named '${init.target}'`);
      const { actual, spec } = target;
      if (actual.task !== 'running') {
        throw new BerthError('FAILED_PRECONDITION', `Host container '${init.target}' is not running (${actual.task === 'none' ? 'no task' : actual.task})`);
      }
      const proc = await startExec(options.client, {
        containerId: actual.id,
        spec,
        args: init.command,
        ...(init.tty ? { tty: init.tty.size ?? { rows: 24, cols: 80 } } : {}),
        fifos,
      });
      // Every exec shares the container's pid namespace: the guard against a reused session id.
      const pidNamespace = pidNamespaceOf(actual.pid ?? proc.pid);
      return {
        pid: proc.pid,
        output: proc.output,
        stdin: proc.stdin,
        exited: proc.exited,
        closeStdin: () => proc.closeStdin(),
        resize: (size) => proc.resize(size),
        release: () => proc.release(),
        killAll: () => void killSession(proc.pid, pidNamespace),
      };
    },
  });
}
