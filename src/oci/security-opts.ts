import type { Seccomp, SpecOpt } from './spec.js';

export function withSelinuxLabel(label: string): SpecOpt {
  return (spec) => {
    spec.process.selinuxLabel = label;
  };
}

export function withMountLabel(label: string): SpecOpt {
  return (spec) => {
    spec.linux.mountLabel = label;
  };
}

export const withNoNewPrivileges: SpecOpt = (spec) => {
  spec.process.noNewPrivileges = true;
};

/** Lets setuid binaries (sudo) gain privileges. */
export const withNewPrivileges: SpecOpt = (spec) => {
  spec.process.noNewPrivileges = false;
};

export function withMaskedPaths(paths: readonly string[]): SpecOpt {
  return (spec) => {
    spec.linux.maskedPaths = [...paths];
  };
}

export function withUnmaskedPaths(paths: readonly string[]): SpecOpt {
  return (spec) => {
    spec.linux.maskedPaths = spec.linux.maskedPaths.filter((p) => !paths.includes(p));
  };
}

export function withReadonlyPaths(paths: readonly string[]): SpecOpt {
  return (spec) => {
    spec.linux.readonlyPaths = [...paths];
  };
}

export function withSeccomp(profile: Seccomp): SpecOpt {
  return (spec) => {
    spec.linux.seccomp = structuredClone(profile);
  };
}

export const withoutSeccomp: SpecOpt = (spec) => {
  delete spec.linux.seccomp;
};

export function withApparmorProfile(profile: string): SpecOpt {
  return (spec) => {
    if (profile === '') delete spec.process.apparmorProfile;
    else spec.process.apparmorProfile = profile;
  };
}

/**
 * Drops the process and mount labels. runc refuses to start a container with a label on a kernel
 * without SELinux, so the runtime applies this last when the host has no SELinux.
 */
export const withoutSelinuxLabels: SpecOpt = (spec) => {
  delete spec.process.selinuxLabel;
  delete spec.linux.mountLabel;
};
