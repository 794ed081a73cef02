import type { JsonObject } from './settings-keys.js';

/**
 * Top-level settings sections of a Bottlerocket host that belong to parts berth does not have
 * (kubelet, ECS agent, network, kernel, updates, …), from Bottlerocket's settings reference. Boot
 * user data written for Bottlerocket carries them beside berth's own, so at boot (only there) they
 * are skipped with a warning instead of refusing the whole file. The list is closed: a section that
 * is neither berth's nor in this list is a mistake (`[settings.frobnicate]`) and is still refused.
 * `bootstrap-commands` is berth's own (berthd runs them at boot), so it is never skipped.
 */
export const OTHER_BOTTLEROCKET_SECTIONS: readonly string[] = [
  'autoscaling',
  'aws',
  'boot',
  'cloudformation',
  'container-runtime',
  'container-runtime-plugins',
  'dns',
  'ecs',
  'image-verifier-plugins',
  'kernel',
  'kubelet-device-plugins',
  'kubernetes',
  'metrics',
  'motd',
  'network',
  'ntp',
  'nvidia-container-runtime',
  'oci-defaults',
  'oci-hooks',
  'pki',
  'updates',
];

export interface OwnedSettings {
  /** The input without the skipped sections. */
  owned: JsonObject;
  /** The sections left out, in input order. */
  skipped: string[];
}

/** Splits a `settings` table into what berth owns (or refuses) and the other Bottlerocket sections. */
export function withoutOtherBottlerocketSections(settings: JsonObject): OwnedSettings {
  const owned: JsonObject = {};
  const skipped: string[] = [];
  for (const [section, value] of Object.entries(settings)) {
    if (OTHER_BOTTLEROCKET_SECTIONS.includes(section)) skipped.push(section);
    else owned[section] = value;
  }
  return { owned, skipped };
}
