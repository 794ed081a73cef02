import path from 'node:path';
import { parseArgs } from 'node:util';
import { BerthError, messageOf } from '../../../src/errors/index.js';
import { formatResult, runEnforcingProof, type ProofOptions } from './harness.js';
import type { GuestFile, GuestLabel } from './initramfs.js';

export const USAGE = `usage: selinux-vm [options]
Boots Debian's kernel with SELinux enforcing under QEMU and runs the policy checks in it.
  --check FILE          run this guest check script too (repeatable; name order decides when)
  --only                run only the --check scripts, not the default ones
  --add HOST[:GUEST]    copy a host file or directory into the guest (repeatable)
  --label PATH=CONTEXT  label a guest path at boot (repeatable)
  --timeout SECONDS     kill the VM after this long (default 540)
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

/** Turns the command line into proof options; throws INVALID_ARGUMENT naming the bad flag. */
export function parseCli(argv: string[]): ProofOptions & { verbose: boolean } {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: {
        check: { type: 'string', multiple: true },
        only: { type: 'boolean' },
        add: { type: 'string', multiple: true },
        label: { type: 'string', multiple: true },
        timeout: { type: 'string' },
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
  const timeout = v.timeout === undefined ? 540 : Number(v.timeout);
  if (!Number.isFinite(timeout) || timeout <= 0) {
    throw new BerthError('INVALID_ARGUMENT', `Invalid --timeout '${v.timeout}': expected a positive number of seconds`);
  }
  const checks = (v.check ?? []).map((c) => path.resolve(c));
  if (v.only && checks.length === 0) throw new BerthError('INVALID_ARGUMENT', 'Invalid --only: no --check given');
  return {
    extraChecks: checks,
    onlyExtraChecks: v.only ?? false,
    files: (v.add ?? []).map(parseFile),
    labels: (v.label ?? []).map(parseLabel),
    timeoutMs: timeout * 1000,
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
  const result = await runEnforcingProof(proof);
  out(`${formatResult(result)}\n`);
  return result.verdict.ok ? 0 : 1;
}
