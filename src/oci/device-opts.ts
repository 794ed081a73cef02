import type { LinuxDevice, SpecOpt } from './spec.js';

/** The device cgroup rules of containerd's WithDefaultUnixDevices (null, zero, random, tty, pts…). */
export const withDefaultUnixDevices: SpecOpt = (spec) => {
  const c = (major: number, minor: number | undefined) => ({
    allow: true,
    type: 'c' as const,
    major,
    ...(minor === undefined ? {} : { minor }),
    access: 'rwm',
  });
  spec.linux.resources.devices = [
    { allow: false, access: 'rwm' },
    c(1, 3),
    c(1, 8),
    c(1, 7),
    c(5, 0),
    c(1, 5),
    c(1, 9),
    c(5, 1),
    c(136, undefined),
    c(5, 2),
  ];
};

export const withAllDevicesAllowed: SpecOpt = (spec) => {
  spec.linux.resources.devices = [{ allow: true, access: 'rwm' }];
};

/** Creates these host device nodes inside the container (the daemon lists them from /dev). */
export function withHostDevices(devices: readonly LinuxDevice[]): SpecOpt {
  return (spec) => {
    spec.linux.devices = devices.map((d) => ({ ...d }));
  };
}

/** Major and minor of a Node `stat.rdev` (glibc's gnu_dev_major/minor). */
export function deviceNumbers(rdev: number): { major: number; minor: number } {
  const r = BigInt(rdev);
  const major = Number(((r >> 8n) & 0xfffn) | ((r >> 32n) & ~0xfffn));
  const minor = Number((r & 0xffn) | ((r >> 12n) & ~0xffn));
  return { major, minor };
}
