import type { CompiledPolicy } from './policy-build.js';
import { decideAccess, type AccessQuestion, type AccessResult } from './policy-oracle.js';

/** Subject labels as berth and the runtime run them (src/oci/labels.ts, mcs.cil). */
export const SUBJECTS = {
  control: 'system_u:system_r:control_t:s0-s0:c0.c1023',
  super: 'system_u:system_r:super_t:s0-s0:c0.c1023',
  runtime: 'system_u:system_r:runtime_t:s0',
  init: 'system_u:system_r:init_t:s0',
  api: 'system_u:system_r:api_t:s0',
  container: 'system_u:system_r:container_t:s0:c1,c2',
  /** An orchestrated container whose category pair happens to include the reserved c1023. */
  containerC1023: 'system_u:system_r:container_t:s0:c5,c1023',
} as const;

/** A host secret outside host-container storage, and host-container storage itself. */
export const HOST_SECRET = 'system_u:object_r:secret_t:s0:c1023';
export const STORAGE = 'system_u:object_r:secret_t:s0';

export interface SecretWriteCase {
  why: string;
  q: AccessQuestion;
  expect: AccessResult;
}

const file = (scontext: string, tcontext: string, perms: string[], tclass = 'file') => ({ scontext, tcontext, tclass, perms });

/**
 * What the secret-writes constraint (selinux/secret-writes.cil) must decide, both ways: control_t
 * is refused every kind of write to a host secret at s0:c1023 by the constraint (not by a type
 * rule: the type rules let it write secret_t), while it keeps writing its own storage at s0, and
 * the trusted subjects write host secrets.
 */
export const SECRET_WRITE_CASES: SecretWriteCase[] = [
  ...['write', 'append', 'setattr', 'unlink', 'rename', 'link'].map((perm) => ({
    why: `control_t cannot ${perm} a host secret (s0:c1023)`,
    q: file(SUBJECTS.control, HOST_SECRET, [perm]),
    expect: 'constraint' as const,
  })),
  { why: 'control_t cannot create a file at s0:c1023', q: file(SUBJECTS.control, HOST_SECRET, ['create']), expect: 'constraint' },
  { why: 'control_t cannot add a name to a host-secret directory', q: file(SUBJECTS.control, HOST_SECRET, ['add_name', 'write'], 'dir'), expect: 'constraint' },
  { why: 'control_t cannot remove a name from a host-secret directory', q: file(SUBJECTS.control, HOST_SECRET, ['remove_name'], 'dir'), expect: 'constraint' },
  { why: 'control_t cannot mount over a host secret', q: file(SUBJECTS.control, HOST_SECRET, ['mounton'], 'dir'), expect: 'constraint' },
  { why: 'control_t still reads host secrets (reads are left to the type rules)', q: file(SUBJECTS.control, HOST_SECRET, ['read', 'open']), expect: 'allow' },
  { why: 'control_t writes its own storage and rootfs (secret_t:s0)', q: file(SUBJECTS.control, STORAGE, ['write', 'append', 'create', 'unlink', 'rename', 'setattr']), expect: 'allow' },
  { why: 'control_t adds names to its storage (secret_t:s0)', q: file(SUBJECTS.control, STORAGE, ['add_name', 'remove_name', 'write'], 'dir'), expect: 'allow' },
  { why: "control_t cannot write an orchestrated container's files (s0:c1,c2)", q: file(SUBJECTS.control, 'system_u:object_r:data_t:s0:c1,c2', ['write']), expect: 'constraint' },
  { why: 'super_t writes host secrets', q: file(SUBJECTS.super, HOST_SECRET, ['write', 'create', 'unlink', 'rename', 'setattr']), expect: 'allow' },
  { why: 'super_t adds names to a host-secret directory', q: file(SUBJECTS.super, HOST_SECRET, ['add_name', 'write'], 'dir'), expect: 'allow' },
  { why: 'runtime_t writes host secrets', q: file(SUBJECTS.runtime, HOST_SECRET, ['write', 'create', 'unlink']), expect: 'allow' },
  { why: 'init_t writes host secrets', q: file(SUBJECTS.init, HOST_SECRET, ['write']), expect: 'allow' },
  { why: 'api_t writes host secrets', q: file(SUBJECTS.api, HOST_SECRET, ['write']), expect: 'allow' },
  { why: 'container_t writes its own files (s0:c1,c2)', q: file(SUBJECTS.container, 'system_u:object_r:data_t:s0:c1,c2', ['write', 'create', 'unlink']), expect: 'allow' },
  { why: 'container_t writes files at plain s0', q: file(SUBJECTS.container, 'system_u:object_r:data_t:s0', ['write']), expect: 'allow' },
  { why: 'container_t cannot write host secrets', q: file(SUBJECTS.container, HOST_SECRET, ['write']), expect: 'deny' },
  { why: 'container_t holding c1023 still cannot touch host secrets (type rules)', q: file(SUBJECTS.containerC1023, HOST_SECRET, ['read', 'write']), expect: 'deny' },
];

/** The cases the policy decides otherwise, one line each ([] when every case holds). */
export async function wrongSecretWriteDecisions(policy: CompiledPolicy): Promise<string[]> {
  const answers = await decideAccess(policy, SECRET_WRITE_CASES.map((c) => c.q));
  return SECRET_WRITE_CASES.flatMap((c, i) => {
    const got = answers[i];
    return got?.result === c.expect ? [] : [`${c.why}: expected ${c.expect}, got ${got?.result ?? 'nothing'}`];
  });
}
