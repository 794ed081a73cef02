import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';

export interface BootOptions {
  kernel: string;
  initrd: string;
  /** Kernel command line. */
  append: string;
  /** Where the serial console is written as it arrives. */
  logFile: string;
  /** Hard limit for the whole boot; the VM is killed after it. */
  timeoutMs: number;
  /** QEMU accelerator. Default: "tcg" (software emulation, works everywhere). */
  accel?: string;
  /** Guest memory in MiB. Default: 2048. */
  memoryMiB?: number;
  /** Virtual CPUs. Default: 2. */
  cpus?: number;
  /** Called with each line of console output. */
  onLine?: (line: string) => void;
}

export interface BootResult {
  /** Everything the guest printed on its serial console. */
  output: string;
  /** QEMU's exit status (0 after the guest powers off). */
  exitCode: number | null;
  timedOut: boolean;
  durationMs: number;
}

/** The qemu-system-x86_64 arguments for a serial-console-only boot of kernel + initramfs. */
export function qemuArgs(opts: BootOptions): string[] {
  const accel = opts.accel ?? 'tcg';
  return [
    '-accel',
    accel === 'tcg' ? 'tcg,thread=multi' : accel,
    '-cpu',
    'max',
    '-smp',
    String(opts.cpus ?? 2),
    '-m',
    String(opts.memoryMiB ?? 2048),
    '-nographic',
    '-no-reboot',
    '-kernel',
    opts.kernel,
    '-initrd',
    opts.initrd,
    '-append',
    opts.append,
  ];
}

/**
 * Boots the VM and waits until it powers off (or panics: the command line should say
 * panic=-1 so a panic reboots, which -no-reboot turns into an exit) or the timeout passes.
 */
export function bootVm(opts: BootOptions): Promise<BootResult> {
  const started = Date.now();
  const log = createWriteStream(opts.logFile);
  const child = spawn('qemu-system-x86_64', qemuArgs(opts), { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  let partial = '';
  let timedOut = false;
  const onData = (chunk: Buffer) => {
    const text = chunk.toString('utf8');
    output += text;
    log.write(chunk);
    partial += text;
    const lines = partial.split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) opts.onLine?.(line.replace(/\r$/, ''));
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill('SIGKILL');
  }, opts.timeoutMs);
  return new Promise((resolve, reject) => {
    child.on('error', (err) => {
      clearTimeout(timer);
      log.end();
      reject(err);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      if (partial) opts.onLine?.(partial);
      log.end(() => resolve({ output, exitCode: code, timedOut, durationMs: Date.now() - started }));
    });
  });
}
