import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import path from 'node:path';
import { REPO } from '../helpers/repo.js';

/** The test's own minimal CRI definition, read from the sources when a client connects. */
const PROTO = path.join(REPO, 'test/cri/runtime-v1.proto');

/** Field names as on the wire, 64-bit numbers as numbers, enums by name, every field present. */
const LOADER_OPTIONS: protoLoader.Options = { keepCase: true, longs: Number, enums: String, defaults: true };

// The messages as the test reads and writes them (see runtime-v1.proto for the fields).

export interface VersionResponse {
  version: string;
  runtime_name: string;
  runtime_version: string;
  runtime_api_version: string;
}

export interface RuntimeCondition {
  type: string;
  status: boolean;
  reason: string;
  message: string;
}

export interface PodSandboxConfig {
  metadata: { name: string; uid: string; namespace: string; attempt?: number };
  hostname?: string;
  /** Absolute; the container's log_path is relative to it. */
  log_directory?: string;
  labels?: Record<string, string>;
  linux?: { cgroup_parent?: string };
}

export type PodSandboxState = 'SANDBOX_READY' | 'SANDBOX_NOTREADY';
export type ContainerState = 'CONTAINER_CREATED' | 'CONTAINER_RUNNING' | 'CONTAINER_EXITED' | 'CONTAINER_UNKNOWN';

export interface PodSandboxStatusResponse {
  status: { id: string; state: PodSandboxState; network: { ip: string } | null };
  /** With `verbose`: the runtime's own view, as JSON in `info.info`. */
  info: Record<string, string>;
}

export interface ContainerConfig {
  metadata: { name: string; attempt?: number };
  image: { image: string };
  command?: string[];
  args?: string[];
  envs?: Array<{ key: string; value: string }>;
  labels?: Record<string, string>;
  log_path?: string;
}

export interface ContainerStatus {
  id: string;
  state: ContainerState;
  exit_code: number;
  image_ref: string;
  reason: string;
  log_path: string;
}

export interface ExecSyncResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

/** A CRI call that failed: the method and the gRPC status, to branch on (`grpc.status.*`). */
export class CriCallError extends Error {
  readonly code: grpc.status;
  readonly method: string;
  constructor(method: string, cause: grpc.ServiceError) {
    super(`CRI ${method} failed: ${grpc.status[cause.code]}: ${cause.details}`, { cause });
    this.name = 'CriCallError';
    this.code = cause.code;
    this.method = method;
  }
}

type Unary = (request: object, metadata: grpc.Metadata, options: grpc.CallOptions, callback: (err: grpc.ServiceError | null, res: unknown) => void) => void;

/**
 * A CRI client over a runtime's Unix socket, calling it the way kubelet does: RuntimeService for
 * pods and containers, ImageService for images, every call with a deadline.
 */
export class CriClient {
  #runtime: grpc.Client;
  #images: grpc.Client;
  #timeoutMs: number;

  private constructor(runtime: grpc.Client, images: grpc.Client, timeoutMs: number) {
    this.#runtime = runtime;
    this.#images = images;
    this.#timeoutMs = timeoutMs;
  }

  /** Loads the definition and makes the stubs; the channel connects on the first call. */
  static async connect(socket: string, options: { timeoutMs?: number } = {}): Promise<CriClient> {
    const pkg = grpc.loadPackageDefinition(await protoLoader.load(PROTO, LOADER_OPTIONS)) as unknown as {
      runtime: { v1: { RuntimeService: grpc.ServiceClientConstructor; ImageService: grpc.ServiceClientConstructor } };
    };
    const { RuntimeService, ImageService } = pkg.runtime.v1;
    const runtime = new RuntimeService(`unix://${socket}`, grpc.credentials.createInsecure());
    const images = new ImageService(`unix://${socket}`, grpc.credentials.createInsecure(), { channelOverride: runtime.getChannel() });
    return new CriClient(runtime, images, options.timeoutMs ?? 60_000);
  }

  version(): Promise<VersionResponse> {
    return this.#call(this.#runtime, 'Version', { version: 'v1' });
  }

  /** RuntimeReady and NetworkReady, as kubelet polls them. */
  async conditions(): Promise<RuntimeCondition[]> {
    const res = await this.#call<{ status: { conditions: RuntimeCondition[] } }>(this.#runtime, 'Status', {});
    return res.status.conditions;
  }

  /** The image's id, or undefined when the runtime does not have it. */
  async imageId(image: string): Promise<string | undefined> {
    const res = await this.#call<{ image: { id: string } | null }>(this.#images, 'ImageStatus', { image: { image } });
    return res.image?.id;
  }

  async runPodSandbox(config: PodSandboxConfig): Promise<string> {
    const res = await this.#call<{ pod_sandbox_id: string }>(this.#runtime, 'RunPodSandbox', { config });
    return res.pod_sandbox_id;
  }

  podSandboxStatus(id: string, options: { verbose?: boolean } = {}): Promise<PodSandboxStatusResponse> {
    return this.#call(this.#runtime, 'PodSandboxStatus', { pod_sandbox_id: id, verbose: options.verbose ?? false });
  }

  async listPodSandboxIds(): Promise<string[]> {
    const res = await this.#call<{ items: Array<{ id: string }> }>(this.#runtime, 'ListPodSandbox', {});
    return res.items.map((i) => i.id);
  }

  async stopPodSandbox(id: string): Promise<void> {
    await this.#call(this.#runtime, 'StopPodSandbox', { pod_sandbox_id: id });
  }

  async removePodSandbox(id: string): Promise<void> {
    await this.#call(this.#runtime, 'RemovePodSandbox', { pod_sandbox_id: id });
  }

  /** Creates a container in the sandbox; kubelet passes the sandbox's config again. */
  async createContainer(sandboxId: string, config: ContainerConfig, sandboxConfig: PodSandboxConfig): Promise<string> {
    const res = await this.#call<{ container_id: string }>(this.#runtime, 'CreateContainer', {
      pod_sandbox_id: sandboxId,
      config,
      sandbox_config: sandboxConfig,
    });
    return res.container_id;
  }

  async startContainer(id: string): Promise<void> {
    await this.#call(this.#runtime, 'StartContainer', { container_id: id });
  }

  async containerStatus(id: string): Promise<ContainerStatus> {
    const res = await this.#call<{ status: ContainerStatus }>(this.#runtime, 'ContainerStatus', { container_id: id });
    return res.status;
  }

  async listContainerIds(): Promise<string[]> {
    const res = await this.#call<{ containers: Array<{ id: string }> }>(this.#runtime, 'ListContainers', {});
    return res.containers.map((c) => c.id);
  }

  /** Runs CMD in the container and returns its output and exit code; TIMEOUT_S bounds the command. */
  async execSync(id: string, cmd: string[], options: { timeoutS?: number } = {}): Promise<ExecSyncResult> {
    const timeoutS = options.timeoutS ?? 10;
    const res = await this.#call<{ stdout: Buffer; stderr: Buffer; exit_code: number }>(
      this.#runtime,
      'ExecSync',
      { container_id: id, cmd, timeout: timeoutS },
      { timeoutMs: timeoutS * 1000 + this.#timeoutMs },
    );
    return { stdout: res.stdout.toString('utf8'), stderr: res.stderr.toString('utf8'), exitCode: res.exit_code };
  }

  /** Sends the stop signal, then SIGKILL after GRACE_S seconds. */
  async stopContainer(id: string, options: { graceS: number }): Promise<void> {
    await this.#call(this.#runtime, 'StopContainer', { container_id: id, timeout: options.graceS }, { timeoutMs: options.graceS * 1000 + this.#timeoutMs });
  }

  async removeContainer(id: string): Promise<void> {
    await this.#call(this.#runtime, 'RemoveContainer', { container_id: id });
  }

  /** Closes the channel both stubs share. */
  close(): void {
    this.#runtime.close();
  }

  #call<T>(stub: grpc.Client, method: string, request: object, options: { timeoutMs?: number } = {}): Promise<T> {
    const fn = (stub as unknown as Record<string, Unary>)[method];
    if (typeof fn !== 'function') return Promise.reject(new TypeError(`The CRI definition has no method ${method}`));
    const deadline = new Date(Date.now() + (options.timeoutMs ?? this.#timeoutMs));
    return new Promise((resolve, reject) => {
      fn.call(stub, request, new grpc.Metadata(), { deadline }, (err, res) => (err ? reject(new CriCallError(method, err)) : resolve(res as T)));
    });
  }
}
