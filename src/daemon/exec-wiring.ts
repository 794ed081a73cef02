import { mkdir } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { AuditLog } from '../audit/audit-log.js';
import type { ContainerdClient } from '../containerd/index.js';
import { BerthError } from '../errors/index.js';
import { createExecUpgrade } from '../exec/exec-server.js';
import type { Logger } from '../lib/logger.js';
import { startExec } from '../runtime/exec-process.js';
import type { HostContainerRuntime } from '../runtime/host-container-runtime.js';
import { peerCredentials } from './peer-credentials.js';
import { killProcessTree } from './process-tree.js';

/** `GET /exec`: exec sessions into running host containers, each recorded in the audit log. */
export async function execUpgrade(options: {
  client: ContainerdClient;
  runtime: HostContainerRuntime;
  audit: AuditLog;
  fifoDir: string;
  peercred: string;
  logger: Logger;
}): Promise<(req: IncomingMessage, socket: Duplex, head: Buffer) => void> {
  await mkdir(options.fifoDir, { recursive: true, mode: 0o700 });
  return createExecUpgrade({
    logger: options.logger,
    killTree: (pid) => void killProcessTree(pid),
    peer: peerCredentials(options.peercred),
    audit: (record) => options.audit.append(record),
    async start(init) {
      // Bottlerocket's targets: a host container's name, or boot.<name> for a bootstrap container.
      const [name, kind] = init.target.startsWith('boot.') ? [init.target.slice(5), 'bootstrap' as const] : [init.target, 'host' as const];
      const actual = await options.runtime.inspect(name, kind);
      if (!actual) throw new BerthError('NOT_FOUND', `No host container named '${init.target}'`);
      if (actual.task !== 'running') {
        throw new BerthError('FAILED_PRECONDITION', `Host container '${init.target}' is not running (${actual.task === 'none' ? 'no task' : actual.task})`);
      }
      return startExec(options.client, {
        containerId: actual.id,
        args: init.command,
        ...(init.tty ? { tty: init.tty.size ?? { rows: 24, cols: 80 } } : {}),
        fifoDir: options.fifoDir,
      });
    },
  });
}
