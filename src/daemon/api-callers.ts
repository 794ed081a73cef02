import { readFile } from 'node:fs/promises';
import type { Socket } from 'node:net';
import type { ApiAccessControl, ApiCaller } from '../api/index.js';
import type { AuditActor, AuditLog } from '../audit/audit-log.js';
import type { BerthError } from '../errors/index.js';
import type { Logger } from '../lib/logger.js';
import type { Settings } from '../model/index.js';
import { callerInContainer, containerIdInCgroups } from './caller-container.js';
import type { PeerCredentials } from './peer-credentials.js';

/** Where a connection comes from. Its peer (SO_PEERCRED) is fixed at connect, so it is found once. */
interface Peer {
  actor: AuditActor;
  /** The container the peer process runs in; absent for host processes. */
  containerId?: string;
  /** Why the peer could not be placed. */
  unidentified?: string;
}

export interface ApiCallersOptions {
  peers: PeerCredentials;
  /** host-containerd's cgroup parent: each of its containers is a cgroup right below it. */
  cgroupParent: string;
  /** The live settings, read on every request: a changed api-access applies at once. */
  settings: () => Settings;
  audit: AuditLog;
  logger: Pick<Logger, 'warn'>;
}

/**
 * The API's access control in berthd: a caller is the host container its process runs in (by the
 * peer's cgroup, ./caller-container.ts), with that container's `api-access`; a process in no
 * container of host-containerd has full access. Each refusal goes to the audit log.
 */
export class ApiCallers implements ApiAccessControl {
  #o: ApiCallersOptions;
  #known = new WeakMap<Socket, Promise<Peer>>();

  constructor(options: ApiCallersOptions) {
    this.#o = options;
  }

  async callerOf(socket: Socket): Promise<ApiCaller> {
    const peer = await this.#peerOf(socket);
    if (peer.unidentified !== undefined) return { kind: 'unidentified', why: peer.unidentified };
    return peer.containerId === undefined ? { kind: 'host' } : callerInContainer(peer.containerId, this.#o.settings());
  }

  async refused(socket: Socket, caller: ApiCaller, error: BerthError): Promise<void> {
    const { actor } = await this.#peerOf(socket);
    this.#o.logger.warn({ caller, actor, reason: error.message }, 'api request refused');
    await this.#o.audit.append({ event: 'api-refused', target: caller.kind === 'container' ? caller.name : '-', actor, reason: error.message });
  }

  #peerOf(socket: Socket): Promise<Peer> {
    let peer = this.#known.get(socket);
    if (!peer) {
      peer = this.#identify(socket);
      this.#known.set(socket, peer);
    }
    return peer;
  }

  async #identify(socket: Socket): Promise<Peer> {
    const actor = await this.#o.peers.of(socket);
    // pid 0: the peer is in a pid namespace berthd cannot see into.
    if (!actor.pid) return { actor, unidentified: 'no peer process' };
    let cgroups: string;
    try {
      cgroups = await readFile(`/proc/${actor.pid}/cgroup`, 'utf8');
    } catch {
      return { actor, unidentified: `process ${actor.pid} is gone` };
    }
    const containerId = containerIdInCgroups(cgroups, this.#o.cgroupParent);
    return containerId === undefined ? { actor } : { actor, containerId };
  }
}
