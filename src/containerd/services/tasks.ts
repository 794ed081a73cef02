import type { CallOptions, Transport } from '../transport.js';
import type { ExitStatus, Mount, Process } from '../types.js';
import type { AnyMessage } from '../any.js';

const SERVICE = 'tasks.v1.Tasks';

export interface TaskIO {
  /** Paths or URIs of the process's stdio; all empty means no IO. */
  stdin?: string;
  stdout?: string;
  stderr?: string;
  terminal?: boolean;
}

export interface CreateTaskRequest extends TaskIO {
  containerId: string;
  rootfs: Mount[];
  /** Runtime options for this task (overrides the container's). */
  options?: AnyMessage;
}

export interface ExecRequest extends TaskIO {
  containerId: string;
  execId: string;
  /** The OCI process as a `…/runtime-spec/1/Process` Any. */
  spec: AnyMessage;
}

export class TasksService {
  #t: Transport;
  #ns: string;
  constructor(transport: Transport, namespace: string) {
    this.#t = transport;
    this.#ns = namespace;
  }

  #target(method: string) {
    return { service: SERVICE, method, namespace: this.#ns };
  }

  async create(req: CreateTaskRequest, options?: CallOptions): Promise<{ pid: number }> {
    return this.#t.unary(
      this.#target('Create'),
      {
        container_id: req.containerId,
        rootfs: req.rootfs,
        stdin: req.stdin ?? '',
        stdout: req.stdout ?? '',
        stderr: req.stderr ?? '',
        terminal: req.terminal ?? false,
        options: req.options ?? null,
      },
      options,
    );
  }

  async start(containerId: string, options: CallOptions & { execId?: string } = {}): Promise<{ pid: number }> {
    return this.#t.unary(this.#target('Start'), { container_id: containerId, exec_id: options.execId ?? '' }, options);
  }

  /** Resolves when the process exits. No deadline by default: issue it before Start. */
  async wait(containerId: string, options: CallOptions & { execId?: string } = {}): Promise<ExitStatus> {
    return this.#t.unary(
      this.#target('Wait'),
      { container_id: containerId, exec_id: options.execId ?? '' },
      { timeoutMs: 0, ...options },
    );
  }

  async get(containerId: string, options: CallOptions & { execId?: string } = {}): Promise<Process> {
    const res = await this.#t.unary<{ process: Process }>(
      this.#target('Get'),
      { container_id: containerId, exec_id: options.execId ?? '' },
      options,
    );
    return res.process;
  }

  async list(options?: CallOptions): Promise<Process[]> {
    const res = await this.#t.unary<{ tasks: Process[] }>(this.#target('List'), { filter: '' }, options);
    return res.tasks;
  }

  async kill(containerId: string, signal: number, options: CallOptions & { execId?: string; all?: boolean } = {}): Promise<void> {
    await this.#t.unary(
      this.#target('Kill'),
      { container_id: containerId, exec_id: options.execId ?? '', signal, all: options.all ?? false },
      options,
    );
  }

  async delete(containerId: string, options?: CallOptions): Promise<ExitStatus & { pid: number }> {
    return this.#t.unary(this.#target('Delete'), { container_id: containerId }, options);
  }

  async exec(req: ExecRequest, options?: CallOptions): Promise<void> {
    await this.#t.unary(
      this.#target('Exec'),
      {
        container_id: req.containerId,
        exec_id: req.execId,
        stdin: req.stdin ?? '',
        stdout: req.stdout ?? '',
        stderr: req.stderr ?? '',
        terminal: req.terminal ?? false,
        spec: req.spec,
      },
      options,
    );
  }

  async deleteProcess(containerId: string, execId: string, options?: CallOptions): Promise<ExitStatus & { pid: number }> {
    return this.#t.unary(this.#target('DeleteProcess'), { container_id: containerId, exec_id: execId }, options);
  }

  async resizePty(
    containerId: string,
    size: { width: number; height: number; execId?: string },
    options?: CallOptions,
  ): Promise<void> {
    await this.#t.unary(
      this.#target('ResizePty'),
      { container_id: containerId, exec_id: size.execId ?? '', width: size.width, height: size.height },
      options,
    );
  }

  async closeStdin(containerId: string, options: CallOptions & { execId?: string } = {}): Promise<void> {
    await this.#t.unary(this.#target('CloseIO'), { container_id: containerId, exec_id: options.execId ?? '', stdin: true }, options);
  }

  async pids(containerId: string, options?: CallOptions): Promise<number[]> {
    const res = await this.#t.unary<{ processes: Array<{ pid: number }> }>(
      this.#target('ListPids'),
      { container_id: containerId },
      options,
    );
    return res.processes.map((p) => p.pid);
  }
}
