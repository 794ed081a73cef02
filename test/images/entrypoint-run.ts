import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';

const exec = promisify(execFile);

/**
 * Unpacks an OCI archive built by scripts/build-images.sh with umoci (an independent reader of the
 * layout, whiteouts included) and returns the root filesystem's path.
 */
export async function unpackImage(archive: string, dir: string): Promise<string> {
  const layout = path.join(dir, 'layout');
  const bundle = path.join(dir, 'bundle');
  await mkdir(layout, { recursive: true });
  await exec('tar', ['-C', layout, '-xf', archive]);
  await exec('umoci', ['unpack', '--image', `${layout}:latest`, bundle]);
  return path.join(bundle, 'rootfs');
}

/**
 * Runs once in a new mount and PID namespace, as runc would set the container up: an overlay with a
 * fresh upper directory over the unpacked image (so every start sees a pristine root filesystem),
 * /proc of the new PID namespace, the host's /dev, the persistent storage at Bottlerocket's
 * /.bottlerocket/host-containers/current, then `chroot` into the entrypoint, which is PID 1.
 */
const RUN_SCRIPT = `set -eu
rootfs=$1 run=$2 storage=$3; shift 3
mkdir -p "$run/upper" "$run/work" "$run/merged"
mount -t overlay overlay -o "lowerdir=$rootfs,upperdir=$run/upper,workdir=$run/work" "$run/merged"
mount -t proc proc "$run/merged/proc"
mount --rbind /dev "$run/merged/dev"
mkdir -p "$run/merged/.bottlerocket/host-containers/current"
mount --bind "$storage" "$run/merged/.bottlerocket/host-containers/current"
exec chroot "$run/merged" "$@"
`;

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** An image entrypoint running for real (as PID 1 of its own PID namespace), with its output. */
export class EntrypointRun {
  #child: ChildProcess;
  #output = '';
  #waiters: Array<() => void> = [];
  readonly exited: Promise<Exit>;
  /** The upper directory of the overlay: every file the entrypoint wrote into its root filesystem. */
  readonly upper: string;

  constructor(child: ChildProcess, upper: string) {
    this.#child = child;
    this.upper = upper;
    const collect = (d: Buffer): void => {
      this.#output += d.toString('utf8');
      for (const w of this.#waiters.splice(0)) w();
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    this.exited = new Promise((resolve) => {
      child.on('close', (code, signal) => {
        for (const w of this.#waiters.splice(0)) w();
        resolve({ code, signal });
      });
    });
  }

  /** Starts ENTRYPOINT of ROOTFS with STORAGE as its persistent storage; RUN_DIR must be new. */
  static start(rootfs: string, options: { runDir: string; storage: string; entrypoint: string }): EntrypointRun {
    const child = spawn(
      'unshare',
      ['--mount', '--pid', '--fork', '--propagation', 'private', '--', 'bash', '-c', RUN_SCRIPT, 'run',
        rootfs, options.runDir, options.storage, options.entrypoint],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    return new EntrypointRun(child, path.join(options.runDir, 'upper'));
  }

  get output(): string {
    return this.#output;
  }

  /** Resolves with the output once it matches PATTERN; rejects when the process exits first or after TIMEOUT_MS. */
  async waitForOutput(pattern: RegExp, timeoutMs = 30_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    let done = false;
    void this.exited.then(() => (done = true));
    for (;;) {
      if (pattern.test(this.#output)) return this.#output;
      if (done) throw new Error(`The entrypoint exited before printing ${pattern}; its output:\n${this.#output}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`No ${pattern} within ${timeoutMs} ms; output so far:\n${this.#output}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 250));
        this.#waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** The PID (in the host's namespace) of the entrypoint, PID 1 of its namespace. */
  async initPid(): Promise<number> {
    const pid = this.#child.pid;
    if (pid === undefined) throw new Error('unshare did not start');
    for (let i = 0; i < 100; i++) {
      const children = (await readFile(`/proc/${pid}/task/${pid}/children`, 'utf8').catch(() => '')).trim();
      if (children) return Number(children.split(/\s+/)[0]);
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`unshare (pid ${pid}) has no child`);
  }

  /** Sends SIGTERM to the entrypoint (PID 1 in its namespace: only a handled signal reaches it). */
  async terminate(): Promise<void> {
    process.kill(await this.initPid(), 'SIGTERM');
  }

  /** SIGKILL, for cleanup after a failed test; the namespace and its mounts go with it. */
  async kill(): Promise<void> {
    if (this.#child.exitCode !== null || this.#child.signalCode !== null) return;
    try {
      process.kill(await this.initPid(), 'SIGKILL');
    } catch {
      this.#child.kill('SIGKILL');
    }
    await this.exited;
  }
}

/** Races PROMISE against a timeout that rejects with a message naming WHAT. */
export async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not happen within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
