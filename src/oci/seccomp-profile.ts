import type { Seccomp } from './spec.js';

const EPERM = 1;
const ENOSYS = 38;
const CLONE_NEWUSER = 0x10000000;

/**
 * Syscalls a default-class host container may not make, by what they would let it do. The default
 * class already lacks the capabilities for most of these; the filter is the second wall, and it
 * also closes what needs no capability (unprivileged user namespaces, the keyring).
 */
export const BLOCKED_SYSCALLS: Readonly<Record<string, readonly string[]>> = {
  'kernel modules': ['init_module', 'finit_module', 'delete_module', 'create_module', 'query_module', 'get_kernel_syms'],
  kexec: ['kexec_load', 'kexec_file_load'],
  keyring: ['add_key', 'request_key', 'keyctl'],
  bpf: ['bpf'],
  mount: ['mount', 'umount', 'umount2', 'pivot_root', 'fsopen', 'fsconfig', 'fsmount', 'fspick', 'move_mount', 'open_tree', 'mount_setattr'],
  reboot: ['reboot'],
  swap: ['swapon', 'swapoff'],
  'host clock': ['settimeofday', 'clock_settime', 'clock_adjtime', 'stime'],
  'kernel internals': ['open_by_handle_at', 'perf_event_open', 'quotactl', 'acct', 'lookup_dcookie', 'userfaultfd', 'iopl', 'ioperm', 'vm86', 'vm86old', 'nfsservctl', 'uselib', 'syslog'],
};

const ARCHITECTURES: Record<string, string[]> = {
  x64: ['SCMP_ARCH_X86_64', 'SCMP_ARCH_X86', 'SCMP_ARCH_X32'],
  arm64: ['SCMP_ARCH_AARCH64', 'SCMP_ARCH_ARM'],
};

/**
 * The default class's profile: allow by default, refuse the calls above with EPERM, refuse
 * unshare/clone of a user namespace, and answer clone3 with ENOSYS so libc falls back to clone,
 * whose flags the filter can inspect. `allow` lifts whole groups (bootstrap containers mount, swap and
 * load modules).
 */
export function defaultSeccompProfile(arch: string, options: { allow?: readonly string[] } = {}): Seccomp {
  const allowed = options.allow ?? [];
  const blocked = Object.entries(BLOCKED_SYSCALLS)
    .filter(([group]) => !allowed.includes(group))
    .flatMap(([, names]) => names);
  return {
    defaultAction: 'SCMP_ACT_ALLOW',
    architectures: ARCHITECTURES[arch] ?? [],
    syscalls: [
      { names: blocked, action: 'SCMP_ACT_ERRNO', errnoRet: EPERM },
      {
        names: ['unshare', 'clone'],
        action: 'SCMP_ACT_ERRNO',
        errnoRet: EPERM,
        args: [{ index: 0, value: CLONE_NEWUSER, valueTwo: CLONE_NEWUSER, op: 'SCMP_CMP_MASKED_EQ' }],
      },
      { names: ['clone3'], action: 'SCMP_ACT_ERRNO', errnoRet: ENOSYS },
    ],
  };
}
