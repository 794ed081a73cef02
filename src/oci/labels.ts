/**
 * SELinux labels berth puts on host containers. The single source of truth: the container classes
 * read them from here, and a test checks every type named here against the policy in selinux/.
 */
export const SELINUX_LABELS = {
  /** Process label of default-class host containers (e.g. control) and bootstrap containers. */
  control: 'system_u:system_r:control_t:s0-s0:c0.c1023',
  /** Process label of superpowered host containers (e.g. admin). */
  superpowered: 'system_u:system_r:super_t:s0-s0:c0.c1023',
  /** Mount label of every host container's rootfs and tmpfs mounts. */
  hostContainerMount: 'system_u:object_r:secret_t:s0',
} as const;
