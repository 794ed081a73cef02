import type { Settings } from './settings.js';

export interface DefaultSettingsOptions {
  /** Image of the `control` container (README.md, "Images"), usually an `oci-archive:` path. Required. */
  controlSource: string;
  /** Image of the `admin` container. Required. */
  adminSource: string;
}

/**
 * The defaults (docs/api.md, "Settings"): `control` enabled and not superpowered, `admin` disabled and
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
