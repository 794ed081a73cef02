import type { Settings } from './settings.js';

export interface DefaultSettingsOptions {
  /** Image of the `control` container (DESIGN.md §6), usually an `oci-archive:` path. Required. */
  controlSource: string;
  /** Image of the `admin` container. Required. */
  adminSource: string;
}

/**
 * The defaults of DESIGN.md §2: `control` enabled and not superpowered, `admin` disabled and
 * superpowered. Defaults are code, never stored: the datastore keeps only what users set on top.
 */
export function defaultSettings({ controlSource, adminSource }: DefaultSettingsOptions): Settings {
  return {
    'host-containers': {
      admin: { source: adminSource, enabled: false, superpowered: true },
      control: { source: controlSource, enabled: true, superpowered: false },
    },
  };
}
