import { execFile } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { BerthError } from '../../src/errors/index.js';

const run = promisify(execFile);

/**
 * The binary policy version we build. Linux 6.1 (Debian 12) reads versions up to 33; the
 * enforcing proof under test/selinux/vm loads this exact build into that kernel.
 */
export const POLICY_VERSION = 33;

/** The repository root, found from this module's place in dist/test/selinux/ or test/selinux/. */
export function repoRoot(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const parts = here.split(path.sep);
  const distAt = parts.lastIndexOf('dist');
  return distAt >= 0 ? parts.slice(0, distAt).join(path.sep) : path.resolve(here, '../..');
}

/** The CIL sources of the policy: every selinux/*.cil file, in name order. */
export async function policySources(policyDir = path.join(repoRoot(), 'selinux')): Promise<string[]> {
  const names = (await readdir(policyDir)).filter((n) => n.endsWith('.cil')).sort();
  if (names.length === 0) {
    throw new BerthError('NOT_FOUND', `No CIL files in '${policyDir}'`);
  }
  return names.map((n) => path.join(policyDir, n));
}

export interface CompiledPolicy {
  /** The binary policy (policy.33). */
  policy: string;
  /** The file_contexts file secilc wrote next to it. */
  fileContexts: string;
}

export interface CompileOptions {
  /** Directory holding the CIL sources. Default: the repository's selinux/. */
  policyDir?: string;
  /** More CIL files compiled with the policy (test fixtures). Default: none. */
  extraFiles?: string[];
}

/** What secilc said when it refused a policy. */
export class PolicyRejected extends BerthError {
  readonly output: string;
  constructor(output: string) {
    super('FAILED_PRECONDITION', `secilc refused the policy: ${output.split('\n')[0] ?? ''}`, {
      details: { output },
    });
    this.output = output;
  }
}

/**
 * Compiles the policy with secilc (MLS, version POLICY_VERSION) into outDir. Throws
 * PolicyRejected with secilc's full output when the policy does not build, e.g. when an allow
 * rule breaks one of the neverallow promises.
 */
export async function compilePolicy(outDir: string, options: CompileOptions = {}): Promise<CompiledPolicy> {
  const sources = [...(await policySources(options.policyDir)), ...(options.extraFiles ?? [])];
  const policy = path.join(outDir, `policy.${POLICY_VERSION}`);
  const fileContexts = path.join(outDir, 'file_contexts');
  const args = ['--mls=true', `--policyvers=${POLICY_VERSION}`, '-o', policy, '-f', fileContexts, ...sources];
  try {
    await run('secilc', args, { maxBuffer: 16 * 1024 * 1024 });
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; code?: unknown };
    if (typeof e.code === 'string') {
      throw new BerthError('UNAVAILABLE', `Cannot run secilc: ${e.code} (install the secilc package)`, { cause: err });
    }
    throw new PolicyRejected(`${e.stderr ?? ''}${e.stdout ?? ''}`.trim());
  }
  return { policy, fileContexts };
}
