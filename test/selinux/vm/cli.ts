import path from 'node:path';
import { parseArgs } from 'node:util';
import { BerthError, messageOf } from '../../../src/errors/index.js';
import { formatResult, runEnforcingProof, type ProofOptions } from './harness.js';
import type { GuestFile, GuestLabel } from './initramfs.js';

export const USAGE = `usage: selinux-vm [options]
Boots Debian's kernel with SELinux enforcing under QEMU and runs the policy checks in it.
  --check FILE          run this guest check script too (repeatable; name order decides when)
  --only                run only the --check scripts, not the default ones
  --no-berth            leave berth out of the guest, and the default checks that need it
  --add HOST[:GUEST]    copy a host file or directory into the guest (repeatable)
  --label PATH=CONTEXT  label a guest path at boot (repeatable)
  --timeout SECONDS     kill the VM after this long (default 900)
  --check-timeout SECS  kill a guest check script after this long (default 300)
  --memory MIB          guest memory (default 4096 with berth, 2048 without)
  --accel NAME          QEMU accelerator (default tcg)
  --kernel FILE         kernel image (default: newest /boot/vmlinuz-*)
  --policy-dir DIR      CIL policy to load (default: the repository's selinux/)
  --keep                keep the work dir (policy, console log) after a passing run
  --verbose             echo the guest console as it arrives`;

function parseFile(spec: string): GuestFile {
  const at = spec.indexOf(':');
  const host = path.resolve(at < 0 ? spec : spec.slice(0, at));
  const guest = at < 0 ? undefined : spec.slice(at + 1);
  if (guest !== undefined && !path.isAbsolute(guest)) {
    throw new BerthError('INVALID_ARGUMENT', `Invalid --add '${spec}': the guest path must be absolute`);
  }
  return guest === undefined ? { host } : { host, guest };
}

function parseLabel(spec: string): GuestLabel {
  const at = spec.indexOf('=');
  if (at <= 0) throw new BerthError('INVALID_ARGUMENT', `Invalid --label '${spec}': expected PATH=CONTEXT`);
  return { path: spec.slice(0, at), context: spec.slice(at + 1) };
}

function positive<T extends number | undefined>(flag: string, value: string | undefined, fallback: T): number | T {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) {
    throw new BerthError('INVALID_ARGUMENT', `Invalid ${flag} '${value}': expected a positive number`);
  }
  return n;
}

/** Turns the command line into proof options; throws INVALID_ARGUMENT naming the bad flag. */
export function parseCli(argv: string[]): ProofOptions & { verbose: boolean } {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: {
        check: { type: 'string', multiple: true },
        only: { type: 'boolean' },
        'no-berth': { type: 'boolean' },
        add: { type: 'string', multiple: true },
        label: { type: 'string', multiple: true },
        timeout: { type: 'string' },
        'check-timeout': { type: 'string' },
        memory: { type: 'string' },
        accel: { type: 'string' },
        kernel: { type: 'string' },
        'policy-dir': { type: 'string' },
        keep: { type: 'boolean' },
        verbose: { type: 'boolean' },
      },
      allowPositionals: false,
    });
  } catch (err) {
    throw new BerthError('INVALID_ARGUMENT', messageOf(err), { cause: err });
  }
  const v = parsed.values;
  const timeout = positive('--timeout', v.timeout, 900);
  const checkTimeout = positive('--check-timeout', v['check-timeout'], undefined);
  const memory = positive('--memory', v.memory, undefined);
  const checks = (v.check ?? []).map((c) => path.resolve(c));
  if (v.only && checks.length === 0) throw new BerthError('INVALID_ARGUMENT', 'Invalid --only: no --check given');
  return {
    extraChecks: checks,
    onlyExtraChecks: v.only ?? false,
    berth: !(v['no-berth'] ?? false),
    files: (v.add ?? []).map(parseFile),
    labels: (v.label ?? []).map(parseLabel),
    timeoutMs: timeout * 1000,
    ...(checkTimeout ? { checkTimeoutSeconds: checkTimeout } : {}),
    ...(memory ? { memoryMiB: memory } : {}),
    ...(v.accel ? { accel: v.accel } : {}),
    ...(v.kernel ? { kernel: path.resolve(v.kernel) } : {}),
    ...(v['policy-dir'] ? { policyDir: path.resolve(v['policy-dir']) } : {}),
    keepWorkDir: v.keep ?? false,
    verbose: v.verbose ?? false,
  };
}

/** Runs the proof from a command line; returns the exit status (0 pass, 1 fail, 2 usage). */
export async function main(argv: string[], out: (text: string) => void = (t) => process.stdout.write(t)): Promise<number> {
  let options;
  try {
    options = parseCli(argv);
  } catch (err) {
    out(`selinux-vm: ${messageOf(err)}\n${USAGE}\n`);
    return 2;
  }
  const { verbose, ...proof } = options;
  if (verbose) proof.onConsoleLine = (line) => out(`  | ${line}\n`);
  try {
    const result = await runEnforcingProof(proof);
    out(`${formatResult(result)}\n`);
    return result.verdict.ok ? 0 : 1;
  } catch (err) {
    out(`selinux-vm: the proof could not run: ${messageOf(err)}\n`);
    return 1;
  }
}
