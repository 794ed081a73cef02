import { readdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { BerthError } from '../../../src/errors/index.js';
import { compilePolicy } from '../policy-build.js';
import { type GuestReport, type Verdict, describeExpected, judge, parseGuestOutput } from './guest-report.js';
import { buildInitramfs, defaultChecks, type GuestFile, type GuestLabel } from './initramfs.js';
import { bootVm } from './qemu.js';
import { berthPayload } from './berth-payload.js';

export interface ProofOptions {
  /** Check scripts run after (or, with onlyExtraChecks, instead of) the default ones. */
  extraChecks?: string[];
  /** Run only extraChecks. Default: false. */
  onlyExtraChecks?: boolean;
  /**
   * Put berth (dist, runtime packages, the control and admin images) in the guest at
   * /usr/lib/berth and run the checks that need it. Default: true.
   */
  berth?: boolean;
  /** Host paths copied into the guest. */
  files?: GuestFile[];
  /** Exact labels for guest paths, applied at boot. */
  labels?: GuestLabel[];
  /** Directory of the CIL policy to load. Default: the repository's selinux/. */
  policyDir?: string;
  /** The kernel image. Default: the newest /boot/vmlinuz-*. */
  kernel?: string;
  /** QEMU accelerator. Default: "tcg". */
  accel?: string;
  /** Limit for the boot. Default: 15 minutes. */
  timeoutMs?: number;
  /** Limit for each guest check script, in seconds. Default: 300 (guest/init.sh). */
  checkTimeoutSeconds?: number;
  /** Guest memory in MiB. Default: 4096 with berth in the guest, else 2048. */
  memoryMiB?: number;
  /** Keep the work dir (policy, initramfs, console log) even when the run passes. */
  keepWorkDir?: boolean;
  /** Called with each console line as it arrives. */
  onConsoleLine?: (line: string) => void;
}

export interface ProofResult {
  verdict: Verdict;
  report: GuestReport;
  /** Time from the start of the boot to power-off. */
  bootMs: number;
  /** Time to compile the policy and build the initramfs. */
  buildMs: number;
  /** The serial console log; kept when the run failed or keepWorkDir is set. */
  consoleLog: string;
  workDir: string;
}

/**
 * The kernel command line: SELinux as the major LSM (Debian's 6.1 has no selinux= parameter;
 * security= picks it over AppArmor), enforcing from the moment the policy loads, every AVC
 * message kept. Unknown key=value words reach the guest's init as environment variables.
 */
export const KERNEL_APPEND = [
  'console=ttyS0',
  'quiet',
  'loglevel=3',
  'security=selinux',
  'enforcing=1',
  'audit=1',
  'audit_backlog_limit=8192',
  'panic=-1',
  'rdinit=/init',
].join(' ');

/** The newest Debian kernel image in /boot. */
export async function findKernel(bootDir = '/boot'): Promise<string> {
  const images = (await readdir(bootDir)).filter((n) => n.startsWith('vmlinuz-'));
  images.sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  const newest = images.at(-1);
  if (!newest) throw new BerthError('NOT_FOUND', `No kernel image (vmlinuz-*) in '${bootDir}'`);
  return path.join(bootDir, newest);
}

export function kernelRelease(kernelImage: string): string {
  const base = path.basename(kernelImage);
  if (!base.startsWith('vmlinuz-')) {
    throw new BerthError('INVALID_ARGUMENT', `Kernel image '${kernelImage}' is not named vmlinuz-<release>`);
  }
  return base.slice('vmlinuz-'.length);
}

/**
 * Compiles the policy, builds an initramfs from this machine's files, boots Debian's kernel
 * under QEMU with SELinux enforcing, runs the guest checks and judges what the guest reported.
 */
export async function runEnforcingProof(options: ProofOptions = {}): Promise<ProofResult> {
  const workDir = await mkdtemp(path.join(tmpdir(), 'berth-selinux-vm-'));
  const consoleLog = path.join(workDir, 'console.log');
  const initrd = path.join(workDir, 'initramfs.cpio');
  let keep = false;
  try {
    const buildStart = Date.now();
    const kernel = options.kernel ?? (await findKernel());
    const policy = await compilePolicy(workDir, options.policyDir ? { policyDir: options.policyDir } : {});
    const berth = options.berth ?? true;
    const checks = [...(options.onlyExtraChecks ? [] : await defaultChecks({ berth })), ...(options.extraChecks ?? [])];
    await buildInitramfs(initrd, {
      kernelRelease: kernelRelease(kernel),
      policy,
      checks,
      files: [...(berth ? await berthPayload() : []), ...(options.files ?? [])],
      labels: options.labels ?? [],
    });
    const memoryMiB = options.memoryMiB ?? (berth ? 4096 : undefined);
    const buildMs = Date.now() - buildStart;
    const append = options.checkTimeoutSeconds
      ? `${KERNEL_APPEND} CHECK_TIMEOUT=${Math.ceil(options.checkTimeoutSeconds)}`
      : KERNEL_APPEND;
    const boot = await bootVm({
      kernel,
      initrd,
      append,
      ...(memoryMiB ? { memoryMiB } : {}),
      logFile: consoleLog,
      timeoutMs: options.timeoutMs ?? 15 * 60_000,
      ...(options.accel ? { accel: options.accel } : {}),
      ...(options.onConsoleLine ? { onLine: options.onConsoleLine } : {}),
    });
    const report = parseGuestOutput(boot.output);
    const verdict = judge(report);
    if (boot.timedOut) {
      const last = boot.output.split('\n').map((l) => l.trim()).filter(Boolean).at(-1) ?? '';
      verdict.failures.unshift(`the VM was killed after ${boot.durationMs} ms; its last line: ${last}`);
      verdict.ok = false;
    }
    // A failed run keeps its console log (and the policy) for a look; a passing one only if asked.
    keep = !verdict.ok || (options.keepWorkDir ?? false);
    return { verdict, report, bootMs: boot.durationMs, buildMs, consoleLog, workDir };
  } finally {
    await rm(keep ? initrd : workDir, { recursive: true, force: true });
  }
}

/** The human summary of a run. */
export function formatResult(result: ProofResult): string {
  const { verdict, report } = result;
  const lines: string[] = [];
  const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  lines.push(
    `SELinux enforcing proof: ${verdict.ok ? 'PASS' : 'FAIL'} — ${report.checks.filter((c) => c.ok).length}/` +
      `${report.checks.length} checks passed, ${verdict.seenDenials.length}/${report.expected.length} expected ` +
      `denials seen; build ${seconds(result.buildMs)}, boot to power-off ${seconds(result.bootMs)}`,
  );
  for (const info of report.infos.filter((i) => !i.startsWith('script '))) lines.push(`  info   ${info}`);
  for (const c of report.checks) lines.push(`  ${c.ok ? 'pass' : 'FAIL'}   ${c.name}${c.detail ? ` — ${c.detail}` : ''}`);
  for (const s of verdict.seenDenials) {
    lines.push(`  denied as expected: ${describeExpected(s.expected)}  [${s.denial.raw.replace(/^.*avc:\s+/, 'avc: ')}]`);
  }
  for (const f of verdict.failures) lines.push(`  FAILURE: ${f}`);
  if (!verdict.ok) lines.push(`  console log: ${result.consoleLog}`);
  return lines.join('\n');
}
