import type { ApiAccess } from './api-access-setting.js';
import type { ResourcesSettings } from './resources-setting.js';

/**
 * The settings berth understands (docs/api.md, "Settings"), with Bottlerocket's key names so its documentation
 * and user-data files carry over. Every field is optional in the tree: the datastore stores only what
 * users set, and the effective settings are the defaults (./defaults.ts) deep-merged with those.
 */

/** A container name: ASCII letters, digits and `-`, 1 to 76 characters (containerd's id limit). */
export const CONTAINER_NAME_PATTERN = /^[A-Za-z0-9-]{1,76}$/;
export const CONTAINER_NAME_MAX_LENGTH = 76;

/** Largest decoded `user-data` accepted, in bytes (64 KiB). Bottlerocket has no such limit. */
export const USER_DATA_MAX_BYTES = 64 * 1024;

export const BOOTSTRAP_MODES = ['off', 'once', 'always'] as const;
export type BootstrapMode = (typeof BOOTSTRAP_MODES)[number];

export interface HostContainerSettings {
  /** Image reference or `oci-archive:/abs/path.tar[:ref]`. Optional; no default for custom containers. */
  source?: string;
  /** Run the container. Optional, default false (control: true). */
  enabled?: boolean;
  /** Use the superpowered class (README.md, "Host containers"). Optional, default false (admin: true). */
  superpowered?: boolean;
  /** Standard base64, decoded size ≤ USER_DATA_MAX_BYTES. Optional. */
  'user-data'?: string;
  /** RFC 3339 time with a timezone after which berth disables the container itself. Optional. */
  'enabled-until'?: string;
  /** The process argv, replacing the image's entrypoint and cmd (./command-setting.ts). Optional; empty = the image's. */
  command?: string[];
  /** Variables added to the image's environment (./environment-setting.ts). Optional. */
  environment?: Record<string, string>;
  /** What the container may do through berth's API (./api-access-setting.ts). Optional, default `admin`. */
  'api-access'?: ApiAccess;
  /** cgroup limits: memory, cpu-shares, cpu-quota, pids-max (./resources-setting.ts). Optional; each absent = no limit. */
  resources?: ResourcesSettings;
}

export interface BootstrapContainerSettings {
  /** Image reference or `oci-archive:` path. Optional here; the reconciler reports it missing. */
  source?: string;
  /** Optional, default `off`. `once` becomes `off` after a successful run. */
  mode?: BootstrapMode;
  /** Standard base64, decoded size ≤ USER_DATA_MAX_BYTES. Optional. */
  'user-data'?: string;
  /** A failure marks the boot failed. Optional, default false. */
  essential?: boolean;
  /** The process argv, replacing the image's entrypoint and cmd (./command-setting.ts). Optional; empty = the image's. */
  command?: string[];
}

export interface BootstrapCommandSettings {
  /** apiclient calls, each `["apiclient", …]` (./bootstrap-commands-setting.ts), made in order. Optional, default none. */
  commands?: string[][];
  /** Optional, default `off`. `once` becomes `off` after a successful run. */
  mode?: BootstrapMode;
  /** A failure marks the boot failed and ends the bootstrap stage. Optional, default false. */
  essential?: boolean;
}

export interface RegistryMirror {
  /** Registry host (`docker.io`, `host:port`) or `*` for every registry. Required. */
  registry: string;
  /** Mirror base URLs (`https://…` or `http://…`), tried in order. Required. */
  endpoint: string[];
}

export interface RegistryCredential {
  /** Registry host the credential is for. Required. */
  registry: string;
  /** Basic-auth user; given together with `password`. Optional. */
  username?: string;
  /** Basic-auth password; given together with `username`. Optional. */
  password?: string;
  /** base64 of `user:password`, as in docker's config.json. Optional. */
  auth?: string;
  /** OAuth2 refresh token for a token server. Optional. */
  identitytoken?: string;
}

export interface ContainerRegistrySettings {
  mirrors?: RegistryMirror[];
  credentials?: RegistryCredential[];
}

export interface Settings {
  'host-containers'?: Record<string, HostContainerSettings>;
  'bootstrap-containers'?: Record<string, BootstrapContainerSettings>;
  'bootstrap-commands'?: Record<string, BootstrapCommandSettings>;
  'container-registry'?: ContainerRegistrySettings;
}

/** A JSON value as stored in the datastore and carried by the API. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
