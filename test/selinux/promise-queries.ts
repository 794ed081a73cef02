import { findRules, type RuleQuery } from './policy-oracle.js';
import { FILE_CLASSES, WRITE_PERMS } from './policy-fixture.js';

/**
 * The promises of selinux/promises.cil as sesearch queries, so a test can check them on the
 * compiled policy independently of secilc's neverallow check: `forbidden` must match no allow
 * rule; `granted` must match one for each permission listed (the promise is not vacuous).
 */
export interface PromiseQueries {
  name: string;
  forbidden: RuleQuery[];
  granted: RuleQuery[];
}

const RELABEL = ['relabelfrom', 'relabelto'];
const IMMUTABLE = ['os_t', 'init_exec_t', 'runtime_exec_t', 'api_exec_t'];
const CONTAINER_DOMAINS = ['container_t', 'control_t', 'super_t'];

export const PROMISES: PromiseQueries[] = [
  {
    name: '1. container_t cannot read host-container storage (secret_t) or the datastore (private_t)',
    forbidden: [
      { source: 'container_t', target: 'secret_t', classes: FILE_CLASSES },
      { source: 'container_t', target: 'private_t', classes: FILE_CLASSES },
    ],
    granted: [
      { source: 'control_t', target: 'secret_t', classes: ['file'], perms: ['read', 'write'] },
      { source: 'super_t', target: 'secret_t', classes: ['file'], perms: ['read', 'write'] },
      { source: 'super_t', target: 'private_t', classes: ['file'], perms: ['read', 'write'] },
      { source: 'runtime_t', target: 'private_t', classes: ['file'], perms: ['read', 'write'] },
    ],
  },
  {
    name: '2. container_t cannot use the API socket; control_t and super_t can',
    forbidden: [
      { source: 'container_t', target: 'api_socket_t', classes: FILE_CLASSES },
      { source: 'container_t', target: 'runtime_t', classes: ['unix_stream_socket'], perms: ['connectto'] },
    ],
    granted: [
      { source: 'control_t', target: 'api_socket_t', classes: ['sock_file'], perms: ['write'] },
      { source: 'control_t', target: 'runtime_t', classes: ['unix_stream_socket'], perms: ['connectto'] },
      { source: 'super_t', target: 'api_socket_t', classes: ['sock_file'], perms: ['write'] },
      { source: 'super_t', target: 'runtime_t', classes: ['unix_stream_socket'], perms: ['connectto'] },
    ],
  },
  {
    name: '3a. control_t cannot change /etc (etc_t) but reads it',
    forbidden: [{ source: 'control_t', target: 'etc_t', classes: FILE_CLASSES, perms: [...WRITE_PERMS, 'mounton'] }],
    granted: [
      { source: 'control_t', target: 'etc_t', classes: ['file'], perms: ['read'] },
      { source: 'super_t', target: 'etc_t', classes: ['file'], perms: ['write'] },
    ],
  },
  {
    name: '3b. control_t cannot relabel anything, by chcon or by mount options',
    forbidden: [
      { source: 'control_t', classes: FILE_CLASSES, perms: RELABEL },
      { source: 'control_t', classes: ['filesystem'], perms: RELABEL },
    ],
    granted: [
      { source: 'super_t', target: 'secret_t', classes: ['file'], perms: RELABEL },
      { source: 'runtime_t', target: 'secret_t', classes: ['filesystem'], perms: RELABEL },
    ],
  },
  {
    name: '3c. control_t cannot read or write the datastore (private_t)',
    forbidden: [{ source: 'control_t', target: 'private_t', classes: FILE_CLASSES }],
    granted: [{ source: 'api_t', target: 'private_t', classes: ['file'], perms: ['write'] }],
  },
  {
    name: '4. nobody writes or relabels the read-only OS, not even super_t',
    forbidden: IMMUTABLE.map((t) => ({ target: t, classes: FILE_CLASSES, perms: [...WRITE_PERMS, 'relabelfrom'] })),
    granted: [
      { source: 'super_t', target: 'os_t', classes: ['file'], perms: ['read', 'execute'] },
      { source: 'container_t', target: 'os_t', classes: ['file'], perms: ['execute'] },
    ],
  },
  {
    name: '5. only runtime_t enters the container domains',
    forbidden: [],
    granted: CONTAINER_DOMAINS.map((t) => ({ source: 'runtime_t', target: t, classes: ['process'], perms: ['transition'] })),
  },
  {
    name: '6. containers other than super_t cannot write image layers (cache_t)',
    forbidden: [
      { source: 'container_t', target: 'cache_t', classes: FILE_CLASSES, perms: WRITE_PERMS },
      { source: 'control_t', target: 'cache_t', classes: FILE_CLASSES, perms: WRITE_PERMS },
    ],
    granted: [
      { source: 'container_t', target: 'cache_t', classes: ['file'], perms: ['read', 'execute'] },
      { source: 'runtime_t', target: 'cache_t', classes: ['file'], perms: ['write'] },
    ],
  },
];

/** The sources of the rules a query matches ("allow runtime_t container_s:process ..." → runtime_t). */
export function ruleSources(rules: string[]): string[] {
  return [...new Set(rules.map((r) => r.split(/\s+/)[1] ?? ''))];
}

/** Which forbidden queries match rules (with the rules) and which granted permissions have none. */
export async function checkPromise(
  policy: string,
  promise: PromiseQueries,
): Promise<{ violations: string[]; missing: string[] }> {
  const granted = promise.granted.flatMap((q) => (q.perms ?? []).map((perm) => ({ ...q, perms: [perm] })));
  const answers = await findRules(policy, [...promise.forbidden, ...granted]);
  const violations = answers.slice(0, promise.forbidden.length).flat();
  const missing = granted
    .filter((_, i) => (answers[promise.forbidden.length + i] ?? []).length === 0)
    .map((q) => `${q.source} -> ${q.target}:${q.classes?.join(',')} { ${q.perms.join(' ')} }`);
  return { violations, missing };
}
