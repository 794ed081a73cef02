import type { ApiAccess } from '../model/index.js';
import type { ResourceLimits } from '../model/index.js';
import { SELINUX_LABELS } from './labels.js';
import { compose, type LinuxDevice, type Mount, type SpecOpt } from './spec.js';
import { withEnv, withEnvTable, withImageConfig, type ImageProcessConfig } from './process-opts.js';
import { withHostNamespace } from './namespace-opts.js';
import { withResources } from './resource-opts.js';
import { bindMount, CGROUP_MOUNT, withMounts, withRootfsPropagation, withWritableMountType } from './mount-opts.js';
import { withAddedCapabilities, withAllCurrentCapabilities } from './capability-opts.js';
import { withAllDevicesAllowed, withDefaultUnixDevices, withHostDevices } from './device-opts.js';
import {
  withApparmorProfile,
  withMaskedPaths,
  withMountLabel,
  withNewPrivileges,
  withNoNewPrivileges,
  withReadonlyPaths,
  withSeccomp,
  withSelinuxLabel,
  withUnmaskedPaths,
  withoutSeccomp,
} from './security-opts.js';
import { defaultSeccompProfile } from './seccomp-profile.js';

/** In-container paths. Bottlerocket's on purpose: images built for its host containers run unchanged. */
export const CONTAINER_PATHS = {
  hostContainersDir: '/.bottlerocket/host-containers',
  bootstrapContainersDir: '/.bottlerocket/bootstrap-containers',
  hostRoot: '/.bottlerocket/rootfs',
  apiSocket: '/run/api.sock',
  apiSocketDir: '/run/berth',
  apiclient: '/usr/local/bin/apiclient',
  sheltie: '/usr/sbin/sheltie',
} as const;

export type ContainerKind = 'host' | 'bootstrap';

/** Host files every host container gets. Paths on the host; the daemon resolves them. */
export interface HostFiles {
  /** Persistent storage of this container (`<data>/host-containers/<name>`). */
  storageDir: string;
  /** The directory holding berth's API socket (bind-mounted, so a berthd restart does not strand it). */
  apiSocketDir: string;
  apiSocket: string;
  /** The single-file apiclient; omitted when it was not built. */
  apiclient?: string;
  hostsFile: string;
  resolvConf: string;
}

/** What a privileged class needs from the host, read by the daemon. */
export interface PrivilegedHost {
  /** berthd's effective capabilities (asking for more fails the start). */
  capabilities: readonly string[];
  /** Device nodes under the host's /dev. */
  devices: readonly LinuxDevice[];
  /** Host paths that exist, mounted into privileged containers: /lib/modules, /sys/kernel/debug, … */
  existingPaths: readonly string[];
  /** The static sheltie binary; omitted when it was not built. */
  sheltie?: string;
  /** Node's process.arch, for the seccomp architectures. */
  arch: string;
}

export interface ClassInputs {
  name: string;
  kind: ContainerKind;
  image: ImageProcessConfig;
  host: HostFiles;
  /** cgroup limits. Optional; none by default. */
  resources?: ResourceLimits;
  /** Extra environment (proxy settings). */
  env?: readonly string[];
  /** The process argv instead of the image's entrypoint + cmd. Optional; empty = the image's. */
  command?: readonly string[];
  /** Variables set over the image's; berth's own (BERTH_API_SOCKET, `env`) still win. Optional. */
  environment?: Readonly<Record<string, string>>;
  /** `none` leaves out the API socket, apiclient and BERTH_API_SOCKET. Optional, default `admin`. */
  apiAccess?: ApiAccess;
}

/** What every host and bootstrap container gets (Bottlerocket host-ctr's common options). */
export function hostContainerBase(inputs: ClassInputs): SpecOpt {
  const dir = inputs.kind === 'host' ? CONTAINER_PATHS.hostContainersDir : CONTAINER_PATHS.bootstrapContainersDir;
  const h = inputs.host;
  // Without the socket the container has no way to the API at all (the API refuses it anyway).
  const api = inputs.apiAccess !== 'none';
  const mounts: Mount[] = [
    bindMount(h.hostsFile, '/etc/hosts', 'ro', 'rbind'),
    bindMount(h.resolvConf, '/etc/resolv.conf', 'ro', 'rbind'),
    bindMount(h.storageDir, `${dir}/${inputs.name}`, 'rw', 'rbind'),
    bindMount(h.storageDir, `${dir}/current`, 'rw', 'rbind'),
    ...(api ? [bindMount(h.apiSocketDir, CONTAINER_PATHS.apiSocketDir, 'ro', 'rbind'), bindMount(h.apiSocket, CONTAINER_PATHS.apiSocket, 'rw')] : []),
    CGROUP_MOUNT,
  ];
  if (api && h.apiclient) mounts.push(bindMount(h.apiclient, CONTAINER_PATHS.apiclient, 'ro'));
  return compose(
    withImageConfig(inputs.image, { command: inputs.command ?? [] }),
    withEnvTable(inputs.environment ?? {}),
    // After the user's: a container must always find berth's API where berth says it is.
    withEnv([...(api ? [`BERTH_API_SOCKET=${CONTAINER_PATHS.apiSocketDir}/api.sock`] : []), ...(inputs.env ?? [])]),
    withHostNamespace('network'),
    withMounts(mounts),
    withUnmaskedPaths(['/sys/firmware']),
    withMountLabel(SELINUX_LABELS.hostContainerMount),
    withResources(inputs.resources ?? {}),
  );
}

/** The default class (e.g. control): own PID namespace, default caps and devices, seccomp, no new privileges. */
export function defaultClass(inputs: ClassInputs & { arch: string }): SpecOpt {
  return compose(
    hostContainerBase(inputs),
    withSelinuxLabel(SELINUX_LABELS.control),
    withDefaultUnixDevices,
    withSeccomp(defaultSeccompProfile(inputs.arch)),
    withNoNewPrivileges,
  );
}

/** Host paths privileged containers see, as Bottlerocket's withPrivilegedMounts (those that exist). */
function privilegedMounts(host: PrivilegedHost): Mount[] {
  const mounts: Mount[] = [bindMount('/', CONTAINER_PATHS.hostRoot, 'ro', 'rbind')];
  const optional: Array<[string, Mount]> = [
    ['/lib/modules', bindMount('/lib/modules', '/lib/modules', 'ro', 'rbind')],
    ['/usr/src/kernels', bindMount('/usr/src/kernels', '/usr/src/kernels', 'rw', 'rbind')],
    ['/sys/firmware', { destination: '/sys/firmware', type: 'bind', source: '/sys/firmware', options: ['rbind'] }],
    ['/sys/kernel/debug', { destination: '/sys/kernel/debug', type: 'bind', source: '/sys/kernel/debug', options: ['rbind'] }],
  ];
  for (const [p, m] of optional) if (host.existingPaths.includes(p)) mounts.push(m);
  return mounts;
}

/**
 * The superpowered class (e.g. admin): host PID namespace, privileged (berthd's capabilities, all
 * devices, no masked paths, writable sysfs/cgroupfs, no seccomp), host / at /.bottlerocket/rootfs,
 * rshared rootfs, sheltie.
 */
export function superpoweredClass(inputs: ClassInputs, host: PrivilegedHost): SpecOpt {
  const mounts = privilegedMounts(host);
  if (host.sheltie) mounts.push({ ...bindMount(host.sheltie, CONTAINER_PATHS.sheltie, 'ro'), options: ['bind', 'ro', 'exec'] });
  return compose(
    hostContainerBase(inputs),
    withMounts(mounts),
    withRootfsPropagation('rshared'),
    withHostNamespace('pid'),
    // containerd's WithPrivileged, then the label, which must win over its label reset.
    withAllCurrentCapabilities(host.capabilities),
    withMaskedPaths([]),
    withReadonlyPaths([]),
    withWritableMountType('sysfs'),
    withWritableMountType('cgroup'),
    withApparmorProfile(''),
    withoutSeccomp,
    withNewPrivileges,
    withSelinuxLabel(SELINUX_LABELS.superpowered),
    withAllDevicesAllowed,
    withHostDevices(host.devices),
  );
}

/**
 * Bootstrap containers prepare the host before host containers start: privileged mounts and host
 * PID namespace, control_t, and only the capabilities such setup needs on top of the defaults.
 */
export function bootstrapClass(inputs: ClassInputs, host: PrivilegedHost): SpecOpt {
  return compose(
    hostContainerBase(inputs),
    withMounts(privilegedMounts(host)),
    withRootfsPropagation('rshared'),
    withHostNamespace('pid'),
    withSelinuxLabel(SELINUX_LABELS.control),
    withAddedCapabilities([
      'CAP_SYS_ADMIN', // mount filesystems, e.g. format and mount ephemeral disks
      'CAP_NET_ADMIN', // configure host networking before the orchestrator starts
      'CAP_SYS_CHROOT', // chroot into the host root at /.bottlerocket/rootfs
      'CAP_SYS_MODULE', // load kernel modules the host needs
      'CAP_AUDIT_CONTROL', // configure audit rules (why the host PID namespace is needed)
    ].filter((c) => host.capabilities.includes(c))),
    withSeccomp(defaultSeccompProfile(host.arch, { allow: ['mount', 'swap', 'kernel modules'] })),
    withAllDevicesAllowed,
  );
}
