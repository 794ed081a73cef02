import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface GuestVmOptions {
  /** The base disk; the guest writes to a copy-on-write overlay of it, so the base stays clean. */
  baseDisk: string;
  overlay: string;
  kernel: string;
  initrd: string;
  /** The NoCloud seed image (the guest's second disk). */
  seed: string;
  /** The guest's port 22 is forwarded to this port on 127.0.0.1. */
  sshPort: number;
  /** Serial console output is appended here. */
  consoleLog: string;
  /** Extra words for the kernel command line. */
  append?: string;
  memoryMiB?: number;
}

/**
 * A Debian guest under QEMU (TCG: nested KVM hangs on these machines), booted with -kernel/-initrd
 * from its own /boot and systemd as PID 1. A reboot inside the guest resets the machine and boots
 * it again with the same disks; the process ends when the guest powers off or stop() kills it.
 */
export class GuestVm {
  #child: ChildProcess;
  #log: WriteStream;
  #console = '';
  readonly exited: Promise<number | null>;

  private constructor(child: ChildProcess, log: WriteStream) {
    this.#child = child;
    this.#log = log;
    this.exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
    child.stdout?.on('data', (d: Buffer) => {
      this.#console += d.toString('utf8');
      log.write(d);
    });
  }

  static async boot(o: GuestVmOptions): Promise<GuestVm> {
    await run('qemu-img', ['create', '-q', '-f', 'qcow2', '-F', 'raw', '-b', o.baseDisk, o.overlay]);
    const args = [
      '-accel', 'tcg,thread=multi', '-cpu', 'max', '-smp', '2', '-m', String(o.memoryMiB ?? 3072),
      '-display', 'none', '-monitor', 'none', '-serial', 'stdio',
      '-kernel', o.kernel, '-initrd', o.initrd,
      '-append', `root=LABEL=berth-root rw console=ttyS0 panic=-1 ${o.append ?? ''}`.trim(),
      '-drive', `file=${o.overlay},if=virtio,format=qcow2`,
      '-drive', `file=${o.seed},if=virtio,format=raw,readonly=on`,
      '-netdev', `user,id=n0,hostfwd=tcp:127.0.0.1:${o.sshPort}-:22`, '-device', 'virtio-net-pci,netdev=n0',
    ];
    const child = spawn('qemu-system-x86_64', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const log = createWriteStream(o.consoleLog, { flags: 'a' });
    child.stderr?.pipe(log);
    return new GuestVm(child, log);
  }

  /** Everything the guest printed on its serial console since it was started. */
  get console(): string {
    return this.#console;
  }

  /** Resolves with the console text once PATTERN appears after `from` (an offset into console). */
  async waitForConsole(pattern: RegExp, timeoutMs: number, from = 0): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const seen = this.#console.slice(from);
      if (pattern.test(seen)) return seen;
      if (this.#child.exitCode !== null) throw new Error(`the guest stopped before printing ${pattern}`);
      if (Date.now() > deadline) throw new Error(`no ${pattern} on the guest's console within ${timeoutMs / 1000} s`);
      await new Promise((r) => setTimeout(r, 500));
    }
  }

  async stop(): Promise<void> {
    if (this.#child.exitCode === null && this.#child.signalCode === null) this.#child.kill('SIGKILL');
    await this.exited;
    await new Promise<void>((r) => this.#log.end(r));
  }
}
