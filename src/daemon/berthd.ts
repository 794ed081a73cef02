import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { BerthError } from '../errors/index.js';
import type { Logger } from '../lib/logger.js';
import { ContainerdClient } from '../containerd/index.js';
import { Datastore } from '../datastore/index.js';
import { createApiServer } from '../api/index.js';
import { defaultSettings } from '../model/index.js';
import { HostContainerController } from '../reconciler/controller.js';
import { StatusStore } from '../reconciler/status-store.js';
import type { HostContainerRuntime } from '../runtime/host-container-runtime.js';
import { pullImage, TokenCache } from '../images/registry/index.js';
import { readBerthdState, readLiveBerthdState, removeBerthdState, writeBerthdState } from './berthd-state.js';
import { selinuxEnabled } from './host-facts.js';
import { createHostRuntime } from './host-runtime.js';
import { installPaths, type InstallPaths } from './install-paths.js';
import { berthPaths, type BerthPaths } from './paths.js';
import { removeBerthCgroups } from './cgroup-dirs.js';
import { processRunning } from './process-identity.js';
import { ContainerdSupervisor, type ContainerdMode } from './containerd-supervisor.js';
import { statusRoutes } from './status-routes.js';
import { bootRoutes } from './boot-routes.js';
import { BootSequence } from './boot-sequence.js';
import { bootApiclient } from './boot-apiclient.js';
import { auditRoutes } from './audit-routes.js';
import { execComponent } from './exec-wiring.js';
import { applyBootUserData } from './boot-user-data.js';
import type { BootReport } from './boot-report.js';
import { startComponents, stopComponents, type Component } from './component.js';
import type { UserDataSources } from './user-data-sources.js';
import { PeerCredentials } from './peer-credentials.js';
import { ApiCallers } from './api-callers.js';
import { AuditLog } from '../audit/audit-log.js';
import { BreakGlassExpiry } from './break-glass-expiry.js';
import { SshAudit } from './ssh-audit.js';

/** docker's credentials file, the fallback after settings.container-registry.credentials. */
const DOCKER_CONFIG = '/root/.docker/config.json';

export interface BerthdOptions {
  /** Prefix of every path. Default "/". */
  root: string;
  containerd: ContainerdMode;
  logger: Logger;
  /** Where boot user data comes from (applied on first start only). Default: none. */
  userData?: UserDataSources;
  /** Group owning the API socket (name or gid). Default: root's group. */
  apiGroup?: string | number;
  /** Where the control and admin image archives are. Default: the installed ones (install-paths.ts). */
  imagesDir?: string;
  /** SIGTERM → SIGKILL grace when stopping a host container. Default 20 s. */
  stopGraceMs?: number;
  /** Longest a bootstrap container may run. Default 10 min. */
  bootstrapTimeoutMs?: number;
  /** Called once the API answers and the reconciler runs (systemd's readiness). */
  onReady?: () => void;
}

/**
 * The running supervisor and berth's only composition root: it builds the subsystems from the paths
 * and the install layout, and starts them as components in order (./component.ts) — containerd
 * supervisor, exec, API, break-glass expiry, bootstrap containers, reconciler, SSH audit — stopping
 * them in reverse when it exits. A failed boot starts no host containers but keeps the API up
 * (./boot-sequence.ts).
 */
export class Berthd {
  readonly paths: BerthPaths;
  readonly containerd: ContainerdSupervisor;
  readonly install: InstallPaths;
  readonly boot: BootReport = {};
  #log: Logger;
  #options: BerthdOptions;
  #keepAlive: NodeJS.Timeout | undefined;
  #started: Component[] = [];

  constructor(options: BerthdOptions) {
    this.#options = options;
    this.#log = options.logger;
    this.paths = berthPaths(options.root);
    this.install = installPaths(options.imagesDir ? { imagesDir: options.imagesDir } : {});
    this.containerd = new ContainerdSupervisor({ mode: options.containerd, paths: this.paths, logger: options.logger });
  }

  async start(): Promise<void> {
    const p = this.paths;
    const live = await readLiveBerthdState(p.berthdState);
    if (live && live.pid !== process.pid) {
      throw new BerthError('ALREADY_EXISTS', `berthd is already running for root ${p.root} (pid ${live.pid})`);
    }
    await makeDirectories(p);
    await writeBerthdState(p.berthdState, { pid: process.pid, mode: this.#options.containerd, root: p.root, startedAt: new Date().toISOString() });
    await writeFile(p.berthdPidfile, `${process.pid}\n`, { mode: 0o644 });
    this.#keepAlive = setInterval(() => undefined, 1 << 30);
    this.#log.info({ root: p.root, containerd: this.#options.containerd }, 'berthd starting');

    const datastore = await Datastore.open({
      dir: p.datastore,
      defaults: defaultSettings({
        controlSource: `oci-archive:${path.join(this.install.imagesDir, 'control.tar')}`,
        adminSource: `oci-archive:${path.join(this.install.imagesDir, 'admin.tar')}`,
      }),
      logger: this.#log,
    });
    this.boot.userData = await applyBootUserData({ datastore, sources: this.#options.userData ?? {}, paths: p, logger: this.#log });
    this.#started = await startComponents(this.#components(datastore), this.#log);
    this.#options.onReady?.();
    this.#log.info('berthd ready');
  }

  /** The subsystems, in the order they start. */
  #components(datastore: Datastore): Component[] {
    const p = this.paths;
    const log = this.#log;
    const client = ContainerdClient.connect({ socket: p.hostContainerd.socket, namespace: 'default' });
    const hostRuntime = this.#hostRuntime(client);
    const statuses = new StatusStore();
    const controller = new HostContainerController({
      runtime: hostRuntime,
      settings: () => datastore.live(),
      logger: log,
      statuses,
      ...(this.#options.stopGraceMs !== undefined ? { stopGraceMs: this.#options.stopGraceMs } : {}),
    });
    const audit = new AuditLog({ file: p.auditLog });
    const boot = this.#bootSequence(hostRuntime, { datastore, audit });
    const peers = new PeerCredentials(this.install.peercred);
    const exec = execComponent({ client, runtime: hostRuntime, audit, fifoDir: p.fifoDir, peers, logger: log });
    const api = createApiServer({
      datastore,
      socketPath: p.apiSocket,
      ...(this.#options.apiGroup !== undefined ? { socketGroup: this.#options.apiGroup } : {}),
      logger: log.child({ component: 'api' }),
      routes: [
        ...statusRoutes({ statuses, containerd: this.containerd, logFileOf: (n) => hostRuntime.logFileOf(n, 'host') }),
        ...bootRoutes({ boot: () => this.boot, sequence: boot, logFileOf: (n) => hostRuntime.logFileOf(n, 'bootstrap') }),
        ...auditRoutes(audit),
      ],
      upgrades: { '/exec': (upgrade) => exec.handle(upgrade) },
      access: new ApiCallers({ peers, cgroupParent: p.hostContainerd.cgroupParent, settings: () => datastore.live(), audit, logger: log }),
    });
    const breakGlass = new BreakGlassExpiry({ datastore, audit, logger: log });
    const sshAudit = new SshAudit({ audit, logger: log, logFileOf: (n) => hostRuntime.logFileOf(n, 'host') });
    let unsubscribe = (): void => undefined;
    let unfollowStatuses = (): void => undefined;
    return [
      { name: 'containerd', start: () => this.containerd.start(), stop: async () => this.containerd.detach() },
      { name: 'containerd client', start: async () => undefined, stop: async () => client.close() },
      exec,
      { name: 'api', start: () => api.listen(), stop: () => api.close() },
      // Expiries that passed while berthd was down are committed before anything starts.
      { name: 'break-glass expiry', start: () => breakGlass.start(), stop: async () => breakGlass.stop() },
      { name: 'bootstrap containers', start: () => boot.start(), stop: async () => boot.stop() },
      {
        name: 'reconciler',
        start: async () => {
          unsubscribe = datastore.subscribe((keys) => {
            boot.settingsChanged(keys);
            controller.settingsChanged(keys);
          });
          // Host containers start only once the boot succeeds, now or after a retry.
          await boot.whenSucceeded(() => controller.start());
        },
        stop: async () => {
          unsubscribe();
          await controller.stop();
        },
      },
      {
        name: 'ssh audit',
        start: async () => {
          unfollowStatuses = sshAudit.follow(statuses);
        },
        stop: async () => unfollowStatuses(),
      },
    ];
  }

  #hostRuntime(client: ContainerdClient): HostContainerRuntime {
    // One token cache for the daemon, so registry tokens are reused across pulls until they expire.
    const tokenCache = new TokenCache();
    if (!selinuxEnabled()) this.#log.warn('SELinux is not enabled in this kernel: host containers run without their labels');
    if (!this.install.sheltie) this.#log.warn('sheltie was not built: superpowered containers will not have it');
    if (!this.install.berth) this.#log.warn('the berth executable was not built: host containers will not have apiclient');
    return createHostRuntime({
      client,
      paths: this.paths,
      install: this.install,
      puller: (c, ref, o) => pullImage(c, ref, { ...o, logger: this.#log, dockerConfigPath: DOCKER_CONFIG, tokenCache }),
      logger: this.#log,
    });
  }

  #bootSequence(rt: HostContainerRuntime, { datastore, audit }: { datastore: Datastore; audit: AuditLog }): BootSequence {
    const modeOff = (section: 'bootstrap-containers' | 'bootstrap-commands') => async (name: string) => {
      await datastore.patch('berth-bootstrap', { [section]: { [name]: { mode: 'off' } } });
      await datastore.commit('berth-bootstrap');
    };
    return new BootSequence({
      runtime: rt,
      settings: () => datastore.live(),
      setModeOff: modeOff('bootstrap-containers'),
      runsDir: this.paths.bootstrapRan,
      callApiclient: bootApiclient({
        socketPath: this.paths.apiSocket,
        audit,
        actor: { pid: process.pid, uid: process.getuid?.(), gid: process.getgid?.(), comm: 'berthd' },
        logger: this.#log,
      }),
      setCommandModeOff: modeOff('bootstrap-commands'),
      commandRunsDir: this.paths.bootstrapCommandsRan,
      logger: this.#log,
      ...(this.#options.bootstrapTimeoutMs !== undefined ? { timeoutMs: this.#options.bootstrapTimeoutMs } : {}),
    });
  }

  /**
   * berthd exits but leaves the containerd daemons and the host containers running: the next
   * berthd adopts them (a restart must not take break-glass access down).
   */
  async exit(): Promise<void> {
    clearInterval(this.#keepAlive);
    await stopComponents(this.#started, this.#log);
    this.#started = [];
    await removeBerthdState(this.paths.berthdState);
    await rm(this.paths.berthdPidfile, { force: true });
    this.#log.info('berthd exiting; daemons and containers keep running');
  }
}

async function makeDirectories(p: BerthPaths): Promise<void> {
  for (const [dir, mode] of [
    [p.run, 0o755],
    [p.data, 0o700],
    [p.hostContainers, 0o700],
    [p.bootstrapContainers, 0o700],
    [p.logs, 0o750],
    [p.containerLogs, 0o750],
  ] as const) {
    await mkdir(dir, { recursive: true, mode });
  }
}

/**
 * `berthd stop`: ends a running berthd, stops and removes the host containers (SIGTERM, grace,
 * SIGKILL), then stops what berthd managed, in order: the orchestrator's containerd, then
 * host-containerd, and removes the cgroups its containers ran in. Works when berthd already died,
 * from the pidfiles.
 */
export async function stopBerthd(options: { root: string; logger: Logger; graceMs?: number }): Promise<void> {
  const paths = berthPaths(options.root);
  const graceMs = options.graceMs ?? 20_000;
  const last = await readBerthdState(paths.berthdState);
  const live = await readLiveBerthdState(paths.berthdState);
  if (live) {
    process.kill(live.pid, 'SIGTERM');
    const deadline = Date.now() + 60_000;
    while (processRunning(live.pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    if (processRunning(live.pid)) process.kill(live.pid, 'SIGKILL');
    options.logger.info({ pid: live.pid }, 'berthd stopped');
  }
  const client = ContainerdClient.connect({ socket: paths.hostContainerd.socket, namespace: 'default' });
  try {
    const rt = createHostRuntime({ client, paths, install: installPaths(), logger: options.logger });
    const ours = await rt.list().catch(() => []);
    await Promise.all(
      ours.map(async (c) => {
        await rt.stop(c.name, c.kind, { graceMs });
        await rt.remove(c.name, c.kind);
      }),
    );
    if (ours.length > 0) options.logger.info({ containers: ours.map((c) => c.name) }, 'host containers stopped');
  } finally {
    client.close();
  }
  const mode = last?.mode ?? 'managed';
  const containerd = new ContainerdSupervisor({ mode, paths, logger: options.logger });
  await containerd.stop({ graceMs: 10_000 });
  // External daemons keep running under systemd and may start containers in these cgroups again.
  if (mode === 'managed') await removeCgroups(paths, options.logger);
  await removeBerthdState(paths.berthdState);
}

/** runc removes a container's own cgroup, never the parents it created: they would pile up. */
async function removeCgroups(paths: BerthPaths, logger: Logger): Promise<void> {
  const { removed, kept } = await removeBerthCgroups(paths);
  if (removed.length > 0) logger.info({ removed: removed.length }, 'cgroups removed');
  if (kept.length > 0) logger.warn({ kept }, 'cgroups still in use were left in place');
}
