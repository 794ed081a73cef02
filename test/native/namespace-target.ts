import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** A `sleep` running as PID 1 of fresh mount, UTS, IPC, network, PID and cgroup namespaces. */
export interface NamespaceTarget {
  /** The sleep's PID as the host sees it. */
  pid: number;
  hostname: string;
  /** Kills the target and waits for it; idempotent. */
  stop(): Promise<void>;
}

export interface TargetOptions {
  /** Hostname set in the target's UTS namespace. */
  hostname: string;
  /** Hide /usr/bin (and /bin) behind empty tmpfs mounts, so the target has no shell. Default false. */
  hideShells?: boolean;
}

const plainScript = 'set -e; hostname "$1"; exec sleep infinity';
// `sleep` is copied out first: after the tmpfs mounts there is no /usr/bin/sleep to exec.
const noShellScript =
  'set -e; hostname "$1"; cp "$(command -v sleep)" "$2/sleep"; mount -t tmpfs tmpfs /usr/bin; ' +
  '[ -L /bin ] || mount -t tmpfs tmpfs /bin; exec "$2/sleep" infinity';

/** Starts a target with `unshare` and waits until its sleep runs. */
export async function startTarget(options: TargetOptions): Promise<NamespaceTarget> {
  const dir = await mkdtemp(path.join(tmpdir(), 'sheltie-target-'));
  const script = options.hideShells ? noShellScript : plainScript;
  const unshare = spawn(
    'unshare',
    ['--mount', '--uts', '--ipc', '--net', '--pid', '--cgroup', '--fork', '--mount-proc', '--kill-child',
      'sh', '-c', script, 'sheltie-target', options.hostname, dir],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  unshare.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const exited = new Promise<void>((resolve) => unshare.on('close', () => resolve()));

  let pid = 0;
  const stop = async (): Promise<void> => {
    for (const p of [pid, unshare.pid ?? 0]) {
      try {
        if (p > 0) process.kill(p, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }
    await exited;
    await rm(dir, { recursive: true, force: true });
  };

  try {
    pid = await waitForSleep(unshare);
  } catch (err) {
    await stop();
    throw new Error(`Cannot start a namespace target: ${(err as Error).message}; unshare said: ${stderr.trim()}`, { cause: err });
  }
  return { pid, hostname: options.hostname, stop };
}

/** The PID of unshare's forked child once it has exec'd `sleep`. */
async function waitForSleep(unshare: ChildProcess): Promise<number> {
  const parent = unshare.pid;
  if (parent === undefined) throw new Error('unshare did not start');
  for (let attempt = 0; attempt < 500; attempt++) {
    if (unshare.exitCode !== null || unshare.signalCode !== null) throw new Error('unshare exited');
    const children = await readFile(`/proc/${parent}/task/${parent}/children`, 'utf8').catch(() => '');
    const child = Number(children.trim().split(' ')[0]);
    if (child > 0) {
      const comm = await readFile(`/proc/${child}/comm`, 'utf8').catch(() => '');
      if (comm.trim() === 'sleep') return child;
    }
    await sleep(20);
  }
  throw new Error('the target did not reach its sleep');
}
