import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ContainerdClient, Container, Process } from '../containerd/index.js';
import { decodeJsonAny, timestampToDate } from '../containerd/index.js';
import { BerthError, isAlreadyExists, isNotFound, messageOf } from '../errors/index.js';
import type { Logger } from '../lib/logger.js';
import { backoffDelay } from '../lib/backoff.js';
import { userDataDigest } from '../lib/user-data-digest.js';
import { bootstrapClass, defaultClass, superpoweredClass, type ClassInputs, type HostFiles, type PrivilegedHost } from '../oci/classes.js';
import { generateSpec, type Spec, type SpecOpt } from '../oci/spec.js';
import { withoutSelinuxLabels } from '../oci/security-opts.js';
import type { CreateOptions, ExitInfo, RuntimePort } from '../reconciler/runtime-port.js';
import type { ActualContainer, ContainerKind, DesiredContainer, TaskState } from '../reconciler/types.js';
import { containerIdOf, LABELS } from './container-id.js';
import { createContainer, removeContainer, snapshotKeyOf, type NewHostContainer } from './container-ops.js';
import type { ImageSource } from './image-source.js';
import { loggerUri, type LogLimits } from './log-uri.js';
import { oomKills, type OomKillCounter } from './oom-kills.js';
import { deleteTask, startTask, stopTask, taskState } from './task-ops.js';

export interface RuntimeLayout {
  /** Storage roots: `<root>/<name>` per container. */
  hostContainers: string;
  bootstrapContainers: string;
  /** One log file per container. */
  containerLogs: string;
  runcRoot: string;
  cgroupParent: string;
  /** Where containers' OOM kills are counted; absent without a memory cgroup controller. */
  oomKillCounter?: OomKillCounter;
}

export interface HostContainerRuntimeOptions {
  client: ContainerdClient;
  images: ImageSource;
  layout: RuntimeLayout;
  /** Host files every container gets (storageDir is filled in per container). */
  hostFiles: Omit<HostFiles, 'storageDir'>;
  privileged: PrivilegedHost;
  /** Apply SELinux labels (only when the kernel has SELinux; runc refuses them otherwise). */
  selinux: boolean;
  /** berth-logger binary, the shim's log driver. */
  logger: string;
  logLimits?: Omit<LogLimits, 'file'>;
  log: Logger;
}

const TASK_STATES: Record<string, TaskState> = { RUNNING: 'running', CREATED: 'created', PAUSED: 'paused', PAUSING: 'paused', STOPPED: 'stopped' };

/** The reconciler's RuntimePort over host-containerd: berth's containers are the ones with its labels. */
export class HostContainerRuntime implements RuntimePort {
  #o: HostContainerRuntimeOptions;
  #names = new Map<string, { name: string; kind: ContainerKind }>();

  constructor(options: HostContainerRuntimeOptions) {
    this.#o = options;
  }

  get client(): ContainerdClient {
    return this.#o.client;
  }

  storageDirOf(name: string, kind: ContainerKind): string {
    return path.join(kind === 'host' ? this.#o.layout.hostContainers : this.#o.layout.bootstrapContainers, name);
  }

  logFileOf(name: string, kind: ContainerKind): string {
    return path.join(this.#o.layout.containerLogs, `${kind === 'host' ? '' : 'boot.'}${name}.log`);
  }

  async list(): Promise<ActualContainer[]> {
    const [containers, tasks] = await Promise.all([this.#o.client.containers.list(), this.#o.client.tasks.list()]);
    const byId = new Map(tasks.map((t) => [t.id, t]));
    return containers.filter((c) => c.labels[LABELS.managed]).map((c) => this.#actual(c, byId.get(c.id)));
  }

  async inspect(name: string, kind: ContainerKind): Promise<ActualContainer | undefined> {
    return (await this.#find(name, kind))?.actual;
  }

  /** A container to exec into: what inspect() gives and the process spec execs start from. */
  async execTarget(name: string, kind: ContainerKind): Promise<{ actual: ActualContainer; spec: Spec } | undefined> {
    const found = await this.#find(name, kind);
    if (!found) return undefined;
    const spec = decodeJsonAny<Spec>(found.container.spec);
    if (!spec) throw new BerthError('FAILED_PRECONDITION', `Container ${found.actual.id} has no spec`);
    return { actual: found.actual, spec };
  }

  async #find(name: string, kind: ContainerKind): Promise<{ container: Container; actual: ActualContainer } | undefined> {
    const id = containerIdOf(name, kind);
    let container: Container;
    try {
      container = await this.#o.client.containers.get(id);
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
    if (!container.labels[LABELS.managed]) return undefined; // someone else's container: not ours to touch
    const actual = this.#actual(container, await taskState(this.#o.client, id));
    if (actual.task === 'stopped' && (await this.#oomKilled(container))) actual.oomKilled = true;
    return { container, actual };
  }

  /** Whether the OOM killer killed a process of the container's stopped task (its cgroup is kept until the task is deleted). */
  async #oomKilled(container: Container): Promise<boolean> {
    const counter = this.#o.layout.oomKillCounter;
    const cgroupsPath = decodeJsonAny<Spec>(container.spec)?.linux?.cgroupsPath;
    if (!counter || !cgroupsPath) return false;
    return ((await oomKills(counter, cgroupsPath)) ?? 0) > 0;
  }

  #actual(c: Container, task: Process | undefined): ActualContainer {
    const kind = c.labels[LABELS.managed] === 'bootstrap' ? 'bootstrap' : 'host';
    const name = c.labels[LABELS.name] ?? c.id;
    this.#names.set(c.id, { name, kind });
    const out: ActualContainer = { name, kind, id: c.id, hash: c.labels[LABELS.hash] ?? '', task: task ? (TASK_STATES[task.status] ?? 'stopped') : 'none' };
    const digest = c.labels[LABELS.imageDigest];
    if (digest) out.imageDigest = digest;
    if (task && out.task !== 'stopped') out.pid = task.pid;
    if (task && out.task === 'stopped') {
      out.exitCode = task.exit_status;
      const at = timestampToDate(task.exited_at);
      if (at) out.exitedAt = at;
    }
    return out;
  }

  async storedNames(kind: ContainerKind): Promise<string[]> {
    try {
      return await readdir(kind === 'host' ? this.#o.layout.hostContainers : this.#o.layout.bootstrapContainers);
    } catch {
      return [];
    }
  }

  async userDataDigest(name: string, kind: ContainerKind): Promise<string | undefined> {
    try {
      return userDataDigest(await readFile(this.#userDataFile(name, kind)));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
  }

  async writeUserData(name: string, kind: ContainerKind, data: Buffer): Promise<void> {
    const file = this.#userDataFile(name, kind);
    await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
    const tmp = `${file}.tmp`;
    await writeFile(tmp, data, { mode: 0o600 });
    await rename(tmp, file);
  }

  async removeUserData(name: string, kind: ContainerKind): Promise<void> {
    await rm(this.#userDataFile(name, kind), { force: true });
  }

  #userDataFile(name: string, kind: ContainerKind): string {
    return path.join(this.storageDirOf(name, kind), 'user-data');
  }

  async create(desired: DesiredContainer, options: CreateOptions = {}): Promise<{ imageDigest: string }> {
    const o = this.#o;
    const image = await o.images.ensure(desired.source, { registry: desired.registry, ...(options.onPullRetry ? { onRetry: options.onPullRetry } : {}) });
    const id = containerIdOf(desired.name, desired.kind);
    const storageDir = this.storageDirOf(desired.name, desired.kind);
    await mkdir(storageDir, { recursive: true, mode: 0o700 });
    await mkdir(o.layout.containerLogs, { recursive: true, mode: 0o750 });
    const inputs: ClassInputs = {
      name: desired.name,
      kind: desired.kind,
      image: image.image.config.config ?? {},
      host: { ...o.hostFiles, storageDir },
      resources: desired.resources,
      command: desired.command,
      environment: desired.environment,
      apiAccess: desired.apiAccess,
    };
    const cls: SpecOpt =
      desired.kind === 'bootstrap'
        ? bootstrapClass(inputs, o.privileged)
        : desired.superpowered
          ? superpoweredClass(inputs, o.privileged)
          : defaultClass({ ...inputs, arch: o.privileged.arch });
    const spec = generateSpec(
      { namespace: o.client.namespace, id, cgroupParent: o.layout.cgroupParent },
      cls,
      ...(o.selinux ? [] : [withoutSelinuxLabels]),
    );
    const container: NewHostContainer = {
      id,
      imageName: image.name,
      chainId: image.chainId,
      spec,
      runcRoot: o.layout.runcRoot,
      labels: {
        [LABELS.managed]: desired.kind,
        [LABELS.name]: desired.name,
        [LABELS.hash]: desired.hash,
        [LABELS.imageDigest]: image.manifestDigest,
        [LABELS.source]: desired.source,
        [LABELS.superpowered]: String(desired.superpowered),
      },
    };
    try {
      await createContainer(o.client, container);
    } catch (err) {
      if (!isAlreadyExists(err)) {
        o.images.forget(desired.source);
        throw err;
      }
      // A leftover with the same id (a crash between remove steps): removed, then made again.
      await removeContainer(o.client, id, { graceMs: 0 });
      await createContainer(o.client, container);
    }
    this.#names.set(id, { name: desired.name, kind: desired.kind });
    return { imageDigest: image.manifestDigest };
  }

  async start(name: string, kind: ContainerKind): Promise<{ pid: number }> {
    const id = containerIdOf(name, kind);
    await deleteTask(this.#o.client, id); // a stopped task from the last run
    const logUri = loggerUri(this.#o.logger, { ...this.#o.logLimits, file: this.logFileOf(name, kind) });
    const container = await this.#o.client.containers.get(id);
    const mountLabel = decodeJsonAny<Spec>(container.spec)?.linux?.mountLabel;
    const pid = await startTask(this.#o.client, id, {
      logUri,
      snapshotKey: container.snapshot_key || snapshotKeyOf(id),
      ...(mountLabel ? { mountLabel } : {}),
    });
    return { pid };
  }

  async stop(name: string, kind: ContainerKind, options: { graceMs: number }): Promise<ExitInfo | undefined> {
    return stopTask(this.#o.client, containerIdOf(name, kind), options);
  }

  async waitExit(name: string, kind: ContainerKind, options: { timeoutMs: number }): Promise<ExitInfo | undefined> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), options.timeoutMs);
    try {
      const res = await this.#o.client.tasks.wait(containerIdOf(name, kind), { signal: controller.signal });
      return { exitCode: res.exit_status, exitedAt: timestampToDate(res.exited_at) };
    } catch (err) {
      if (controller.signal.aborted) return undefined;
      throw err;
    } finally {
      clearTimeout(timer);
    }
  }

  async remove(name: string, kind: ContainerKind): Promise<void> {
    await removeContainer(this.#o.client, containerIdOf(name, kind), { graceMs: 0 });
  }

  /**
   * Follows host-containerd's task and container events. Events are hints and are not replayed:
   * after the stream breaks (a daemon restart) it re-subscribes and reports every known container.
   */
  watch(onChange: (name: string, kind: ContainerKind) => void): { close(): void } {
    let closed = false;
    let attempt = 0;
    let sub: { cancel(): void } | undefined;
    const subscribe = (): void => {
      if (closed) return;
      const s = this.#o.client.events.subscribe(
        [`namespace==${this.#o.client.namespace},topic~="^/(tasks|containers)/"`],
        (ev) => {
          attempt = 0;
          const id = String(ev.payload?.['container_id'] ?? ev.payload?.['id'] ?? '');
          const known = this.#names.get(id);
          if (known) onChange(known.name, known.kind);
        },
      );
      sub = s;
      void s.done.then((err) => {
        if (closed) return;
        const delay = backoffDelay(Math.min(attempt++, 6), { baseMs: 200, maxMs: 10_000 });
        this.#o.log.warn({ err: err ? messageOf(err) : 'stream ended', retryInMs: delay }, 'containerd event stream ended; re-subscribing');
        setTimeout(() => {
          subscribe();
          for (const { name, kind } of this.#names.values()) onChange(name, kind);
        }, delay).unref();
      });
    };
    subscribe();
    return {
      close: () => {
        closed = true;
        sub?.cancel();
      },
    };
  }
}
