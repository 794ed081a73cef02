import { spawn } from 'node:child_process';
import path from 'node:path';
import { BerthError } from '../../src/errors/index.js';
import { repoRoot, type CompiledPolicy } from './policy-build.js';

/** Debian's python, which has python3-selinux (a python3 earlier on PATH may not). */
const PYTHON = '/usr/bin/python3';

export interface AccessQuestion {
  scontext: string;
  tcontext: string;
  tclass: string;
  perms: string[];
}

export type AccessResult = 'allow' | 'deny' | 'constraint' | 'invalid';

export interface AccessAnswer {
  result: AccessResult;
  /** The failing constraint or the library's complaint, when there is one. */
  detail: string | null;
}

export type FileKind = 'file' | 'dir' | 'socket' | 'any';

/** A search for type-enforcement rules, as sesearch takes it. */
export interface RuleQuery {
  /** Default: allow. */
  ruletype?: 'allow' | 'type_transition';
  /** A type or attribute; a type also matches rules written on attributes containing it. */
  source?: string;
  target?: string;
  /** Object classes, any of which matches. */
  classes?: string[];
  /** Permissions, any of which matches. */
  perms?: string[];
  /** The new type of a type_transition rule. */
  defaultType?: string;
}

/** One constraint of the policy, as setools reports it. */
export interface Constraint {
  tclass: string;
  /** Sorted. */
  perms: string[];
  /** In sesearch's notation: "l1 dom l2 or ( t1 == secret_writer_s )". */
  expression: string;
}

interface OracleAnswer {
  decide: AccessAnswer[];
  lookup: { context: string | null; detail?: string }[];
  rules: string[][];
  constraints: Constraint[][];
  expand: string[][];
}

async function ask(request: object): Promise<OracleAnswer> {
  const script = path.join(repoRoot(), 'test/selinux/policy-oracle.py');
  const child = spawn(PYTHON, [script], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  child.stdin.end(JSON.stringify(request));
  const status = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
  if (status !== 0) {
    throw new BerthError('INTERNAL', `policy-oracle.py exited with status ${status}: ${stderr.trim()}`);
  }
  return JSON.parse(stdout) as OracleAnswer;
}

/**
 * Asks the compiled policy what the kernel would decide for each question: type rules and
 * MLS/MCS constraints both count, as in an enforcing kernel.
 */
export async function decideAccess(policy: CompiledPolicy, questions: AccessQuestion[]): Promise<AccessAnswer[]> {
  const answer = await ask({ policy: policy.policy, decide: questions });
  return answer.decide;
}

/**
 * The rules each query matches, in sesearch's notation ("allow control_t etc_t:file { read };"),
 * answered from one load of the policy.
 */
export async function findRules(policy: CompiledPolicy | string, queries: RuleQuery[]): Promise<string[][]> {
  const file = typeof policy === 'string' ? policy : policy.policy;
  const answer = await ask({
    policy: file,
    rules: queries.map((q) => ({
      ruletype: q.ruletype ?? 'allow',
      source: q.source,
      target: q.target,
      tclass: q.classes,
      perms: q.perms,
      default: q.defaultType,
    })),
  });
  return answer.rules;
}

/** The context setfiles would give each path, per the policy's file_contexts. */
export async function lookupFileContexts(
  policy: CompiledPolicy,
  paths: { path: string; kind: FileKind }[],
): Promise<(string | null)[]> {
  const answer = await ask({ fileContexts: policy.fileContexts, lookup: paths });
  return answer.lookup.map((l) => l.context);
}

/** The MLS constraints (mlsconstrain) on any of the classes, for each query. */
export async function findMlsConstraints(policy: CompiledPolicy, queries: { classes: string[] }[]): Promise<Constraint[][]> {
  const answer = await ask({
    policy: policy.policy,
    constraints: queries.map((q) => ({ ruletype: 'mlsconstrain', tclass: q.classes })),
  });
  return answer.constraints;
}

/** The types each type or attribute stands for (sorted; empty for a name the policy lacks). */
export async function expandTypes(policy: CompiledPolicy, names: string[]): Promise<string[][]> {
  const answer = await ask({ policy: policy.policy, expand: names });
  return answer.expand;
}
