import type { Platform } from '../containerd/index.js';

/** Node's process.arch → OCI architecture (and variant), as containerd's platforms package does. */
const ARCH: Record<string, Platform> = {
  x64: { os: 'linux', architecture: 'amd64' },
  arm64: { os: 'linux', architecture: 'arm64', variant: 'v8' },
  arm: { os: 'linux', architecture: 'arm', variant: 'v7' },
  ia32: { os: 'linux', architecture: '386' },
  ppc64: { os: 'linux', architecture: 'ppc64le' },
  s390x: { os: 'linux', architecture: 's390x' },
  riscv64: { os: 'linux', architecture: 'riscv64' },
};

export function hostPlatform(arch: string): Platform {
  return ARCH[arch] ?? { os: 'linux', architecture: arch };
}

export function formatPlatform(p: Platform | undefined): string {
  if (!p) return 'unknown';
  return [p.os, p.architecture, p.variant].filter(Boolean).join('/');
}

/**
 * Whether an image for `candidate` runs on `want`. A missing platform matches (single-platform
 * archives often leave it out); arm64's variant v8 is the default and may be omitted.
 */
export function platformMatches(want: Platform, candidate: Partial<Platform> | undefined): boolean {
  if (!candidate || (!candidate.os && !candidate.architecture)) return true;
  if (candidate.os !== want.os || candidate.architecture !== want.architecture) return false;
  const wantVariant = want.variant ?? '';
  const candVariant = candidate.variant ?? '';
  if (wantVariant === candVariant) return true;
  return want.architecture === 'arm64' && [wantVariant, candVariant].every((v) => v === '' || v === 'v8');
}
